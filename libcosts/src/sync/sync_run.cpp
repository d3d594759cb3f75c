#include "costs/sync_run.hpp"

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <iterator>
#include <memory>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "costs/budgets.hpp"
#include "costs/error.hpp"
#include "costs/forecast.hpp"
#include "costs/history.hpp"
#include "costs/notion.hpp"
#include "costs/paths.hpp"
#include "costs/pricing.hpp"
#include "costs/provider.hpp"
#include "costs/registry.hpp"
#include "costs/spool.hpp"
#include "costs/target.hpp"
#include "http/http_client.hpp"
#include "notion/notion_figures.hpp"

#if !defined(_WIN32)
#include <unistd.h>
#endif

namespace costs {
namespace {

using steady = std::chrono::steady_clock;

// Past its deadline a provider's HTTP requests have stopped; this is how long it may still take
// to finish what it has (parse, price) before the run goes on without it.
constexpr std::chrono::seconds finish_grace{5};

std::string host_name() {
#if !defined(_WIN32)
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) == 0) return buf;
#endif
  return "localhost";
}

// A number of days from the environment or config file; 0 and more.
int days_setting(const char* name, int fallback) {
  return static_cast<int>(
      whole_number_setting(name, fallback, 0, 36500, "days (0 keeps everything)"));
}

std::chrono::seconds seconds_setting(const char* name, std::chrono::seconds given,
                                     std::chrono::seconds fallback) {
  if (given.count() > 0) return given;
  return std::chrono::seconds(whole_number_setting(name, static_cast<long>(fallback.count()), 1,
                                                   365L * 24 * 3600, "seconds"));
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
    if (!info->collected)
      throw config_error("cli.not_collected",
                         "'" + key +
                             "' is what agents send to costs-server (POST /api/costs/llm); "
                             "a sync has nothing to collect for it");
    keys.push_back(info->key);
  }
  if (keys.empty())
    for (const auto& p : all_providers())
      if (p.collected) keys.push_back(p.key);
  return keys;
}

// What the collecting threads share. Owned jointly, so a provider left behind at its deadline
// can finish on its own without reading freed memory.
struct shared_inputs {
  price_table prices;
  time_zone zone;
  collect_context context;
};

// One provider's collection, filled by its thread.
struct slot {
  std::mutex mutex;
  std::condition_variable finished_cv;
  bool finished = false;
  provider_run outcome;
  collect_result result;
  std::optional<sync_log_entry> log;
};

void collect_one(const std::shared_ptr<shared_inputs>& in, const std::shared_ptr<slot>& out,
                 std::string key, steady::time_point deadline, std::chrono::seconds budget) {
  provider_run outcome{key, "unavailable", "no collector in this build yet"};
  collect_result result;
  std::optional<sync_log_entry> log;
  const timestamp started = now();
  try {
    const detail::deadline_scope scope(deadline, budget);
    if (auto p = make_provider(key)) {
      const detection found = p->detect();
      if (!found.configured) {
        // Logged too: the page's empty state and /api/providers say, source by source, what
        // was looked for and what to set.
        outcome.status = to_string(collect_status::not_configured);
        outcome.detail = found.reason;
        log = sync_log_entry{key, in->context.host, started, now(), outcome.status,
                             0,   outcome.detail};
      } else {
        result = p->collect(in->context);
        outcome.status = to_string(result.status);
        outcome.detail = result.error;
        outcome.rows = static_cast<std::int64_t>(result.daily_costs.size() +
                                                 result.daily_usage.size() + (result.snap ? 1 : 0));
        const timestamp finished = now();
        outcome.seconds = std::chrono::duration<double>(finished - started).count();
        log = sync_log_entry{key,          in->context.host, started, finished, outcome.status,
                             outcome.rows, outcome.detail};
      }
    }
  } catch (const std::exception& e) {
    // A collector's contract is to return failures; one that throws fails alone, said plainly.
    result = collect_result{};
    outcome.status = to_string(collect_status::failed);
    outcome.detail = provider_label(key) + " failed: " + e.what();
    outcome.rows = 0;
    log = sync_log_entry{key, in->context.host, started, now(), outcome.status, 0, outcome.detail};
  }
  std::lock_guard<std::mutex> lock(out->mutex);
  out->outcome = std::move(outcome);
  out->result = std::move(result);
  out->log = std::move(log);
  out->finished = true;
  out->finished_cv.notify_all();
}

