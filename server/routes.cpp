#include "routes.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>

#include <pistache/http.h>

#include "costs/error.hpp"

namespace costs::server {

using namespace Pistache;

Async::Promise<ssize_t> send_error(Http::ResponseWriter& response, int status,
                                   const std::string& code, const std::string& message) {
  const nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  return response.send(static_cast<Http::Code>(status), body.dump(), MIME(Application, Json));
}

std::optional<std::string> header_value(const Rest::Request& request, const std::string& name) {
  if (auto raw = request.headers().tryGetRaw(name)) return raw->value();
  if (auto h = request.headers().tryGet(name)) {
    std::ostringstream out;
    h->write(out);
    return out.str();
  }
  return std::nullopt;
}

bool same_secret(const std::string& given, const std::string& expected) {
  // The length is compared without branching on the bytes; a guess learns only whether its
  // length was right.
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i)
    diff |= static_cast<unsigned char>(given[i] ^
                                       expected[i % (expected.empty() ? 1 : expected.size())]);
  return diff == 0 && !expected.empty();
}

void require_admin(const Rest::Request& request, const api_context& ctx) {
  if (ctx.admin_token.empty() || ctx.admin_url.empty())
    throw http_error{403, "writes_disabled",
                     "writes are off: start costs-server with --admin-token and "
                     "--admin-database-url"};
  const auto auth = header_value(request, "Authorization");
  if (!auth || !same_secret(*auth, "Bearer " + ctx.admin_token))
    throw http_error{401, "unauthorized", "writes need Authorization: Bearer <the admin token>"};
}

namespace {

// Only the configured origins get CORS headers; a browser on any other origin is refused.
void add_cors(const Rest::Request& request, Http::ResponseWriter& response,
              const api_context& ctx) {
  const auto origin = header_value(request, "Origin");
  if (!origin) return;
  if (std::find(ctx.cors_origins.begin(), ctx.cors_origins.end(), *origin) ==
      ctx.cors_origins.end())
    return;
  response.headers().add<Http::Header::AccessControlAllowOrigin>(*origin);
  response.headers().add<vary_header>("Origin");
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The route and its decoded query, parameters sorted, so the same question is one cache entry
// however the browser spelled it.
std::string cache_key(const Rest::Request& request) {
  std::vector<std::pair<std::string, std::string>> params;
  for (auto it = request.query().parameters_begin(); it != request.query().parameters_end(); ++it)
    params.emplace_back(it->first, query_value(request, it->first).value_or(""));
  std::sort(params.begin(), params.end());
  std::string key = request.resource();
  for (const auto& [name, value] : params) key += '\n' + name + '=' + value;
  return key;
}

}  // namespace

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      const int hi = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
      const int lo = hi >= 0 ? hex_digit(text[i + 2]) : -1;
      if (lo < 0) throw std::invalid_argument("bad percent-encoding");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> query_value(const Rest::Request& request, const std::string& name) {
  const auto raw = request.query().get(name);
  if (!raw) return std::nullopt;
  try {
    return percent_decode(*raw);
  } catch (const std::invalid_argument&) {
    throw http_error{400, "bad_parameter", name + " is not valid percent-encoding"};
  }
}

namespace {

// Zones are looked up once each; the handful a page asks for stay.
costs::time_zone zone_named(const std::string& name) {
  static std::mutex mutex;
  static std::map<std::string, costs::time_zone> zones;
  std::lock_guard<std::mutex> lock(mutex);
  const auto it = zones.find(name);
  if (it != zones.end()) return it->second;
  if (zones.size() > 64) zones.clear();
  return zones.emplace(name, costs::time_zone::named(name)).first->second;
}

}  // namespace

civil_day request_today(const Rest::Request& request, const api_context& ctx,
                        std::string& zone_name) {
  zone_name = query_value(request, "tz").value_or(ctx.time_zone);
  try {
    return zone_named(zone_name).day_of(now());
  } catch (const costs::error&) {
    throw http_error{400, "bad_parameter", "tz must be a time zone name such as Europe/Berlin"};
  }
}

long int_param(const Rest::Request& request, const std::string& name, long fallback, long min,
               long max) {
  const auto text = query_value(request, name);
  if (!text) return fallback;
  try {
    std::size_t used = 0;
    const long v = std::stol(*text, &used);
    if (used == text->size() && v >= min && v <= max) return v;
  } catch (...) {
  }
  throw http_error{
      400, "bad_parameter",
      name + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max)};
}

