#include "routes.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>
#include <sstream>

#include <pistache/http.h>

namespace costs::server {

using namespace Pistache;

void send_error(Http::ResponseWriter& response, int status, const std::string& code,
                const std::string& message) {
  const nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  response.send(static_cast<Http::Code>(status), body.dump(), MIME(Application, Json));
}

namespace {

std::optional<std::string> header_value(const Rest::Request& request, const std::string& name) {
  if (auto raw = request.headers().tryGetRaw(name)) return raw->value();
  if (auto h = request.headers().tryGet(name)) {
    std::ostringstream out;
    h->write(out);
    return out.str();
  }
  return std::nullopt;
}

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

// Compares without an early exit, so timing says nothing about how much of a guess was right.
bool same_secret(const std::string& given, const std::string& expected) {
  if (given.size() != expected.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < given.size(); ++i)
    diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return diff == 0;
}

}  // namespace

long int_param(const Rest::Request& request, const std::string& name, long fallback, long min,
               long max) {
  const auto text = request.query().get(name);
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
  const auto text = request.query().get(name);
  if (!text) return fallback;
  if (std::find(allowed.begin(), allowed.end(), *text) != allowed.end()) return *text;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  throw http_error{400, "bad_parameter", name + " must be one of: " + list};
}

Rest::Route::Handler json_route(api_context& ctx, std::string route, json_handler handler) {
  return [&ctx, route = std::move(route), handler = std::move(handler)](
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
    if (!ctx.token.empty() && request.resource().rfind("/api/", 0) == 0) {
      const auto auth = header_value(request, "Authorization");
      if (!auth || !same_secret(*auth, "Bearer " + ctx.token)) {
        response.headers().add<authenticate_header>("Bearer");
        send_error(response, 401, "unauthorized",
                   "send Authorization: Bearer <the server's token>");
        return Rest::Route::Result::Ok;
      }
    }
    try {
      const nlohmann::json body = handler(request, ctx);
      response.headers().add<Http::Header::CacheControl>(
          Http::CacheDirective(Http::CacheDirective::NoCache));
      response.send(Http::Code::Ok, body.dump(), MIME(Application, Json));
    } catch (const http_error& e) {
      status = e.status;
      send_error(response, e.status, e.code, e.message);
    } catch (const std::exception& e) {
      // A connection the database dropped (restart, admin kill) may surface as any libpqxx
      // error; what matters is whether it is still open. Either way start afresh next time.
      const bool database_down =
          dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr || !ctx.db->connected();
      ctx.db->reset();
      if (database_down) {
        status = 503;
        if (ctx.stats) ctx.stats->database_error();
        response.headers().add<retry_after_header>("5");
        send_error(response, 503, "database_unavailable",
                   "the database cannot be reached; retry shortly");
      } else {
        status = 500;
        std::cerr << "costs-server: " << request.resource() << " failed: " << e.what() << '\n';
        send_error(response, 500, "internal", "the server could not answer this request");
      }
    }
    return Rest::Route::Result::Ok;
  };
}

void setup_routes(Rest::Router& router, api_context& ctx, const std::filesystem::path& static_dir) {
  Rest::Routes::Get(router, "/healthz", json_route(ctx, "/healthz", &get_healthz));
  Rest::Routes::Get(router, "/openapi.json", json_route(ctx, "/openapi.json", &get_openapi));
  Rest::Routes::Get(router, "/metrics",
                    [&ctx](const Rest::Request&, Http::ResponseWriter response) {
                      response.send(Http::Code::Ok, ctx.stats ? ctx.stats->text() : std::string(),
                                    Http::Mime::MediaType::fromString("text/plain; version=0.0.4"));
                      return Rest::Route::Result::Ok;
                    });
  const std::pair<const char*, json_handler> api[] = {{"/api/costs/latest", &get_latest_costs},
                                                      {"/api/costs/daily", &get_daily_costs},
                                                      {"/api/costs/breakdown", &get_breakdown},
                                                      {"/api/providers", &get_providers},
                                                      {"/api/sync/log", &get_sync_log}};
  for (const auto& [path, handler] : api) {
    Rest::Routes::Get(router, path, json_route(ctx, path, handler));
    // CORS preflight, per route: a wildcard would turn every unknown /api/ path into a 405.
    Rest::Routes::Options(
        router, path, [&ctx](const Rest::Request& request, Http::ResponseWriter response) {
          add_cors(request, response, ctx);
          response.headers().add<Http::Header::AccessControlAllowMethods>("GET, OPTIONS");
          response.headers().add<Http::Header::AccessControlAllowHeaders>(
              "Authorization, Content-Type");
          response.send(Http::Code::No_Content);
          return Rest::Route::Result::Ok;
        });
  }
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
