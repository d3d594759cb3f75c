// The database the server reads: one costs::target per query thread, opened lazily and opened
// afresh after a failure (targets are not thread-safe; threads never share one), and what is
// known of the database's health. While it is down, readers fail fast and only one attempt per
// backoff step (0.25 s doubling to 8 s) reconnects, never one per request; /healthz reads the
// state without waiting on the database.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "costs/target.hpp"

namespace costs::server {

class database {
 public:
  database(std::string url, target_options options);
  ~database();
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  /// This thread's reader. @throws costs::store_error "store.unavailable" when the database
  /// cannot be reached, at once while it is down and the next attempt is not due.
  target& reader();

  /// Is this thread's connection open? False after the server or network dropped it.
  bool connected() const noexcept;

  /// Drops this thread's connection so the next call reconnects (after a failure).
  void reset() noexcept;

  /// A request's outcome: the database answered, or could not be reached (and why).
  void answered();
  void could_not_reach(const std::string& why);

  struct health {
    std::string state;  ///< "ok" or "unavailable"
    std::string error;  ///< why it is unavailable; never a password
    long long checked_ms_ago = 0;
  };
  /// The database's state: the newest outcome when under a second old, else a ping on the
  /// health thread, waited for up to `wait`; a ping still running past it is "unavailable".
  health check(std::chrono::milliseconds wait);

 private:
  struct state;  // shared with the health thread, which may outlive a stuck ping
  std::shared_ptr<state> s_;
};

}  // namespace costs::server
