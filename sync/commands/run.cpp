// costs-sync run: collect every configured provider (or those named) and push in one batch.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "commands/command.hpp"
#include "commands/options.hpp"
#include "costs/budgets.hpp"
#include "costs/calendar.hpp"
#include "costs/error.hpp"
#include "costs/forecast.hpp"
#include "costs/history.hpp"
#include "costs/notion.hpp"
#include "costs/paths.hpp"
#include "costs/pricing.hpp"
#include "costs/provider.hpp"
#include "costs/registry.hpp"
#include "costs/secrets.hpp"
#include "costs/spool.hpp"
#include "costs/store.hpp"
#include "output.hpp"

#if !defined(_WIN32)
#include <unistd.h>
#endif

namespace costs::sync {
namespace {

struct provider_outcome {
  std::string key;
  std::string status;  ///< a collect_status word, or "unavailable" (no collector in this build)
  std::string detail;
  std::int64_t rows = 0;
  double seconds = 0;
};

std::string host_name() {
#if !defined(_WIN32)
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) == 0) return buf;
#endif
  return "localhost";
}

std::vector<std::string_view> selected_keys(const std::vector<std::string>& wanted) {
  std::vector<std::string_view> keys;
  for (const auto& key : wanted) {
    const provider_info* info = find_provider(key);
    if (info == nullptr) {
      std::string known;
      for (const auto& p : all_providers())
        known += (known.empty() ? "" : ", ") + std::string(p.key);
      throw config_error("cli.unknown_provider", "unknown provider '" + key + "'; known: " + known);
    }
    keys.push_back(info->key);
  }
  if (keys.empty())
    for (const auto& p : all_providers()) keys.push_back(p.key);
  return keys;
}

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

// Fires what the budgets call for and hands each alert to its channels; standard output (the
// run's own report) always gets it. Returns how many deliveries failed: those alerts stay
// pending and go out on the next run.
int send_alerts(budget_book& book, civil_day today, nlohmann::json& shown) {
  apply_config_rules(book, config_budget_rules());  // the config file's rules, kept in step
  const std::string page = setting("COSTS_PAGE_URL").value_or("");
  int failures = 0;
  for (const auto& a : book.pending_alerts(today)) {
    std::vector<std::string> took = a.delivered;
    std::string errors;
    for (const auto& channel : a.rule.channels) {
      const std::string id = channel_id(channel);
      if (std::find(took.begin(), took.end(), id) != took.end()) continue;
      const std::string failure = deliver_alert(a, channel, page);
      if (failure.empty()) {
        took.push_back(id);
      } else {
        ++failures;
        errors += (errors.empty() ? "" : "; ") + failure;
        std::cerr << "costs-sync run: alert for budget " << a.rule.id << " not delivered ("
                  << failure << "); it is kept and retried next run\n";
      }
    }
    book.record_delivery(a, took, errors);
    shown.push_back({{"budget_id", a.rule.id},
                     {"level", a.level},
                     {"period_start", a.period_start.to_string()},
                     {"spent_usd", to_decimal_string(a.spent)},
                     {"threshold_usd", to_decimal_string(a.threshold)},
                     {"text", alert_text(a, page)},
                     {"delivery_errors", errors}});
  }
  return failures;
}

