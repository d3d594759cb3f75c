// GET /healthz: the server is up, and what it knows of the database, without waiting on it for
// more than two seconds (the query threads may all be held by a stuck database; this runs on
// the network thread). 200 while the database answers, else 503 with Retry-After.
#include "routes.hpp"

namespace costs::server {

nlohmann::json get_healthz(const Pistache::Rest::Request&, api_context& ctx) {
  const database::health h = ctx.db->check(std::chrono::milliseconds(2000));
  if (h.state != "ok")
    throw http_error{503, "database_unavailable",
                     "the database cannot be reached (checked " + std::to_string(h.checked_ms_ago) +
                         " ms ago); retry shortly"};
  return {{"status", "ok"}, {"database", "ok"}, {"database_checked_ms_ago", h.checked_ms_ago}};
}

}  // namespace costs::server
