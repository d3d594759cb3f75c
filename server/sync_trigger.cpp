#include "sync_trigger.hpp"

#include "costs/batch.hpp"
#include "costs/calendar.hpp"

namespace costs::server {

sync_trigger::sync_trigger(std::string target, std::string zone, std::function<void()> on_finished)
    : target_(std::move(target)), zone_(std::move(zone)), on_finished_(std::move(on_finished)) {}

sync_trigger::~sync_trigger() {
  std::thread last;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    last = std::move(worker_);
  }
  if (last.joinable()) last.join();
}

std::pair<std::string, bool> sync_trigger::start(sync_options options) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (running_) return {latest_.value("run_id", ""), false};
  if (worker_.joinable()) worker_.join();  // the last run has finished: only its thread is left
  options.target = target_;
  options.zone = zone_;
  options.run_id = new_run_id();
  options.dry_run = false;
  running_ = true;
  latest_ = {{"run_id", options.run_id},
             {"status", "running"},
             {"started_at", format_timestamp(now())},
             {"finished_at", nullptr},
             {"providers", nlohmann::json::array()}};
  worker_ = std::thread([this, options] { run(options); });
  return {options.run_id, true};
}

nlohmann::json sync_trigger::latest() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return latest_;
}

void sync_trigger::run(sync_options options) {
  nlohmann::json outcome;
  try {
    const run_report report = sync_run(options);
    nlohmann::json providers = nlohmann::json::array();
    for (const provider_run& p : report.providers)
      providers.push_back({{"provider", p.key},
                           {"status", p.status},
                           {"detail", p.detail},
                           {"rows", p.rows},
                           {"seconds", p.seconds}});
    outcome = {{"status", report.write_failure ? "failed" : "finished"},
               {"providers", providers},
               {"collected", report.collected()},
               {"failed", report.failed()},
               {"alerts", report.alerts.size()},
               {"notices", report.notices},
               {"error", report.write_failure ? nlohmann::json(report.write_failure->message())
                                              : nlohmann::json()}};
  } catch (const costs::error& e) {
    // "run.locked" (a scheduled run holds the lock) and bad configuration end here.
    outcome = {{"status", "failed"}, {"error", e.message()}};
  } catch (const std::exception& e) {
    outcome = {{"status", "failed"}, {"error", std::string("the sync failed: ") + e.what()}};
  }
  if (on_finished_) on_finished_();
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [key, value] : outcome.items()) latest_[key] = value;
  latest_["finished_at"] = format_timestamp(now());
  running_ = false;
}

}  // namespace costs::server