std::string choice_param(const Rest::Request& request, const std::string& name,
                         const std::string& fallback, const std::vector<std::string>& allowed) {
  const auto text = query_value(request, name);
  if (!text) return fallback;
  if (std::find(allowed.begin(), allowed.end(), *text) != allowed.end()) return *text;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  throw http_error{400, "bad_parameter", name + " must be one of: " + list};
}

Rest::Route::Handler json_route(api_context& ctx, std::string route, json_handler handler,
                                int write_status) {
  return [&ctx, route = std::move(route), handler = std::move(handler), write_status](
             const Rest::Request& request, Http::ResponseWriter response) {
    const auto started = std::chrono::steady_clock::now();
    int status = 200;
    struct record {  // counted however the request ends
      api_context& ctx;
      const std::string& route;
      int& status;
      std::chrono::steady_clock::time_point started;
      ~record() {
        if (ctx.stats)
          ctx.stats->observe(route, status, std::chrono::steady_clock::now() - started);
      }
    } recorder{ctx, route, status, started};
    add_cors(request, response, ctx);
    if (ctx.gate != nullptr && !ctx.gate->enter()) {
      status = 503;
      response.headers().add<retry_after_header>("5");
      response.headers().add<Http::Header::Connection>(Http::ConnectionControl::Close);
      send_error(response, 503, "shutting_down", "the server is stopping; retry shortly");
      return Rest::Route::Result::Ok;
    }
    // The request stays in flight until its bytes are written: Pistache writes from its event
    // loop after the handler returns, and a shutdown before that would lose the answer.
    struct leave_gate {
      drain_gate* gate;
      bool handed_off = false;
      void after(Async::Promise<ssize_t> sent) {
        if (gate == nullptr) return;
        handed_off = true;
        drain_gate* g = gate;
        sent.then([g](ssize_t) { g->leave(); }, [g](std::exception_ptr&) { g->leave(); });
      }
      ~leave_gate() {
        if (gate != nullptr && !handed_off) gate->leave();
      }
    } leaving{ctx.gate};
    if (!ctx.token.empty() && request.resource().rfind("/api/", 0) == 0) {
      const auto auth = header_value(request, "Authorization");
      const bool admin =
          !ctx.admin_token.empty() && auth && same_secret(*auth, "Bearer " + ctx.admin_token);
      if (!auth || (!same_secret(*auth, "Bearer " + ctx.token) && !admin)) {
        status = 401;  // counted in /metrics as what it was
        response.headers().add<authenticate_header>("Bearer");
        leaving.after(send_error(response, 401, "unauthorized",
                                 "send Authorization: Bearer <the server's token>"));
        return Rest::Route::Result::Ok;
      }
    }
    try {
      if (write_status != 0) {
        const std::string body = handler(request, ctx).dump();
        status = write_status;
        leaving.after(
            response.send(static_cast<Http::Code>(write_status), body, MIME(Application, Json)));
        return Rest::Route::Result::Ok;
      }
      const auto answer =
          ctx.cache->get(cache_key(request), [&] { return handler(request, ctx).dump(); });
      const std::string& etag = answer->etag;
      response.headers().add<etag_header>(etag);
      // Private: answers may sit behind a token. max-age matches the server's own cache, so a
      // browser re-asks no sooner than the answer could change; the ETag makes re-asking cheap.
      response.headers().add<Http::Header::CacheControl>(std::vector<Http::CacheDirective>{
          Http::CacheDirective(Http::CacheDirective::Private),
          Http::CacheDirective(Http::CacheDirective::MaxAge,
                               std::chrono::seconds(ctx.cache_seconds))});
      const auto if_none_match = header_value(request, "If-None-Match");
      if (if_none_match &&
          (if_none_match->find(etag) != std::string::npos || *if_none_match == "*")) {
        status = 304;
        leaving.after(response.send(Http::Code::Not_Modified));
      } else {
        leaving.after(response.send(Http::Code::Ok, answer->body, MIME(Application, Json)));
      }
    } catch (const http_error& e) {
      status = e.status;
      if (e.status == 401) response.headers().add<authenticate_header>("Bearer");
      leaving.after(send_error(response, e.status, e.code, e.message));
    } catch (const costs::store_error& e) {
      // What the database layer says it means: a bad value is the request's fault; a database
      // out of reach (down, restarting, or a query past its time) is a 503 to retry; a write
      // refused is a 503 too; anything else is ours, a 500 logged without reaching the client.
      const bool unreachable = e.code() == "store.unavailable" || !ctx.db->connected();
      if (e.code() != "store.bad_value") ctx.db->reset();
      if (e.code() == "store.bad_value") {
        status = 400;
        leaving.after(send_error(response, 400, "bad_value", e.message()));
      } else if (unreachable) {
        status = 503;
        if (ctx.stats) ctx.stats->database_error();
        response.headers().add<retry_after_header>("5");
        leaving.after(send_error(response, 503, "database_unavailable",
                                 "the database cannot be reached; retry shortly"));
      } else if (e.code() == "store.query") {
        status = 500;
        std::cerr << "costs-server: " << request.resource() << " failed: " << e.message() << '\n';
        leaving.after(
            send_error(response, 500, "internal", "the server could not answer this request"));
      } else {
        status = 503;
        std::cerr << "costs-server: " << request.resource() << ": " << e.message() << '\n';
        leaving.after(send_error(response, 503, "database_unavailable",
                                 "the database could not take the write; retry shortly"));
      }
    } catch (const std::exception& e) {
      ctx.db->reset();
      status = 500;
      std::cerr << "costs-server: " << request.resource() << " failed: " << e.what() << '\n';
      leaving.after(
          send_error(response, 500, "internal", "the server could not answer this request"));
    }
    return Rest::Route::Result::Ok;
  };
}