// One sync, step by step; each step adds to the report.
class runner {
 public:
  runner(const sync_options& options, run_report& report) : options_(options), report_(report) {}

  void notice(std::string line) {
    if (options_.on_notice) options_.on_notice(line);
    report_.notices.push_back(std::move(line));
  }

  // Every provider at once, each on its own thread within `budget`. One left behind at the
  // deadline is reported as failed; its thread finishes alone and what it finds is dropped.
  sync_batch collect(const std::shared_ptr<shared_inputs>& in,
                     const std::vector<std::string_view>& keys, std::chrono::seconds budget) {
    struct running {
      std::string key;
      std::shared_ptr<slot> out;
      std::thread thread;
    };
    const timestamp started = now();
    const steady::time_point deadline = steady::now() + budget;
    std::vector<running> all;
    for (const auto key : keys) {
      const bool local = find_provider(key)->source == source_kind::local_session;
      if ((options_.api_only && local) || (options_.local_only && !local)) continue;
      auto out = std::make_shared<slot>();
      all.push_back({std::string(key), out,
                     std::thread(collect_one, in, out, std::string(key), deadline, budget)});
    }
    sync_batch batch;
    for (auto& r : all) {
      std::unique_lock<std::mutex> lock(r.out->mutex);
      if (!r.out->finished_cv.wait_until(lock, deadline + finish_grace,
                                         [&] { return r.out->finished; })) {
        lock.unlock();
        r.thread.detach();
        provider_run late{r.key, to_string(collect_status::failed),
                          provider_label(r.key) + " did not finish within the run's " +
                              std::to_string(budget.count()) +
                              " s; it will be tried again next run"};
        late.seconds = std::chrono::duration<double>(now() - started).count();
        batch.log.push_back({r.key, in->context.host, started, now(), late.status, 0, late.detail});
        report_.providers.push_back(std::move(late));
        continue;
      }
      lock.unlock();
      r.thread.join();
      collect_result& result = r.out->result;
      if (result.snap) batch.snapshots.push_back(std::move(*result.snap));
      std::move(result.daily_costs.begin(), result.daily_costs.end(),
                std::back_inserter(batch.daily_costs));
      std::move(result.daily_usage.begin(), result.daily_usage.end(),
                std::back_inserter(batch.daily_usage));
      std::move(result.hourly_costs.begin(), result.hourly_costs.end(),
                std::back_inserter(batch.hourly_costs));
      std::move(result.sessions.begin(), result.sessions.end(), std::back_inserter(batch.sessions));
      std::move(result.hourly_usage.begin(), result.hourly_usage.end(), std::back_inserter(hours_));
      if (r.out->log) batch.log.push_back(std::move(*r.out->log));
      report_.providers.push_back(std::move(r.out->outcome));
    }
    return batch;
  }

  // Written to the spool before it is sent: from here on a crash or an outage loses nothing,
  // and the run id makes a resend add nothing twice. Earlier runs that waited go first.
  void write(sync_batch& batch) {
    batch.run_id = options_.run_id.empty() ? new_run_id() : options_.run_id;
    report_.run_id = batch.run_id;
    spool waiting(costs_home() / "spool");
    const auto mine = waiting.put(batch);
    try {
      const auto db = open_db();
      for (const auto& file : waiting.pending()) {
        if (file == mine) {
          report_.written = db->write(batch);
        } else {
          sync_batch earlier;
          try {
            earlier = spool::load(file);
          } catch (const parse_error& e) {
            std::filesystem::rename(file, file.string() + ".damaged");
            notice("set aside a damaged spool file (" + e.message() + "): " + file.string() +
                   ".damaged");
            continue;
          }
          db->write(earlier);
          ++report_.earlier_runs_sent;
        }
        spool::remove(file);
      }
    } catch (const store_error& e) {
      const auto left = waiting.pending().size();
      report_.write_failure =
          store_error(e.code(), e.message() + "; " + std::to_string(left) + " run(s) wait in " +
                                    waiting.dir().string() + " and will be sent first next time");
    }
  }

