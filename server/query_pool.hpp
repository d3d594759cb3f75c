// Database work off the network threads. Pistache's threads parse requests and write answers;
// every handler that reads the database runs on one of these threads instead, so a query that
// waits (on a lock, or on a database that stopped answering) never holds a connection's event
// loop: /healthz and /metrics keep answering. A job that cannot start in time (every thread is
// waiting on the database) or finds the queue full is answered at once, by its `expire`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace costs::server {

class query_pool {
 public:
  /// `threads` run jobs; at most `max_waiting` wait, each at most `max_wait`.
  query_pool(int threads, std::size_t max_waiting, std::chrono::milliseconds max_wait);
  ~query_pool();
  query_pool(const query_pool&) = delete;
  query_pool& operator=(const query_pool&) = delete;

  /// Queues `run`; when the queue is full, the pool stopping, or `run` not started within
  /// max_wait, `expire` is called instead (on the caller's thread or the pool's timer).
  void post(std::function<void()> run, std::function<void()> expire);
  /// Runs what is already queued, then joins the threads. Idempotent.
  void stop();
  /// Jobs queued and not started, and jobs running now (the /metrics gauges).
  std::size_t waiting() const;
  std::size_t running() const;

 private:
  struct job {
    std::function<void()> run, expire;
    std::chrono::steady_clock::time_point queued;
  };
  void work();
  void watch();

  mutable std::mutex mutex_;
  std::condition_variable ready_, stopped_;
  std::deque<job> jobs_;
  std::size_t max_waiting_;
  std::chrono::milliseconds max_wait_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  std::thread timer_;
};

}  // namespace costs::server