void setup_routes(Rest::Router& router, api_context& ctx, const std::filesystem::path& static_dir) {
  Rest::Routes::Get(router, "/healthz", json_route(ctx, "/healthz", &get_healthz));
  Rest::Routes::Get(router, "/openapi.json", json_route(ctx, "/openapi.json", &get_openapi));
  Rest::Routes::Get(
      router, "/metrics", [&ctx](const Rest::Request&, Http::ResponseWriter response) {
        std::string text = ctx.stats ? ctx.stats->text() : std::string();
        text += "# TYPE costs_cache_hits_total counter\ncosts_cache_hits_total " +
                std::to_string(ctx.cache->hits()) +
                "\n# TYPE costs_cache_misses_total counter\ncosts_cache_misses_total " +
                std::to_string(ctx.cache->misses()) + "\n";
        response.send(Http::Code::Ok, text,
                      Http::Mime::MediaType::fromString("text/plain; version=0.0.4"));
        return Rest::Route::Result::Ok;
      });
  const std::pair<const char*, json_handler> api[] = {{"/api/costs/latest", &get_latest_costs},
                                                      {"/api/costs/summary", &get_summary},
                                                      {"/api/costs/burn", &get_burn},
                                                      {"/api/costs/reconcile", &get_reconcile},
                                                      {"/api/costs/daily", &get_daily_costs},
                                                      {"/api/costs/breakdown", &get_breakdown},
                                                      {"/api/providers", &get_providers},
                                                      {"/api/sync/log", &get_sync_log},
                                                      {"/api/budgets", &get_budgets}};
  for (const auto& [path, handler] : api) {
    Rest::Routes::Get(router, path, json_route(ctx, path, handler));
    // CORS preflight, per route: a wildcard would turn every unknown /api/ path into a 405.
    Rest::Routes::Options(
        router, path, [&ctx](const Rest::Request& request, Http::ResponseWriter response) {
          add_cors(request, response, ctx);
          response.headers().add<Http::Header::AccessControlAllowMethods>(
              request.resource().rfind("/api/budgets", 0) == 0 ? "GET, POST, DELETE, OPTIONS"
                                                               : "GET, OPTIONS");
          response.headers().add<Http::Header::AccessControlAllowHeaders>(
              "Authorization, Content-Type");
          response.send(Http::Code::No_Content);
          return Rest::Route::Result::Ok;
        });
  }
  Rest::Routes::Post(router, "/api/budgets",
                     json_route(ctx, "/api/budgets", &post_budget, /*write_status=*/201));
  Rest::Routes::Delete(router, "/api/budgets/:id",
                       json_route(ctx, "/api/budgets/:id", &delete_budget, /*write_status=*/200));
  router.addNotFoundHandler([static_dir](const Rest::Request& request,
                                         Http::ResponseWriter response) {
    if (request.method() == Http::Method::Get && !static_dir.empty() &&
        request.resource().rfind("/api/", 0) != 0 && serve_static(static_dir, request, response))
      return Rest::Route::Result::Ok;
    send_error(response, 404, "not_found", "no such route");
    return Rest::Route::Result::Ok;
  });
}

}  // namespace costs::server
