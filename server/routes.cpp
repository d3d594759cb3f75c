#include "routes.hpp"

#include "csv.hpp"

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

bool presents_secret(const Rest::Request& request, const std::string& secret) {
  if (secret.empty()) return false;
  // Both headers are compared, each in full, whatever the first one said.
  bool ok = false;
  if (const auto auth = header_value(request, "Authorization"))
    ok |= same_secret(*auth, "Bearer " + secret);
  if (const auto token = header_value(request, "X-Auth-Token")) ok |= same_secret(*token, secret);
  return ok;
}

void require_admin(const Rest::Request& request, const api_context& ctx) {
  if (ctx.admin_token.empty() || ctx.admin_url.empty())
    throw http_error{403, "writes_disabled",
                     "writes are off: start costs-server with --admin-token and "
                     "--admin-database-url"};
  if (!presents_secret(request, ctx.admin_token))
    throw http_error{401, "unauthorized",
                     "writes need the admin token: Authorization: Bearer <token> or "
                     "x-auth-token: <token>"};
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

// A CORS preflight's answer for a route that takes `methods`.
Rest::Route::Handler preflight(const api_context& ctx, const char* methods) {
  return [&ctx, methods](const Rest::Request& request, Http::ResponseWriter response) {
    add_cors(request, response, ctx);
    response.headers().add<Http::Header::AccessControlAllowMethods>(methods);
    response.headers().add<Http::Header::AccessControlAllowHeaders>(
        "Authorization, X-Auth-Token, Content-Type");
    response.send(Http::Code::No_Content);
    return Rest::Route::Result::Ok;
  };
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

day_range request_range(const Rest::Request& request, const api_context& ctx, long default_days) {
  day_range range;
  const civil_day today = request_today(request, ctx, range.zone);
  auto day = [&](const char* name) -> std::optional<civil_day> {
    const auto text = query_value(request, name);
    if (!text) return std::nullopt;
    try {
      const civil_day d = civil_day::parse(*text);
      if (!(d < civil_day::parse("1970-01-01")) && !(civil_day::parse("9999-12-31") < d)) return d;
    } catch (const std::exception&) {
    }
    throw http_error{400, "bad_parameter",
                     std::string(name) + " must be a date from 1970-01-01 to 9999-12-31"};
  };
  const long days = int_param(request, "days", default_days, 1, 3660);
  range.to = day("to").value_or(today);
  range.from = day("from").value_or(
      civil_day::from_days_since_epoch(range.to.days_since_epoch() - days + 1));
  if (range.to < range.from) throw http_error{400, "bad_parameter", "from must not be after to"};
  return range;
}

namespace {

// Holds a request in the drain gate until the last copy is gone.
struct gate_pass {
  explicit gate_pass(drain_gate* g) : gate(g) {}
  gate_pass(const gate_pass&) = delete;
  gate_pass& operator=(const gate_pass&) = delete;
  ~gate_pass() { gate->leave(); }
  drain_gate* gate;
};

// One request from its arrival to its answer, on whichever thread answers it: counted in
// /metrics however it ends, and in flight for the drain until its bytes are handed to Pistache's
// event loop (a shutdown before that would lose the answer).
struct exchange {
  exchange(api_context& c, const std::string& r, Rest::Request q, Http::ResponseWriter w)
      : ctx(c), route(r), request(std::move(q)), response(std::move(w)) {}
  exchange(const exchange&) = delete;
  exchange& operator=(const exchange&) = delete;
  ~exchange() {
    count();
    if (in_gate && !handed_off) ctx.gate->leave();
  }

  // Counted before the answer leaves, so a client that reads /metrics next sees it.
  void count() {
    if (counted || ctx.stats == nullptr) return;
    counted = true;
    ctx.stats->observe(route, status, std::chrono::steady_clock::now() - started);
  }

  // A client that hung up has no answer to take: its request simply ends.
  template <typename F>
  void send(F&& how) {
    count();
    try {
      Async::Promise<ssize_t> sent = how();
      if (!in_gate) return;
      handed_off = true;
      // Pistache drops a write whose peer went away meanwhile without settling its promise, so
      // the request leaves the gate when the promise's callbacks are gone, however it ended.
      auto pass = std::make_shared<gate_pass>(ctx.gate);
      sent.then([pass](ssize_t) {}, [pass](std::exception_ptr&) {});
    } catch (const std::exception&) {
    }
  }

  api_context& ctx;
  std::string route;
  Rest::Request request;
  Http::ResponseWriter response;
  int status = 200;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  bool in_gate = false;
  bool handed_off = false;
  bool counted = false;
};

void answer_unavailable(exchange& x, const std::string& code, const std::string& message) {
  x.status = 503;
  x.response.headers().add<retry_after_header>("5");
  x.send([&] { return send_error(x.response, 503, code, message); });
}

// Runs the handler and sends its answer, or the error its failure means.
void answer(exchange& x, const json_handler& handler, int write_status) {
  api_context& ctx = x.ctx;
  const Rest::Request& request = x.request;
  Http::ResponseWriter& response = x.response;
  try {
    if (write_status != 0) {
      const std::string body = handler(request, ctx).dump();
      x.status = write_status;
      x.send([&] {
        return response.send(static_cast<Http::Code>(write_status), body, MIME(Application, Json));
      });
      return;
    }
    // format=csv: the answer's table for a spreadsheet, cached apart (the key holds the query).
    const std::string format = query_value(request, "format").value_or("json");
    if (format != "json" && format != "csv")
      throw http_error{400, "bad_parameter", "format must be one of: json, csv"};
    const bool csv = format == "csv";
    // A fresh answer is news that the database answers; one from the cache is not.
    const auto answer = ctx.cache->get(cache_key(request), [&] {
      const nlohmann::json result = handler(request, ctx);
      std::string body;
      if (!csv) {
        body = result.dump();
      } else if (auto table = answer_as_csv(result)) {
        body = std::move(*table);
      } else {
        throw http_error{400, "bad_parameter", "this route's answer has no table to give as CSV"};
      }
      ctx.db->answered();
      return body;
    });
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
      x.status = 304;
      x.send([&] { return response.send(Http::Code::Not_Modified); });
    } else if (csv) {
      std::string name =
          request.resource().substr(request.resource().rfind("/api/", 0) == 0 ? 5 : 1);
      std::replace(name.begin(), name.end(), '/', '-');
      response.headers().add<content_disposition_header>("attachment; filename=\"" + name +
                                                         ".csv\"");
      x.send([&] {
        return response.send(Http::Code::Ok, answer->body,
                             Http::Mime::MediaType::fromString("text/csv; charset=utf-8"));
      });
    } else {
      x.send([&] { return response.send(Http::Code::Ok, answer->body, MIME(Application, Json)); });
    }
  } catch (const http_error& e) {
    x.status = e.status;
    if (e.status == 401) response.headers().add<authenticate_header>("Bearer");
    if (e.status == 503) response.headers().add<retry_after_header>("5");
    x.send([&] { return send_error(response, e.status, e.code, e.message); });
  } catch (const costs::store_error& e) {
    // What the database layer says it means: a bad value is the request's fault; a database
    // out of reach (down, restarting, or a query past its time) is a 503 to retry; a write
    // refused is a 503 too; anything else is ours, a 500 logged without reaching the client.
    // A query past its time leaves its connection open and usable: only a lost one is dropped
    // and counts against the database (the reconnect backoff).
    const bool lost = !ctx.db->connected();
    const bool unreachable = e.code() == "store.unavailable" || lost;
    if (e.code() != "store.bad_value" && (lost || e.code() != "store.unavailable")) ctx.db->reset();
    if (e.code() == "store.bad_value") {
      x.status = 400;
      x.send([&] { return send_error(response, 400, "bad_value", e.message()); });
    } else if (unreachable) {
      if (lost) ctx.db->could_not_reach(e.message());
      if (ctx.stats) ctx.stats->database_error();
      answer_unavailable(x, "database_unavailable",
                         "the database cannot be reached; retry shortly");
    } else if (e.code() == "store.query") {
      x.status = 500;
      std::cerr << "costs-server: " << request.resource() << " failed: " << e.message() << '\n';
      x.send([&] {
        return send_error(response, 500, "internal", "the server could not answer this request");
      });
    } else {
      std::cerr << "costs-server: " << request.resource() << ": " << e.message() << '\n';
      answer_unavailable(x, "database_unavailable",
                         "the database could not take the write; retry shortly");
    }
  } catch (const std::exception& e) {
    ctx.db->reset();
    x.status = 500;
    std::cerr << "costs-server: " << request.resource() << " failed: " << e.what() << '\n';
    x.send([&] {
      return send_error(response, 500, "internal", "the server could not answer this request");
    });
  }
}

}  // namespace

Rest::Route::Handler json_route(api_context& ctx, std::string route, json_handler handler,
                                int write_status, bool on_pool) {
  return [&ctx, route = std::move(route), handler = std::move(handler), write_status, on_pool](
             const Rest::Request& request, Http::ResponseWriter response) {
    auto x = std::make_shared<exchange>(ctx, route, request, std::move(response));
    add_cors(x->request, x->response, ctx);
    if (ctx.gate != nullptr && !ctx.gate->enter()) {
      x->response.headers().add<Http::Header::Connection>(Http::ConnectionControl::Close);
      answer_unavailable(*x, "shutting_down", "the server is stopping; retry shortly");
      return Rest::Route::Result::Ok;
    }
    x->in_gate = ctx.gate != nullptr;
    if (!ctx.token.empty() && request.resource().rfind("/api/", 0) == 0 &&
        !presents_secret(request, ctx.token) && !presents_secret(request, ctx.admin_token)) {
      x->status = 401;  // counted in /metrics as what it was
      x->response.headers().add<authenticate_header>("Bearer");
      x->send([&] {
        return send_error(x->response, 401, "unauthorized",
                          "this server's API needs its token: Authorization: Bearer <token> "
                          "or x-auth-token: <token>");
      });
      return Rest::Route::Result::Ok;
    }
    if (!on_pool || ctx.pool == nullptr) {
      answer(*x, handler, write_status);
      return Rest::Route::Result::Ok;
    }
    // The database's work runs on the query pool; this thread goes back to its connections.
    ctx.pool->post([x, handler, write_status] { answer(*x, handler, write_status); },
                   [x] {
                     answer_unavailable(*x, "busy",
                                        "every database connection is busy; retry shortly");
                   });
    return Rest::Route::Result::Ok;
  };
}

void setup_routes(Rest::Router& router, api_context& ctx, const std::filesystem::path& static_dir) {
  Rest::Routes::Get(router, "/healthz", json_route(ctx, "/healthz", &get_healthz, 0, false));
  Rest::Routes::Get(router, "/openapi.json",
                    json_route(ctx, "/openapi.json", &get_openapi, 0, false));
  // Rendered once: the document is fixed for the life of the process.
  Rest::Routes::Get(router, "/docs",
                    [page = render_docs(openapi_document())](const Rest::Request&,
                                                             Http::ResponseWriter response) {
                      response.send(Http::Code::Ok, page,
                                    Http::Mime::MediaType::fromString("text/html; charset=utf-8"));
                      return Rest::Route::Result::Ok;
                    });
  Rest::Routes::Get(
      router, "/metrics", [&ctx](const Rest::Request&, Http::ResponseWriter response) {
        std::string text = ctx.stats ? ctx.stats->text() : std::string();
        text += "# TYPE costs_cache_hits_total counter\ncosts_cache_hits_total " +
                std::to_string(ctx.cache->hits()) +
                "\n# TYPE costs_cache_misses_total counter\ncosts_cache_misses_total " +
                std::to_string(ctx.cache->misses()) + "\n";
        if (ctx.pool != nullptr)  // requests held by the database, for alerts on a stuck one
          text +=
              "# HELP costs_database_requests Requests waiting for or running a query.\n"
              "# TYPE costs_database_requests gauge\n"
              "costs_database_requests{state=\"waiting\"} " +
              std::to_string(ctx.pool->waiting()) +
              "\ncosts_database_requests{state=\"running\"} " +
              std::to_string(ctx.pool->running()) + "\n";
        response.send(Http::Code::Ok, text,
                      Http::Mime::MediaType::fromString("text/plain; version=0.0.4"));
        return Rest::Route::Result::Ok;
      });
  auto by = [](const char* key) -> json_handler {
    return [key](const Rest::Request& request, api_context& c) {
      return get_breakdown_by(request, c, key);
    };
  };
  // The names of every spec the project grew from: the Azure financial API (/api/costs/...)
  // and the OpenClaw log dashboard (/api/usage/...) are views of the same reads.
  const std::pair<const char*, json_handler> api[] = {{"/api/costs/latest", &get_latest_costs},
                                                      {"/api/costs/summary", &get_summary},
                                                      {"/api/costs/burn", &get_burn},
                                                      {"/api/costs/reconcile", &get_reconcile},
                                                      {"/api/costs/daily", &get_daily_costs},
                                                      {"/api/costs/timeline", &get_daily_costs},
                                                      {"/api/costs/breakdown", &get_breakdown},
                                                      {"/api/costs/by-agent", by("agent")},
                                                      {"/api/costs/by-model", by("model")},
                                                      {"/api/costs/by-task", by("task")},
                                                      {"/api/costs/azure", &get_azure_costs},
                                                      {"/api/costs/sessions", &get_sessions},
                                                      {"/api/usage/summary", &get_usage_summary},
                                                      {"/api/usage/by-model", by("model")},
                                                      {"/api/usage/by-provider", by("provider")},
                                                      {"/api/usage/timeline", &get_daily_costs},
                                                      {"/api/providers", &get_providers},
                                                      {"/api/sync/log", &get_sync_log},
                                                      {"/api/budgets", &get_budgets},
                                                      {"/api/alerts", &get_alerts}};
  for (const auto& [path, handler] : api) {
    Rest::Routes::Get(router, path, json_route(ctx, path, handler));
    // CORS preflight, per route: a wildcard would turn every unknown /api/ path into a 405.
    Rest::Routes::Options(router, path,
                          preflight(ctx, std::string(path) == "/api/budgets" ? "GET, POST, OPTIONS"
                                                                             : "GET, OPTIONS"));
  }
  Rest::Routes::Post(router, "/api/budgets",
                     json_route(ctx, "/api/budgets", &post_budget, /*write_status=*/201));
  Rest::Routes::Post(router, "/api/costs/llm",
                     json_route(ctx, "/api/costs/llm", &post_llm_calls, /*write_status=*/200));
  Rest::Routes::Options(router, "/api/costs/llm", preflight(ctx, "POST, OPTIONS"));
  // The trigger's state changes by the second: answered fresh, never from the cache.
  Rest::Routes::Get(router, "/api/sync", json_route(ctx, "/api/sync", &get_sync, 200, false));
  Rest::Routes::Post(router, "/api/sync",
                     json_route(ctx, "/api/sync", &post_sync, /*write_status=*/202, false));
  Rest::Routes::Options(router, "/api/sync", preflight(ctx, "GET, POST, OPTIONS"));
  Rest::Routes::Put(router, "/api/budgets/:id",
                    json_route(ctx, "/api/budgets/:id", &put_budget, /*write_status=*/200));
  Rest::Routes::Delete(router, "/api/budgets/:id",
                       json_route(ctx, "/api/budgets/:id", &delete_budget, /*write_status=*/200));
  Rest::Routes::Options(router, "/api/budgets/:id", preflight(ctx, "PUT, DELETE, OPTIONS"));
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
