// costs-sync report daily|weekly|monthly|session|blocks: local usage, offline, no database.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "commands/command.hpp"
#include "commands/options.hpp"
#include "costs/error.hpp"
#include "costs/local_usage.hpp"
#include "costs/paths.hpp"
#include "costs/pricing.hpp"
#include "costs/report.hpp"
#include "output.hpp"

namespace costs::sync {
namespace {

using nlohmann::json;

// A progress line on standard error, for scans long enough to wonder about.
class progress_bar {
 public:
  progress_bar()
      : enabled_(isatty(STDERR_FILENO) != 0), started_(std::chrono::steady_clock::now()) {}
  ~progress_bar() {
    if (shown_) std::fprintf(stderr, "\r%60s\r", "");
  }
  void update(std::uint64_t done, std::uint64_t total) {
    if (!enabled_ || total == 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - started_ < std::chrono::milliseconds(300) ||
        now - last_ < std::chrono::milliseconds(100))
      return;
    last_ = now;
    shown_ = true;
    std::fprintf(stderr, "\rscanning agent logs: %3d%% (%llu of %llu MB)",
                 static_cast<int>(done * 100 / total), static_cast<unsigned long long>(done >> 20),
                 static_cast<unsigned long long>(total >> 20));
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point started_, last_{};
};

json tokens_json(const token_counts& t, std::int64_t calls) {
  return {
      {"input", t.input},           {"output", t.output},       {"cache_write", t.cache_write()},
      {"cache_read", t.cache_read}, {"reasoning", t.reasoning}, {"calls", calls}};
}

const char* period_key(report_period p) {
  return p == report_period::day ? "day" : p == report_period::week ? "week" : "month";
}

int print_periods(const local_ledger& ledger, report_period period, const time_zone& zone,
                  const price_table& prices, const report_filter& filter, bool as_json,
                  bool breakdown) {
  const auto rows = period_rows(ledger, period, zone, prices, filter);
  std::set<std::string> unpriced;
  for (const auto& r : rows)
    if (!r.cost) unpriced.insert(r.model);
  if (as_json) {
    json out = {{"timezone", zone.name()}, {"rows", json::array()}};
    token_counts total, unpriced_tokens;
    std::int64_t calls = 0, unpriced_calls = 0;
    pico_usd cost, reported;
    bool any_reported = false;
    for (const auto& r : rows) {
      json row = {{period_key(period), r.period}, {"source", to_string(r.source)},
                  {"provider", r.vendor},         {"model", r.model},
                  {"model_id", r.model_id},       {"agent", r.agent},
                  {"project", r.project},         {"task", r.task}};
      row.update(tokens_json(r.tokens, r.calls));
      row["cost_usd"] = usd_json(r.cost);
      row["reported_cost_usd"] = usd_json(r.reported);
      out["rows"].push_back(std::move(row));
      total += r.tokens;
      calls += r.calls;
      if (r.cost) {
        cost += *r.cost;
      } else {
        unpriced_calls += r.calls;
        unpriced_tokens += r.tokens;
      }
      if (r.reported) {
        reported += *r.reported;
        any_reported = true;
      }
    }
    out["totals"] = tokens_json(total, calls);
    // A total with unpriced usage in it is no dollar figure: null, the priced part beside it.
    out["totals"]["cost_usd"] = usd_json(unpriced_calls > 0 ? std::nullopt : std::optional(cost));
    out["totals"]["priced_cost_usd"] = usd_json(cost);
    out["totals"]["unpriced_calls"] = unpriced_calls;
    out["totals"]["unpriced_tokens"] = unpriced_tokens.total();
    out["totals"]["reported_cost_usd"] =
        usd_json(any_reported ? std::optional(reported) : std::nullopt);
    out["unpriced_models"] = unpriced;
    std::cout << out.dump(1) << '\n';
    return exit_ok;
  }
  // One line per period (and per model with --breakdown), summed across sources.
  struct line {
    token_counts tokens;
    token_counts unpriced_tokens;
    std::int64_t calls = 0, unpriced_calls = 0;
    pico_usd cost;
    bool unpriced = false;
  };
  std::map<std::string, line> periods;
  std::map<std::pair<std::string, std::string>, line> models;
  line total;
  for (const auto& r : rows) {
    for (line* l : {&periods[r.period], &models[{r.period, r.model}], &total}) {
      l->tokens += r.tokens;
      l->calls += r.calls;
      if (r.cost) {
        l->cost += *r.cost;
      } else {
        l->unpriced = true;
        l->unpriced_calls += r.calls;
        l->unpriced_tokens += r.tokens;
      }
    }
  }
  table t({period_key(period), "input", "output", "cache write", "cache read", "total", "cost"});
  auto add = [&](const std::string& label, const line& l) {
    t.row({label, group_digits(l.tokens.input), group_digits(l.tokens.output),
           group_digits(l.tokens.cache_write()), group_digits(l.tokens.cache_read),
           group_digits(l.tokens.total()), cost_text(l.cost, l.unpriced)});
  };
  for (const auto& [p, l] : periods) {
    add(p, l);
    if (breakdown)
      for (auto it = models.lower_bound({p, ""}); it != models.end() && it->first.first == p; ++it)
        add("  " + it->first.second, it->second);
  }
  t.separator();
  add("total", total);
  t.print(std::cout);
  if (!unpriced.empty()) {
    std::cout << "unpriced: " << group_digits(total.unpriced_calls) << " call(s), "
              << group_digits(total.unpriced_tokens.total())
              << " tokens with no known price, not counted as $0 (";
    bool first = true;
    for (const auto& m : unpriced) std::cout << (first ? "" : ", ") << m, first = false;
    std::cout << ")\n  add them to ~/.config/costs/prices.json to price them\n";
  }
  return exit_ok;
}

int print_sessions(const local_ledger& ledger, const time_zone& zone, const price_table& prices,
                   const report_filter& filter, bool as_json) {
  const auto rows = session_rows(ledger, zone, prices, filter);
  if (as_json) {
    json out = {{"timezone", zone.name()}, {"sessions", json::array()}};
    for (const auto& r : rows) {
      json row = {{"source", to_string(r.source)},
                  {"agent", r.agent},
                  {"project", r.project},
                  {"session", r.session},
                  {"first", format_timestamp(r.first)},
                  {"last", format_timestamp(r.last)},
                  {"models", r.models}};
      row.update(tokens_json(r.tokens, r.calls));
      row["cost_usd"] = usd_json(r.cost);  // null when any call had no price
      row["priced_cost_usd"] = usd_json(r.priced);
      row["reported_cost_usd"] = usd_json(r.reported);
      out["sessions"].push_back(std::move(row));
    }
    std::cout << out.dump(1) << '\n';
    return exit_ok;
  }
  table t({"last activity", "source", "project", "session", "calls", "total", "cost"});
  for (const auto& r : rows) {
    t.row({format_timestamp(r.last).substr(0, 16), to_string(r.source), r.project,
           r.session.substr(0, 36), group_digits(r.calls), group_digits(r.tokens.total()),
           cost_text(r.priced, !r.cost)});
  }
  t.print(std::cout);
  return exit_ok;
}

int print_blocks(const local_ledger& ledger, const time_zone& zone, const price_table& prices,
                 const report_filter& filter, bool as_json) {
  const auto blocks = usage_blocks(ledger, zone, prices, filter, now());
  if (as_json) {
    json out = {{"blocks", json::array()}};
    for (const auto& b : blocks) {
      json j = {{"id", format_timestamp(b.start)},
                {"startTime", format_timestamp(b.start)},
                {"endTime", format_timestamp(b.end)},
                {"actualEndTime", b.last_entry ? json(format_timestamp(*b.last_entry)) : json()},
                {"isActive", b.active},
                {"isGap", b.gap},
                {"entries", b.calls},
                {"tokenCounts",
                 {{"inputTokens", b.tokens.input},
                  {"outputTokens", b.tokens.output},
                  {"cacheCreationInputTokens", b.tokens.cache_write()},
                  {"cacheReadInputTokens", b.tokens.cache_read}}},
                {"totalTokens", b.tokens.total()},
                {"costUSD", b.has_unpriced ? json() : usd_json(b.priced)},
                {"pricedCostUSD", usd_json(b.priced)},
                {"hasUnpriced", b.has_unpriced},
                {"models", b.models}};
      out["blocks"].push_back(std::move(j));
    }
    std::cout << out.dump(1) << '\n';
    return exit_ok;
  }
  table t({"block start", "", "calls", "total", "cost", "models"});
  for (const auto& b : blocks) {
    std::string models;
    for (const auto& m : b.models) models += (models.empty() ? "" : ", ") + m;
    t.row({format_timestamp(b.start).substr(0, 16),
           b.gap      ? "gap"
           : b.active ? "ACTIVE"
                      : "",
           b.gap ? "" : group_digits(b.calls), b.gap ? "" : group_digits(b.tokens.total()),
           b.gap ? "" : cost_text(b.priced, b.has_unpriced), models});
  }
  t.print(std::cout);
  return exit_ok;
}

}  // namespace

int report_command(const std::vector<std::string>& args) {
  std::string since_flag, until_flag, zone_flag;
  std::vector<std::string> source_flags;
  bool as_json = false, breakdown = false, fresh = false, show_stats = false;
  unsigned threads = 0;
  po::options_description options("report options");
  options.add_options()("json", po::bool_switch(&as_json), "print JSON")(
      "since", po::value(&since_flag)->value_name("DATE"), "first day (YYYY-MM-DD)")(
      "until", po::value(&until_flag)->value_name("DATE"), "last day (YYYY-MM-DD)")(
      "timezone", po::value(&zone_flag)->value_name("TZ"), "days in this zone (default: local)")(
      "source", po::value(&source_flags)->value_name("NAME")->composing(),
      "claude, codex, openclaw or gemini (repeatable; default: all)")(
      "breakdown", po::bool_switch(&breakdown), "a line per model under each period")(
      "fresh", po::bool_switch(&fresh), "ignore the remembered scan state and read everything")(
      "stats", po::bool_switch(&show_stats),
      "say on standard error what the scan read and how long it took")(
      "threads", po::value(&threads)->value_name("N"), "scanning threads (default: one per core)");
  po::variables_map vm;
  const std::string action =
      parse_action(args, options, vm, "report", {"daily", "weekly", "monthly", "session", "blocks"},
                   "costs-sync report daily|weekly|monthly|session|blocks [--json] [--since D] "
                   "[--until D] [--timezone TZ] [--source NAME]... [--breakdown]");
  if (action.empty()) return exit_ok;

  report_filter filter;
  if (!since_flag.empty()) filter.since = civil_day::parse(since_flag);
  if (!until_flag.empty()) filter.until = civil_day::parse(until_flag);
  for (const auto& s : source_flags) filter.sources.push_back(parse_local_source(s));
  if (zone_flag.empty()) zone_flag = setting("COSTS_TIMEZONE").value_or("");
  const time_zone zone = zone_flag.empty() ? time_zone::local() : time_zone::named(zone_flag);
  const price_table prices = price_table::load_default();

  scan_options scan;
  scan.sources = filter.sources;
  scan.threads = threads;
  if (!fresh) scan.state_dir = costs_home() / "local";
  progress_bar bar;
  scan.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); };
  scan_stats stats;
  const auto started = std::chrono::steady_clock::now();
  const local_ledger ledger = local_ledger::scan(scan, &stats);
  if (show_stats) {
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    std::fprintf(stderr,
                 "scan: %llu files seen, %llu read (%.1f MB), %llu usage lines, %llu calls new, "
                 "%llu replaced, %llu gateway-log calls already in transcripts, %zu in the "
                 "ledger, %.1f ms\n",
                 static_cast<unsigned long long>(stats.files_seen),
                 static_cast<unsigned long long>(stats.files_read),
                 static_cast<double>(stats.bytes_read) / (1 << 20),
                 static_cast<unsigned long long>(stats.lines_parsed),
                 static_cast<unsigned long long>(stats.new_entries),
                 static_cast<unsigned long long>(stats.replaced_entries),
                 static_cast<unsigned long long>(stats.logged_in_transcripts),
                 ledger.entries().size(), ms);
  }
  if (!stats.ledger_rebuilt.empty())
    std::cerr << "costs-sync report: the remembered usage in " << scan.state_dir.string() << " was "
              << stats.ledger_rebuilt
              << "; it was set aside and rebuilt from the logs (nothing is lost)\n";
  if (stats.malformed > 0)
    std::cerr << "costs-sync report: skipped " << stats.malformed
              << " malformed line(s) in the agents' logs\n";

  if (action == "session") return print_sessions(ledger, zone, prices, filter, as_json);
  if (action == "blocks") return print_blocks(ledger, zone, prices, filter, as_json);
  const report_period period = action == "daily"    ? report_period::day
                               : action == "weekly" ? report_period::week
                                                    : report_period::month;
  return print_periods(ledger, period, zone, prices, filter, as_json, breakdown);
}

}  // namespace costs::sync