// The optional Notion summary: yesterday's row (final) and today's (so far), each updated in
// place. Returns how many rows Notion refused, after one line on standard error for each.
int send_notion(const std::string& target, budget_book& book, civil_day today) {
  const auto token = setting("NOTION_TOKEN");
  const auto database = setting("COSTS_NOTION_DATABASE_ID");
  if (!token || !database) return 0;
  const civil_day month = period_start("month", today);
  const civil_day before = civil_day::from_days_since_epoch(today.days_since_epoch() - 2);
  const auto history = read_history(target, month < before ? month : before, today,
                                    setting("COSTS_SUPABASE_KEY").value_or(""));
  std::vector<day_cost> totals;
  for (const auto& p : history) totals.insert(totals.end(), p.days.begin(), p.days.end());
  std::optional<micro_usd> monthly;
  for (const auto& r : book.list())
    if (r.enabled && r.kind == "spend" && r.scope_kind == "total" && r.period == "month")
      monthly = r.threshold;
  int failures = 0;
  for (long long back = 1; back >= 0; --back) {
    notion_day d;
    d.day = civil_day::from_days_since_epoch(today.days_since_epoch() - back);
    const civil_day prior = civil_day::from_days_since_epoch(d.day.days_since_epoch() - 1);
    d.total = spend_between(totals, d.day, d.day);
    d.change = d.total - spend_between(totals, prior, prior);
    for (const auto& p : history) {
      const micro_usd c = spend_between(p.days, d.day, d.day);
      if (c.value != 0) d.providers.push_back({p.provider, c});
    }
    if (monthly && monthly->value > 0)
      d.budget_share =
          static_cast<double>(spend_between(totals, period_start("month", d.day), d.day).value) /
          static_cast<double>(monthly->value);
    const std::string failed = write_notion_day(*token, *database, d);
    if (!failed.empty()) {
      ++failures;
      std::cerr << "costs-sync run: the Notion summary for " << d.day.to_string()
                << " was not written (" << failed << "); the next run writes it\n";
    }
  }
  return failures;
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  std::string target_flag;
  std::vector<std::string> wanted;
  std::string since_flag;
  std::string zone_flag;
  int days = 0;
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
      "log-file", po::value(&log_file)->value_name("FILE"),
      "append output to FILE, rotated at 1 MiB keeping 3 (scheduled runs use this)")(
      "json", po::bool_switch(&as_json), "print a machine-readable summary");
  po::variables_map vm;
  if (!parse_options(args, options, vm,
                     "costs-sync run [--target URL] [--provider KEY]... [--since DATE | --days N] "
                     "[--dry-run] [--json]"))
    return exit_ok;

  if (!log_file.empty()) redirect_to_log(log_file);
  if (api_only && local_only)
    throw config_error("cli.usage", "pass --api-only or --local-only, not both");
  const std::string target =
      dry_run ? resolve_target(target_flag) : require_target(target_flag, false);
  if (!target.empty() && !is_postgres_url(target) && target.rfind("https://", 0) != 0 &&
      target.rfind("http://", 0) != 0)
    throw config_error("cli.bad_target",
                       "the target is a postgres:// URL or a Supabase / PostgREST https:// URL");
  if (!since_flag.empty() && days > 0)
    throw config_error("cli.usage", "pass --since or --days, not both");

  // One run at a time: a second one waits for the first, then goes on.
  std::optional<file_lock> lock;
  if (!dry_run) {
    const auto lock_file = costs_home() / "run.lock";
    long wait_seconds = 600;
    if (auto v = setting("COSTS_LOCK_WAIT_SECONDS")) wait_seconds = std::stol(*v);
    lock.emplace(lock_file, std::chrono::seconds(wait_seconds), [] {
      std::cerr << "costs-sync run: another run is in progress; waiting for it to finish\n";
    });
    if (!lock->held())
      throw error("run.locked", "another costs-sync run held " + lock_file.string() + " for " +
                                    std::to_string(wait_seconds) +
                                    " s; try again when it has finished");
  }

  collect_context context;
  context.now = now();
  context.host = host_name();
  if (!since_flag.empty()) context.since = civil_day::parse(since_flag);
  if (days > 0)
    context.since =
        civil_day::from_days_since_epoch(utc_day(context.now).days_since_epoch() - days + 1);
  const price_table prices = price_table::load_default();
  context.prices = &prices;
  if (zone_flag.empty()) zone_flag = setting("COSTS_TIMEZONE").value_or("");
  const time_zone zone = zone_flag.empty() ? time_zone::local() : time_zone::named(zone_flag);
  context.zone = &zone;
  context.state_dir = costs_home() / "local";

  sync_batch batch;
  std::vector<provider_outcome> outcomes;
  for (const auto key : selected_keys(wanted)) {
    const bool local = find_provider(key)->source == source_kind::local_session;
    if ((api_only && local) || (local_only && !local)) continue;
    provider_outcome outcome{std::string(key), "unavailable", "no collector in this build yet"};
    const auto started = now();
    if (auto p = make_provider(key)) {
      const detection found = p->detect();
      if (!found.configured) {
        // Logged too: the page's empty state and /api/providers say, source by source, what
        // was looked for and what to set.
        outcome.status = to_string(collect_status::not_configured);
        outcome.detail = found.reason;
        batch.log.push_back(
            {outcome.key, context.host, started, now(), outcome.status, 0, outcome.detail});
      } else {
        collect_result result = p->collect(context);
        outcome.status = to_string(result.status);
        outcome.detail = result.error;
        outcome.rows = static_cast<std::int64_t>(result.daily_costs.size() +
                                                 result.daily_usage.size() + (result.snap ? 1 : 0));
        if (result.snap) batch.snapshots.push_back(std::move(*result.snap));
        std::move(result.daily_costs.begin(), result.daily_costs.end(),
                  std::back_inserter(batch.daily_costs));
        std::move(result.daily_usage.begin(), result.daily_usage.end(),
                  std::back_inserter(batch.daily_usage));
        std::move(result.hourly_costs.begin(), result.hourly_costs.end(),
                  std::back_inserter(batch.hourly_costs));
        const auto finished = now();
        outcome.seconds = std::chrono::duration<double>(finished - started).count();
        batch.log.push_back({outcome.key, context.host, started, finished, outcome.status,
                             outcome.rows, outcome.detail});
      }
    }
    outcomes.push_back(std::move(outcome));
  }

  write_summary written;
  std::size_t earlier_runs_sent = 0;
  if (!dry_run) {
    // Written to the spool before it is sent: from here on a crash or an outage loses nothing,
    // and the run id makes a resend add nothing twice. Earlier runs that waited go first.
    batch.run_id = new_run_id();
    spool waiting(costs_home() / "spool");
    const auto mine = waiting.put(batch);
    try {
      const auto db =
          is_postgres_url(target)
              ? open_postgres_store(target)
              : open_postgrest_store(target, setting("COSTS_SUPABASE_KEY").value_or(""));
      for (const auto& file : waiting.pending()) {
        if (file == mine) {
          written = db->write(batch);
        } else {
          sync_batch earlier;
          try {
            earlier = spool::load(file);
          } catch (const parse_error& e) {
            std::filesystem::rename(file, file.string() + ".damaged");
            std::cerr << "costs-sync run: set aside a damaged spool file (" << e.message()
                      << "): " << file.string() << ".damaged\n";
            continue;
          }
          db->write(earlier);
          ++earlier_runs_sent;
        }
        spool::remove(file);
      }
    } catch (const store_error& e) {
      const auto left = waiting.pending().size();
      throw store_error(e.code(), e.message() + "; " + std::to_string(left) + " run(s) wait in " +
                                      waiting.dir().string() + " and will be sent first next time");
    }
  }

  // Budgets are judged on what is now in the database, after every sync.
  nlohmann::json alerts = nlohmann::json::array();
  int alert_failures = 0;
  if (!dry_run) {
    try {
      const civil_day today = zone.day_of(now());
      auto book = open_budget_book(target, setting("COSTS_SUPABASE_KEY").value_or(""));
      alert_failures = send_alerts(*book, today, alerts);
      alert_failures += send_notion(target, *book, today);
    } catch (const error& e) {
      ++alert_failures;
      std::cerr << "costs-sync run: budgets were not checked: " << e.message() << '\n';
    }
  }

  const auto failed = std::count_if(outcomes.begin(), outcomes.end(), [](const auto& o) {
    return o.status != "ok" && o.status != "not_configured" && o.status != "unavailable";
  });
  const auto collected = std::count_if(outcomes.begin(), outcomes.end(),
                                       [](const auto& o) { return o.status == "ok"; });
  if (as_json) {
    nlohmann::json summary = {{"target", target.empty() ? "" : redact_url(target)},
                              {"dry_run", dry_run},
                              {"run_id", batch.run_id},
                              {"earlier_runs_sent", earlier_runs_sent},
                              {"providers", nlohmann::json::array()},
                              {"written",
                               {{"snapshots", written.snapshots},
                                {"cost_daily", written.daily_costs},
                                {"usage_daily", written.daily_usage},
                                {"sync_log", written.log}}},
                              {"failed_providers", failed},
                              {"alert_failures", alert_failures},
                              {"alerts", alerts}};
    for (const auto& o : outcomes)
      summary["providers"].push_back({{"provider", o.key},
                                      {"status", o.status},
                                      {"detail", o.detail},
                                      {"rows", o.rows},
                                      {"duration_seconds", o.seconds}});
    std::cout << summary.dump(2) << '\n';
  } else {
    for (const auto& o : outcomes) {
      if (o.status == "unavailable") continue;
      std::cout << provider_label(o.key) << ": " << o.status
                << (o.detail.empty() ? "" : " (" + o.detail + ")") << ", " << o.rows << " rows\n";
    }
    for (const auto& a : alerts) std::cout << "alert: " << a["text"].get<std::string>() << '\n';
    if (earlier_runs_sent > 0)
      std::cout << "sent " << earlier_runs_sent << " earlier run(s) that had waited in the spool\n";
    std::cout << collected << " provider(s) collected, " << failed << " failed; "
              << (dry_run ? "dry run, nothing written"
                          : "wrote " + std::to_string(written.snapshots) + " snapshot(s) to " +
                                redact_url(target))
              << '\n';
    if (alert_failures > 0)
      std::cout << alert_failures
                << " alert delivery(ies) failed (above); they are kept and retried next run\n";
  }
  if (collected == 0 && failed == 0)
    std::cerr << "costs-sync run: no provider was collected; none is configured or has a "
                 "collector in this build yet\n";
  return failed > 0 || alert_failures > 0 ? exit_failed : exit_ok;
}

}  // namespace costs::sync
