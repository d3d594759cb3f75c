#include "routes.hpp"

#include <iostream>

#include <pistache/http.h>

namespace costs::server {

using namespace Pistache;

void send_error(Http::ResponseWriter& response, int status, const std::string& code,
                const std::string& message) {
  const nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  response.send(static_cast<Http::Code>(status), body.dump(), MIME(Application, Json));
}

Rest::Route::Handler json_route(api_context& ctx, json_handler handler) {
  return [&ctx, handler = std::move(handler)](const Rest::Request& request,
                                              Http::ResponseWriter response) {
    try {
      const nlohmann::json body = handler(request, ctx);
      response.headers().add<Http::Header::CacheControl>(
          Http::CacheDirective(Http::CacheDirective::NoCache));
      response.send(Http::Code::Ok, body.dump(), MIME(Application, Json));
    } catch (const http_error& e) {
      send_error(response, e.status, e.code, e.message);
    } catch (const std::exception& e) {
      // A connection the database dropped (restart, admin kill) may surface as any libpqxx
      // error; what matters is whether it is still open. Either way start afresh next time.
      const bool database_down =
          dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr || !ctx.db->connected();
      ctx.db->reset();
      if (database_down) {
        response.headers().add<retry_after_header>("5");
        send_error(response, 503, "database_unavailable",
                   "the database cannot be reached; retry shortly");
      } else {
        std::cerr << "costs-server: " << request.resource() << " failed: " << e.what() << '\n';
        send_error(response, 500, "internal", "the server could not answer this request");
      }
    }
    return Rest::Route::Result::Ok;
  };
}

void setup_routes(Rest::Router& router, api_context& ctx) {
  Rest::Routes::Get(router, "/healthz", json_route(ctx, &get_healthz));
  Rest::Routes::Get(router, "/api/costs/latest", json_route(ctx, &get_latest_costs));
  router.addNotFoundHandler([](const Rest::Request&, Http::ResponseWriter response) {
    send_error(response, 404, "not_found", "no such route");
    return Rest::Route::Result::Ok;
  });
}

}  // namespace costs::server
