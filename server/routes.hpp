// Every route of costs-server, listed once in setup_routes().
#pragma once

#include <pistache/router.h>

#include "json_route.hpp"

namespace costs::server {

void setup_routes(Pistache::Rest::Router& router, api_context& ctx);

// Handlers, one resource per file under handlers/.
nlohmann::json get_healthz(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json get_latest_costs(const Pistache::Rest::Request& request, api_context& ctx);

}  // namespace costs::server
