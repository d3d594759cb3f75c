// costs-sync run: one sync through the library (costs::sync_run), printed as text or JSON.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands/command.hpp"
#include "commands/options.hpp"
#include "costs/calendar.hpp"
#include "costs/error.hpp"
#include "costs/paths.hpp"
#include "costs/secrets.hpp"
#include "costs/sync_run.hpp"
#include "output.hpp"

namespace costs::sync {
namespace {

// Scheduled runs write here: rotated at 1 MiB, three old files kept.
void redirect_to_log(const std::filesystem::path& file) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (std::filesystem::file_size(file, ec) > (1u << 20) && !ec) {
    for (int i = 2; i >= 1; --i)
      std::filesystem::rename(file.string() + "." + std::to_string(i),
                              file.string() + "." + std::to_string(i + 1), ec);
    std::filesystem::rename(file, file.string() + ".1", ec);
  }
  if (std::freopen(file.c_str(), "a", stdout) == nullptr ||
      std::freopen(file.c_str(), "a", stderr) == nullptr)
    throw config_error("cli.log_file", "cannot write the log file " + file.string());
  std::cout << "--- " << format_timestamp(now()) << " costs-sync run\n";
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  std::string target_flag;
  std::vector<std::string> wanted;
  std::string since_flag;
  std::string zone_flag;
  int days = 0;
  int retention_days = -1;
  bool dry_run = false;
  bool as_json = false;
  bool api_only = false, local_only = false;
  std::string log_file;
  po::options_description options("run options");
  add_target_option(options, target_flag);
  options.add_options()("provider", po::value(&wanted)->value_name("KEY")->composing(),
                        "collect only this provider (repeatable)")(
      "since", po::value(&since_flag)->value_name("DATE"), "oldest day to collect (YYYY-MM-DD)")(
      "days", po::value(&days)->value_name("N"), "collect the last N days")(
      "timezone", po::value(&zone_flag)->value_name("TZ"),
      "calendar days of local usage in this zone (default: local)")(
      "dry-run", po::bool_switch(&dry_run), "collect and print, write nothing")(
      "api-only", po::bool_switch(&api_only), "only the providers' billing APIs")(
      "local-only", po::bool_switch(&local_only), "only the agents' local logs")(
      "history-retention-days", po::value(&retention_days)->value_name("N"),
      "keep snapshots' raw responses N days, then null them (default "
      "COSTS_HISTORY_RETENTION_DAYS, else 90; 0 keeps them; daily rows are always kept)")(
      "log-file", po::value(&log_file)->value_name("FILE"),
      "append output to FILE, rotated at 1 MiB keeping 3 (scheduled runs use this)")(
      "json", po::bool_switch(&as_json), "print a machine-readable summary");
  po::variables_map vm;
  if (!parse_options(args, options, vm,
                     "costs-sync run [--target URL] [--provider KEY]... [--since DATE | --days N] "
                     "[--dry-run] [--json]"))
    return exit_ok;

  if (!log_file.empty()) redirect_to_log(log_file);
  if (!since_flag.empty() && days > 0)
    throw config_error("cli.usage", "pass --since or --days, not both");

  sync_options run;
  run.target = dry_run ? resolve_target(target_flag) : require_target(target_flag, false);
  run.supabase_key = setting("COSTS_SUPABASE_KEY").value_or("");
  run.providers = wanted;
  run.api_only = api_only;
  run.local_only = local_only;
  run.dry_run = dry_run;
  if (vm.count("history-retention-days")) run.history_retention_days = retention_days;
  if (!since_flag.empty()) run.since = civil_day::parse(since_flag);
  if (days > 0)
    run.since = civil_day::from_days_since_epoch(utc_day(now()).days_since_epoch() - days + 1);
  run.zone = zone_flag.empty() ? setting("COSTS_TIMEZONE").value_or("") : zone_flag;
  run.on_notice = [](std::string_view line) { std::cerr << "costs-sync run: " << line << '\n'; };
  const run_report report = sync_run(run);
  // The batch waits in the spool; the next run sends it first.
  if (report.write_failure) throw *report.write_failure;

  const std::string& target = run.target;
  const auto failed = report.failed();
  const auto collected = report.collected();
  if (as_json) {
    nlohmann::json summary = {{"target", target.empty() ? "" : redact_url(target)},
                              {"dry_run", dry_run},
                              {"run_id", report.run_id},
                              {"earlier_runs_sent", report.earlier_runs_sent},
                              {"providers", nlohmann::json::array()},
                              {"written",
                               {{"snapshots", report.written.snapshots},
                                {"cost_daily", report.written.daily_costs},
                                {"usage_daily", report.written.daily_usage},
                                {"sync_log", report.written.log}}},
                              {"failed_providers", failed},
                              {"alert_failures", report.alert_failures},
                              {"raw_responses_pruned", report.raw_responses_pruned},
                              {"notion", nullptr},
                              {"alerts", nlohmann::json::array()},
                              {"duration_seconds", report.seconds}};
    for (const auto& o : report.providers)
      summary["providers"].push_back({{"provider", o.key},
                                      {"status", o.status},
                                      {"detail", o.detail},
                                      {"rows", o.rows},
                                      {"duration_seconds", o.seconds}});
    for (const auto& a : report.alerts)
      summary["alerts"].push_back({{"budget_id", a.budget_id},
                                   {"level", a.level},
                                   {"period_start", a.period_start.to_string()},
                                   {"spent_usd", to_decimal_string(a.spent)},
                                   {"threshold_usd", to_decimal_string(a.threshold)},
                                   {"text", a.text},
                                   {"delivery_errors", a.delivery_errors}});
    if (report.notion)
      summary["notion"] = {{"created", report.notion->created},
                           {"updated", report.notion->updated},
                           {"unchanged", report.notion->unchanged},
                           {"left", report.notion->left},
                           {"error", report.notion->error}};
    std::cout << summary.dump(2) << '\n';
  } else {
    for (const auto& o : report.providers) {
      if (o.status == "unavailable") continue;
      std::cout << provider_label(o.key) << ": " << o.status
                << (o.detail.empty() ? "" : " (" + o.detail + ")") << ", " << o.rows << " rows\n";
    }
    for (const auto& a : report.alerts) std::cout << "alert: " << a.text << '\n';
    if (report.earlier_runs_sent > 0)
      std::cout << "sent " << report.earlier_runs_sent
                << " earlier run(s) that had waited in the spool\n";
    std::cout << collected << " provider(s) collected, " << failed << " failed; "
              << (dry_run ? "dry run, nothing written"
                          : "wrote " + std::to_string(report.written.snapshots) +
                                " snapshot(s) to " + redact_url(target))
              << '\n';
    if (report.raw_responses_pruned > 0)
      std::cout << "retention: nulled the raw responses of " << report.raw_responses_pruned
                << " snapshot(s) past the retention period (their figures are kept)\n";
    if (report.notion)
      std::cout << "notion: " << report.notion->created << " row(s) added, "
                << report.notion->updated << " updated, " << report.notion->unchanged
                << " unchanged"
                << (report.notion->left
                        ? ", " + std::to_string(report.notion->left) + " left for the next run"
                        : std::string())
                << '\n';
    if (report.alert_failures > 0)
      std::cout << report.alert_failures
                << " alert delivery(ies) failed (above); they are kept and retried next run\n";
  }
  if (collected == 0 && failed == 0)
    std::cerr << "costs-sync run: no provider was collected; none is configured or has a "
                 "collector in this build yet\n";
  return failed > 0 || report.alert_failures > 0 ? exit_failed : exit_ok;
}

}  // namespace costs::sync
