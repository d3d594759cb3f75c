// Request counts, latencies and database errors, in Prometheus' text format (GET /metrics).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace costs::server {

class metrics {
 public:
  void observe(const std::string& route, int status, std::chrono::nanoseconds elapsed);
  void database_error() noexcept;
  void connection_refused() noexcept;
  std::string text() const;

 private:
  static constexpr double bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0};
  struct route_stats {
    std::map<int, unsigned long long> by_status;
    unsigned long long buckets[sizeof(bounds) / sizeof(bounds[0])] = {};
    unsigned long long count = 0;
    double seconds = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::string, route_stats> routes_;
  unsigned long long database_errors_ = 0;
  unsigned long long connections_refused_ = 0;
};

}  // namespace costs::server
