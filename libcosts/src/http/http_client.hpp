// Private: HTTP for the collectors, over libcurl. Failures come back as values: a provider
// that times out or answers 500 is a result to report, not an exception.
//
// Timeouts: 10 s to connect, 30 s in all (COSTS_HTTP_TIMEOUT_MS overrides the total). Retries:
// 429 and 5xx and transport failures, up to 3 attempts, exponential backoff with jitter from
// 500 ms (COSTS_HTTP_BACKOFF_MS), honouring Retry-After (capped at 60 s). 4xx other than 429 are
// never retried: a rejected key stays rejected. Within a deadline_scope every attempt and every
// wait between attempts also ends by the scope's deadline.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace costs::detail {

struct http_request {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  ///< may hold secrets: never logged
  std::string body;
  /// Refuse to connect to private, loopback, link-local or multicast addresses, checked on the
  /// address actually connected to (so a name that resolves differently later cannot slip by).
  bool public_only = false;
  long timeout_ms = 0;   ///< per attempt; 0: COSTS_HTTP_TIMEOUT_MS, else 30 s
  int max_attempts = 3;  ///< retries of 429, 5xx and transport failures included
};

struct http_response {
  long status = 0;  ///< 0 when no response arrived
  std::string body;
  std::map<std::string, std::string> headers;  ///< names lowercased
  std::string error;  ///< transport failure ("timed out", "connection refused"), else empty
  int attempts = 0;
  bool refused = false;  ///< public_only stopped it; never retried

  bool ok() const { return error.empty() && status >= 200 && status < 300; }
};

/// Whether an IPv4 or IPv6 address (network order, 4 or 16 bytes) is private, loopback,
/// link-local, unspecified or multicast.
bool is_private_address(const unsigned char* bytes, std::size_t size);

/// While alive, every request sent on this thread ends by `deadline`: a provider's collection
/// runs on its own thread inside one, so a slow API cannot hold the whole sync. A request cut
/// short says "the run's <N> s for this provider ran out".
class deadline_scope {
 public:
  deadline_scope(std::chrono::steady_clock::time_point deadline, std::chrono::seconds budget);
  ~deadline_scope();
  deadline_scope(const deadline_scope&) = delete;
  deadline_scope& operator=(const deadline_scope&) = delete;

 private:
  std::chrono::steady_clock::time_point previous_;
  std::chrono::seconds previous_budget_;
};

/// Sends `request`, retrying as described above.
http_response http_send(const http_request& request);

/// One line for a failed response, naming the provider and what to do, without any secret:
///     "OpenRouter answered 401 Unauthorized: check OPENROUTER_API_KEY"
std::string describe_failure(const http_response& response, const std::string& provider_label,
                             const std::string& credential_hint);

/// Percent-encodes a value for a query string or a form body.
std::string form_encode(const std::string& value);

/// The base URL for a provider: $COSTS_<KEY>_BASE_URL, else `fallback`; no trailing slash.
std::string base_url(const std::string& provider_key, const std::string& fallback);

}  // namespace costs::detail
