// A short-lived cache of answered JSON, so a burst of page loads costs one query per route and
// query string. Concurrent misses on one key wait for the first to finish rather than each
// asking the database (single flight). Bodies carry their ETag, computed once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace costs::server {

struct cached_body {
  std::string body;
  std::string etag;  ///< a strong validator: the body's hash in hex, quoted
};

/// The ETag of a body.
std::string etag_of(const std::string& body);

class result_cache {
 public:
  /// A ttl of zero turns caching off: every call computes.
  explicit result_cache(std::chrono::milliseconds ttl) : ttl_(ttl) {}

  /// The body for `key`, made by `make` when absent or older than the ttl. An exception from
  /// `make` reaches every caller waiting on it and nothing is cached.
  std::shared_ptr<const cached_body> get(const std::string& key,
                                         const std::function<std::string()>& make);

  /// Forgets every answer (after a write that changes them).
  void clear();

  unsigned long long hits() const noexcept { return hits_; }
  unsigned long long misses() const noexcept { return misses_; }

 private:
  using clock = std::chrono::steady_clock;
  struct entry {
    std::shared_future<std::shared_ptr<const cached_body>> value;
    clock::time_point expires;  ///< time_point::max() while being made
  };
  std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  std::map<std::string, entry> entries_;
  std::atomic<unsigned long long> hits_{0};
  std::atomic<unsigned long long> misses_{0};
};

/// Requests being answered, so SIGTERM can stop taking new ones and wait for these.
class drain_gate {
 public:
  /// False once draining: the caller answers 503 instead.
  bool enter();
  void leave();
  /// Refuses new requests, then waits up to `limit` for the ones in flight; true when all ended.
  bool drain(std::chrono::milliseconds limit);

 private:
  std::mutex mutex_;
  std::condition_variable idle_;
  int in_flight_ = 0;
  bool draining_ = false;
};

}  // namespace costs::server
