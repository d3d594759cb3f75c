// The server's sync trigger (POST /api/sync): runs costs::sync_run on a thread of its own, one
// at a time, and remembers how the latest run went for GET /api/sync.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "costs/sync_run.hpp"

namespace costs::server {

class sync_trigger {
 public:
  /// Runs write to `target` (the admin database URL), their days in `zone`; `on_finished` is
  /// called on the run's thread once it has written (the server forgets its cached answers).
  sync_trigger(std::string target, std::string zone, std::function<void()> on_finished = {});
  /// Waits for a run in progress: its rows are written whole or not at all.
  ~sync_trigger();
  sync_trigger(const sync_trigger&) = delete;
  sync_trigger& operator=(const sync_trigger&) = delete;

  /// Starts a run with `options` (target, zone and run id are the trigger's), unless one is
  /// running. @returns the run id, and whether this call started it.
  std::pair<std::string, bool> start(sync_options options);

  /// The latest run: {run_id, status: running | finished | failed, started_at, finished_at,
  /// providers, ...}, or null before the first.
  nlohmann::json latest() const;

 private:
  void run(sync_options options);

  std::string target_, zone_;
  std::function<void()> on_finished_;
  mutable std::mutex mutex_;
  std::thread worker_;
  bool running_ = false;
  nlohmann::json latest_;
};

}  // namespace costs::server