  // Raw responses past the retention period are nulled a bounded batch at a time, each batch
  // its own short transaction; what one run leaves, the next continues. A failure is a notice:
  // the figures are written, and nothing is lost by pruning later.
  void retain(int days) {
    if (days <= 0) return;
    constexpr int batch = 1000, most_batches = 100;
    const timestamp before = now() - std::chrono::hours(24LL * days);
    try {
      const auto db = open_db();
      for (int i = 0; i < most_batches; ++i) {
        const std::int64_t pruned = db->prune_raw_responses(before, batch);
        report_.raw_responses_pruned += pruned;
        if (pruned < batch) break;
      }
    } catch (const store_error& e) {
      notice("raw responses older than " + std::to_string(days) +
             " days were not pruned this run (" + e.message() + "); the next run tries again");
    }
  }

  // Fires what the budgets call for and hands each alert to its channels. Failed deliveries
  // stay pending and go out on the next run.
  void send_alerts(budget_book& book, civil_day today) {
    apply_config_rules(book, config_budget_rules());  // the config file's rules, kept in step
    const std::string page = setting("COSTS_PAGE_URL").value_or("");
    std::string skipped;
    // One bad rule never silences the others: it is skipped, said, and retried next run.
    auto skip = [&](const budget_alert& a, const std::string& what) {
      ++report_.alert_failures;
      const std::string why =
          "alert for budget " + std::to_string(a.rule.id) + " skipped (" + what + ")";
      notice(why + "; fix or remove that rule; the other budgets were still checked");
      skipped += (skipped.empty() ? "" : "; ") + why;
    };
    for (const auto& a : book.pending_alerts(today)) {
      try {
        deliver(book, a, page);
      } catch (const error& e) {
        skip(a, e.message());
      } catch (const std::exception& e) {
        skip(a, e.what());
      }
    }
    if (!skipped.empty()) log_skipped(skipped);
  }

  // Skipped rules go into the sync log too (provider "alerts"), where the page and
  // /api/sync/log show failures, not only on this run's standard error.
  void log_skipped(const std::string& why) {
    sync_batch batch;
    batch.run_id = report_.run_id.empty() ? new_run_id() : report_.run_id + "-alerts";
    sync_log_entry entry;
    entry.provider = "alerts";
    entry.started_at = entry.finished_at = now();
    entry.status = "failed";
    entry.error = why.substr(0, 500) + "; fix or remove the rule (costs-sync budgets)";
    batch.log.push_back(entry);
    open_db()->write(batch);
  }

  std::unique_ptr<target> open_db() const {
    target_options how;
    how.rest_key = options_.supabase_key;
    return open_target(options_.target, how);
  }

  void deliver(budget_book& book, const budget_alert& a, const std::string& page) {
    std::vector<std::string> took = a.delivered;
    std::string errors;
    if (!a.rule.channels.is_array())
      throw error("budgets.bad_channels", "its channels are not a list");
    for (const auto& channel : a.rule.channels) {
      const std::string id = channel_id(channel);
      if (std::find(took.begin(), took.end(), id) != took.end()) continue;
      const std::string failure = deliver_alert(a, channel, page);
      if (failure.empty()) {
        took.push_back(id);
      } else {
        ++report_.alert_failures;
        errors += (errors.empty() ? "" : "; ") + failure;
        notice("alert for budget " + std::to_string(a.rule.id) + " not delivered (" + failure +
               "); it is kept and retried next run");
      }
    }
    book.record_delivery(a, took, errors);
    report_.alerts.push_back(
        {a.rule.id, a.level, a.period_start, a.spent, a.threshold, alert_text(a, page), errors});
  }

  // The Notion tracker, when NOTION_TOKEN is set: set up on the first run under
  // NOTION_PARENT_PAGE_ID, then the rows that changed. A failure is a notice; the rows left go
  // next run.
  void send_notion(budget_book& book, civil_day today) {
    const auto token = setting("NOTION_TOKEN");
    if (!token) return;
    if (setting("COSTS_NOTION_DATABASE_ID"))
      notice(
          "COSTS_NOTION_DATABASE_ID is no longer read: the tracker makes its own databases "
          "under NOTION_PARENT_PAGE_ID ('costs-sync notion setup')");
    notion_tracker tracker(*token);
    const auto ids = tracker.remembered();
    if (!ids || !ids->complete() || !ids->current) {
      const auto parent = setting("NOTION_PARENT_PAGE_ID");
      if (!parent && !ids) {
        ++report_.alert_failures;
        notice(
            "NOTION_TOKEN is set but no Notion page is: set NOTION_PARENT_PAGE_ID to the page "
            "the tracker's databases go under, shared with the integration");
        return;
      }
      const auto made = tracker.setup(parent.value_or(""));
      if (!made.error.empty()) {
        ++report_.alert_failures;
        notice("the Notion tracker was not set up (" + made.error + "); the next run tries again");
        return;
      }
    }
    const auto db = open_db();
    const auto update = detail::notion_figures(*db, book.list(), hours_, today);
    report_.notion = tracker.write(update);
    if (!report_.notion->error.empty()) {
      ++report_.alert_failures;
      notice("Notion: " + report_.notion->error);
    }
  }

