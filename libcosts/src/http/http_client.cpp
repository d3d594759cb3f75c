#include "http/http_client.hpp"

#include <curl/curl.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

#include "costs/paths.hpp"

namespace costs::detail {
namespace {

long env_ms(const char* name, long fallback) {
  if (auto v = env(name)) {
    try {
      return std::stol(*v);
    } catch (...) {
    }
  }
  return fallback;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() > (64u << 20)) return 0;  // a provider never needs more: stop a runaway
  body->append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  const std::string line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t\r\n") + 1);
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
  }
  return size * count;
}

// Called by curl for each address it is about to connect to.
curl_socket_t open_public_socket(void* refused, curlsocktype, curl_sockaddr* address) {
  const sockaddr* a = &address->addr;
  const bool blocked =
      a->sa_family == AF_INET
          ? is_private_address(reinterpret_cast<const unsigned char*>(
                                   &reinterpret_cast<const sockaddr_in*>(a)->sin_addr),
                               4)
          : a->sa_family == AF_INET6 &&
                is_private_address(reinterpret_cast<const sockaddr_in6*>(a)->sin6_addr.s6_addr, 16);
  if (blocked || (a->sa_family != AF_INET && a->sa_family != AF_INET6)) {
    *static_cast<bool*>(refused) = true;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

http_response send_once(const http_request& request, long timeout_ms) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  http_response r;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    r.error = "could not start an HTTP client";
    return r;
  }
  curl_slist* headers = nullptr;
  for (const auto& [k, v] : request.headers)
    headers = curl_slist_append(headers, (k + ": " + v).c_str());
  char error_text[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (!request.body.empty()) curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "costs-dashboard/" COSTS_VERSION_STRING " (libcurl)");
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, std::min(10'000L, timeout_ms));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  // Only HTTP(S) ever leaves the machine, for the request and any redirect: a gopher://,
  // dict:// or file:// URL in a channel could otherwise write raw bytes to a local port.
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  if (request.public_only) {
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, &open_public_socket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &r.refused);
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");  // the address checked is the one reached
  }
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  if (rc != CURLE_OK) {
    // curl's own words: they name host and port, never headers (where keys travel).
    r.error = rc == CURLE_OPERATION_TIMEDOUT
                  ? "timed out"
                  : (error_text[0] ? error_text : curl_easy_strerror(rc));
    r.status = 0;
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return r;
}

// The deadline of the current thread's deadline_scope, max() outside one.
thread_local std::chrono::steady_clock::time_point thread_deadline =
    std::chrono::steady_clock::time_point::max();
thread_local std::chrono::seconds thread_budget{0};

// Milliseconds left before the thread's deadline (at most `cap`), or 0 when it has passed.
long left_ms(long cap) {
  if (thread_deadline == std::chrono::steady_clock::time_point::max()) return cap;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        thread_deadline - std::chrono::steady_clock::now())
                        .count();
  return left <= 0 ? 0 : std::min<long>(cap, static_cast<long>(left));
}

std::string ran_out() {
  return "the run's " + std::to_string(thread_budget.count()) + " s for this provider ran out";
}

bool retryable(const http_response& r) {
  return !r.refused && (!r.error.empty() || r.status == 429 || r.status >= 500);
}

}  // namespace

bool is_private_address(const unsigned char* b, std::size_t size) {
  if (size == 4) {
    return b[0] == 0 || b[0] == 10 || b[0] == 127 || (b[0] == 100 && (b[1] & 0xC0) == 64) ||
           (b[0] == 169 && b[1] == 254) || (b[0] == 172 && (b[1] & 0xF0) == 16) ||
           (b[0] == 192 && b[1] == 168) || (b[0] == 192 && b[1] == 0 && b[2] == 0) || b[0] >= 224;
  }
  if (size != 16) return true;
  bool zero_prefix = true;  // ::, ::1, and IPv4-mapped ::ffff:a.b.c.d
  for (int i = 0; i < 10; ++i) zero_prefix = zero_prefix && b[i] == 0;
  if (zero_prefix && b[10] == 0xFF && b[11] == 0xFF) return is_private_address(b + 12, 4);
  if (zero_prefix && b[10] == 0 && b[11] == 0) return true;  // ::, ::1, IPv4-compatible
  return (b[0] & 0xFE) == 0xFC || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) || b[0] == 0xFF;
}

