// Every API handler goes through json_route: it returns JSON, or the error envelope
// {"error": {"code", "message"}} with the right status. Nothing internal (an exception's text,
// SQL, a connection string) ever reaches a client.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <pistache/router.h>
#include <nlohmann/json.hpp>

#include "costs/calendar.hpp"
#include "db.hpp"
#include "metrics.hpp"
#include "query_pool.hpp"
#include "result_cache.hpp"
#include "sync_trigger.hpp"

namespace costs::server {

/// A response header Pistache has no class for. Raw headers are dropped from responses by
/// Pistache 0.0.5, so each one we send needs a class like this.
template <const char* header_name>
class text_header : public Pistache::Http::Header::Header {
 public:
  static constexpr const char* Name = header_name;
  text_header() = default;
  explicit text_header(std::string value) : value_(std::move(value)) {}
  const char* name() const override { return header_name; }
#ifdef SAFE_HEADER_CAST
  static constexpr uint64_t Hash = Pistache::Http::Header::detail::hash(header_name);
  uint64_t hash() const override {
    return Hash;
  }
#endif
  void parseRaw(const char* text, size_t length) override {
    value_.assign(text, length);
  }
  void write(std::ostream& out) const override {
    out << value_;
  }

 private:
  std::string value_;
};

inline constexpr char retry_after_name[] = "Retry-After";
using retry_after_header = text_header<retry_after_name>;
inline constexpr char vary_name[] = "Vary";
using vary_header = text_header<vary_name>;
inline constexpr char authenticate_name[] = "WWW-Authenticate";
using authenticate_header = text_header<authenticate_name>;
inline constexpr char etag_name[] = "ETag";
using etag_header = text_header<etag_name>;
inline constexpr char content_disposition_name[] = "Content-Disposition";
using content_disposition_header = text_header<content_disposition_name>;

/// Thrown by handlers for client errors: 400 bad parameter, 404 not found, ...
struct http_error {
  int status;
  std::string code;
  std::string message;
};

struct api_context {
  database* db = nullptr;
  metrics* stats = nullptr;
  std::string token;        ///< when set, /api/* needs it (or the admin's), see presents_secret
  std::string admin_token;  ///< writes need it; empty: no writes
  std::vector<std::string> cors_origins;  ///< origins allowed to read the API from a browser
  result_cache* cache = nullptr;          ///< answers reused for a few seconds (ttl 0: never)
  drain_gate* gate = nullptr;             ///< refuses new requests while shutting down
  std::string time_zone = "UTC";          ///< the zone whose days "today" and "this week" mean
  int cache_seconds = 0;                  ///< Cache-Control max-age
  std::string admin_url;       ///< a database role that may write budgets; empty: writes refused
  query_pool* pool = nullptr;  ///< where handlers wait on the database; null: on Pistache's threads
  sync_trigger* sync = nullptr;  ///< POST /api/sync; null without --admin-database-url
};

/// Two costs added, null when either is: a total with an unpriced part has no whole figure.
inline std::optional<std::int64_t> plus(const std::optional<std::int64_t>& a,
                                        const std::optional<std::int64_t>& b) {
  if (!a || !b) return std::nullopt;
  return *a + *b;
}

/// An optional figure as JSON: the number, or null.
inline nlohmann::json nullable(const std::optional<std::int64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

/// An empty text as JSON null.
inline nlohmann::json nullable(const std::string& text) {
  return text.empty() ? nlohmann::json() : nlohmann::json(text);
}

/// A request header's value, raw or as Pistache parsed it.
std::optional<std::string> header_value(const Pistache::Rest::Request& request,
                                        const std::string& name);

/// Compares without an early exit, so timing says nothing about how much of a guess was right.
bool same_secret(const std::string& given, const std::string& expected);

/// Does the request carry `secret`, as "Authorization: Bearer <secret>" or "x-auth-token:
/// <secret>"? Never for an empty secret. The one place a request's token is checked.
bool presents_secret(const Pistache::Rest::Request& request, const std::string& secret);

/// @throws http_error 403 when the server takes no writes (no --admin-token or no
/// --admin-database-url), 401 unless the request carries the admin token.
void require_admin(const Pistache::Rest::Request& request, const api_context& ctx);

/// `text` with %XX sequences and '+' decoded, as browsers encode query values.
/// @throws std::invalid_argument for a '%' not followed by two hex digits.
std::string percent_decode(std::string_view text);

/// A query parameter's decoded value, nullopt when absent. Every handler reads its query
/// through this (Pistache hands values over still encoded). @throws http_error 400.
std::optional<std::string> query_value(const Pistache::Rest::Request& request,
                                       const std::string& name);

/// A query parameter as an integer in [min, max], `fallback` when absent.
/// @throws http_error 400 naming the parameter otherwise.
long int_param(const Pistache::Rest::Request& request, const std::string& name, long fallback,
               long min, long max);

/// A query parameter that must be one of `allowed`, `fallback` when absent. @throws http_error 400.
std::string choice_param(const Pistache::Rest::Request& request, const std::string& name,
                         const std::string& fallback, const std::vector<std::string>& allowed);

/// Today in the request's ?tz= zone (else the server's), naming the zone in `zone_name`.
/// @throws http_error 400 for a zone the system lacks.
civil_day request_today(const Pistache::Rest::Request& request, const api_context& ctx,
                        std::string& zone_name);

/// The days a request covers, in its zone.
struct day_range {
  civil_day from, to;
  std::string zone;
};

/// ?from=&to= (YYYY-MM-DD, each optional), else the `days` (1-3660, default `default_days`)
/// ending on ?to= or today in the request's zone. @throws http_error 400 naming the parameter.
day_range request_range(const Pistache::Rest::Request& request, const api_context& ctx,
                        long default_days);

using json_handler = std::function<nlohmann::json(const Pistache::Rest::Request&, api_context&)>;

/// `route` names the route in /metrics. A read is cached and answers 200 (or 304); a write is
/// never cached and answers `write_status` (201 for a creation). The handler runs on the query
/// pool (ctx.pool), unless `on_pool` is false (a route that never waits on the database).
Pistache::Rest::Route::Handler json_route(api_context& ctx, std::string route, json_handler handler,
                                          int write_status = 0, bool on_pool = true);

/// Sends the error envelope.
Pistache::Async::Promise<ssize_t> send_error(Pistache::Http::ResponseWriter& response, int status,
                                             const std::string& code, const std::string& message);

}  // namespace costs::server
