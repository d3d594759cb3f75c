#include "metrics.hpp"

#include <sstream>

namespace costs::server {

void metrics::observe(const std::string& route, int status, std::chrono::nanoseconds elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  std::lock_guard<std::mutex> lock(mutex_);
  route_stats& r = routes_[route];
  ++r.by_status[status];
  ++r.count;
  r.seconds += seconds;
  for (std::size_t i = 0; i < sizeof(bounds) / sizeof(bounds[0]); ++i)
    if (seconds <= bounds[i]) ++r.buckets[i];
}

void metrics::database_error() noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  ++database_errors_;
}

void metrics::connection_refused() noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  ++connections_refused_;
}

std::string metrics::text() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::ostringstream out;
  out << "# HELP costs_http_requests_total Requests answered, by route and status.\n"
         "# TYPE costs_http_requests_total counter\n";
  for (const auto& [route, r] : routes_)
    for (const auto& [status, n] : r.by_status)
      out << "costs_http_requests_total{route=\"" << route << "\",status=\"" << status << "\"} "
          << n << '\n';
  out << "# HELP costs_http_request_duration_seconds Time to answer, by route.\n"
         "# TYPE costs_http_request_duration_seconds histogram\n";
  for (const auto& [route, r] : routes_) {
    for (std::size_t i = 0; i < sizeof(bounds) / sizeof(bounds[0]); ++i)
      out << "costs_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\""
          << bounds[i] << "\"} " << r.buckets[i] << '\n';
    out << "costs_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
        << r.count << '\n'
        << "costs_http_request_duration_seconds_sum{route=\"" << route << "\"} " << r.seconds
        << '\n'
        << "costs_http_request_duration_seconds_count{route=\"" << route << "\"} " << r.count
        << '\n';
  }
  out << "# HELP costs_database_errors_total Requests that found the database unreachable.\n"
         "# TYPE costs_database_errors_total counter\n"
      << "costs_database_errors_total " << database_errors_ << '\n'
      << "# HELP costs_connections_refused_total Connections answered 503 over the cap.\n"
         "# TYPE costs_connections_refused_total counter\n"
      << "costs_connections_refused_total " << connections_refused_ << '\n';
  return out.str();
}

}  // namespace costs::server
