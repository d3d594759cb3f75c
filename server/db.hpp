// The database the server reads: one costs::target per worker thread, opened lazily and opened
// afresh after a failure. Targets are not thread-safe; threads never share one.
#pragma once

#include <string>

#include "costs/target.hpp"

namespace costs::server {

class database {
 public:
  explicit database(std::string url, target_options options = {})
      : url_(std::move(url)), options_(options) {}

  /// This thread's reader. @throws costs::store_error "store.unavailable" when the database
  /// cannot be reached.
  target& reader();

  /// Is this thread's connection open? False after the server or network dropped it.
  bool connected() const noexcept;

  /// Drops this thread's connection so the next call reconnects (after a failure).
  void reset() noexcept;

 private:
  std::string url_;
  target_options options_;
};

}  // namespace costs::server