deadline_scope::deadline_scope(std::chrono::steady_clock::time_point deadline,
                               std::chrono::seconds budget)
    : previous_(thread_deadline), previous_budget_(thread_budget) {
  thread_deadline = std::min(deadline, thread_deadline);
  thread_budget = budget;
}

deadline_scope::~deadline_scope() {
  thread_deadline = previous_;
  thread_budget = previous_budget_;
}

http_response http_send(const http_request& request) {
  const long timeout_ms =
      request.timeout_ms > 0 ? request.timeout_ms : env_ms("COSTS_HTTP_TIMEOUT_MS", 30'000);
  const long backoff_ms = env_ms("COSTS_HTTP_BACKOFF_MS", 500);
  const int max_attempts = std::max(1, request.max_attempts);
  thread_local std::mt19937 jitter{std::random_device{}()};
  http_response r;
  for (int attempt = 1;; ++attempt) {
    const long allowed = left_ms(timeout_ms);
    if (allowed == 0) {
      // Nothing sent: the time is up. An earlier attempt's answer is replaced, since this is
      // why there is no better one.
      r = http_response{};
      r.error = ran_out();
      r.attempts = attempt - 1;
      return r;
    }
    r = send_once(request, allowed);
    r.attempts = attempt;
    if (allowed < timeout_ms && r.error == "timed out") r.error = ran_out();
    if (!retryable(r) || attempt == max_attempts) return r;
    long wait = backoff_ms << (attempt - 1);
    wait += std::uniform_int_distribution<long>(0, std::max(1L, wait / 2))(jitter);
    // Retry-After, or Azure's own hints; the largest one wins (seconds, as all of them send it).
    long hinted = -1;
    for (const char* name :
         {"retry-after", "x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after",
          "x-ms-ratelimit-microsoft.consumption-retry-after"}) {
      if (auto it = r.headers.find(name); it != r.headers.end()) {
        try {
          hinted = std::max(hinted, std::stol(it->second) * 1000);
        } catch (...) {
        }
      }
    }
    if (hinted >= 0) wait = std::min(60'000L, hinted);
    if (left_ms(wait + 1) <= wait) return r;  // no time left to wait and try again
    std::this_thread::sleep_for(std::chrono::milliseconds(wait));
  }
}

std::string describe_failure(const http_response& r, const std::string& label,
                             const std::string& credential_hint) {
  if (!r.error.empty())
    return label + " could not be reached (" + r.error + "); it will be tried again next run";
  const std::string code = std::to_string(r.status);
  if (r.status == 401) return label + " rejected the credential (401); check " + credential_hint;
  if (r.status == 403)
    return label + " refused the request (403); the credential lacks the permission (" +
           credential_hint + ")";
  if (r.status == 402) return label + " says the account has no credit left (402)";
  if (r.status == 404) return label + " answered 404: the endpoint or base URL is wrong";
  if (r.status == 429)
    return label + " is rate limiting us (429) after " + std::to_string(r.attempts) +
           " attempts; it will be tried again next run";
  if (r.status >= 500)
    return label + " failed on its side (" + code + ") after " + std::to_string(r.attempts) +
           " attempts; it will be tried again next run";
  return label + " answered " + code;
}

std::string form_encode(const std::string& value) {
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string base_url(const std::string& provider_key, const std::string& fallback) {
  std::string name = "COSTS_" + provider_key + "_BASE_URL";
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  std::string url = setting(name.c_str()).value_or(fallback);
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace costs::detail