  // Budgets are judged on what is now in the database, after every sync.
  void judge(const time_zone& zone) {
    try {
      const civil_day today = zone.day_of(now());
      auto book = open_budget_book(options_.target, options_.supabase_key);
      try {
        send_alerts(*book, today);
      } catch (const error& e) {
        ++report_.alert_failures;
        notice("budgets were not checked: " + e.message());
      }
      try {  // the tracker is written even when an alert could not be judged
        send_notion(*book, today);
      } catch (const error& e) {
        ++report_.alert_failures;
        notice("the Notion tracker was not updated: " + e.message() + "; the next run tries again");
      }
    } catch (const error& e) {
      ++report_.alert_failures;
      notice("budgets were not checked: " + e.message());
    }
  }

 private:
  const sync_options& options_;
  run_report& report_;
  std::vector<hourly_usage> hours_;  ///< local hours by agent and cost type, for Notion
};

}  // namespace

run_report sync_run(const sync_options& options) {
  if (options.api_only && options.local_only)
    throw config_error("cli.usage", "pass --api-only or --local-only, not both");
  const std::string& target = options.target;
  if (!options.dry_run && target.empty())
    throw config_error("cli.no_target", "a sync that writes needs a target");
  if (!target.empty() && !is_postgres_url(target) && target.rfind("https://", 0) != 0 &&
      target.rfind("http://", 0) != 0)
    throw config_error("cli.bad_target",
                       "the target is a postgres:// URL or a Supabase / PostgREST https:// URL");
  const auto keys = selected_keys(options.providers);
  const auto budget = seconds_setting("COSTS_PROVIDER_DEADLINE_SECONDS", options.provider_deadline,
                                      std::chrono::seconds(120));
  const auto lock_wait =
      seconds_setting("COSTS_LOCK_WAIT_SECONDS", options.lock_wait, std::chrono::seconds(600));
  const int retention_days = options.history_retention_days
                                 ? *options.history_retention_days
                                 : days_setting("COSTS_HISTORY_RETENTION_DAYS", 90);
  if (retention_days < 0)
    throw config_error("sync.bad_setting", "the history retention is a number of days, 0 or more");

  run_report report;
  report.dry_run = options.dry_run;
  runner r(options, report);
  const auto started = steady::now();

  // One run at a time, across processes and threads: a second one waits for the first.
  std::optional<file_lock> lock;
  if (!options.dry_run) {
    const auto lock_file = costs_home() / "run.lock";
    lock.emplace(lock_file, lock_wait,
                 [&] { r.notice("another run is in progress; waiting for it to finish"); });
    if (!lock->held())
      throw error("run.locked", "another costs-sync run held " + lock_file.string() + " for " +
                                    std::to_string(lock_wait.count()) +
                                    " s; try again when it has finished");
  }

  auto in = std::make_shared<shared_inputs>(
      shared_inputs{price_table::load_default(),
                    options.zone.empty() ? time_zone::local() : time_zone::named(options.zone),
                    {}});
  in->context.now = now();
  in->context.host = host_name();
  in->context.since = options.since;
  in->context.prices = &in->prices;
  in->context.zone = &in->zone;
  in->context.state_dir = costs_home() / "local";

  sync_batch batch = r.collect(in, keys, budget);
  if (!options.dry_run) {
    r.write(batch);
    if (!report.write_failure) {
      r.judge(in->zone);
      r.retain(retention_days);
    }
  }
  report.seconds = std::chrono::duration<double>(steady::now() - started).count();
  return report;
}

std::size_t run_report::failed() const {
  return static_cast<std::size_t>(std::count_if(providers.begin(), providers.end(), [](auto& p) {
    return p.status != "ok" && p.status != "not_configured" && p.status != "unavailable";
  }));
}

std::size_t run_report::collected() const {
  return static_cast<std::size_t>(
      std::count_if(providers.begin(), providers.end(), [](auto& p) { return p.status == "ok"; }));
}

}  // namespace costs
