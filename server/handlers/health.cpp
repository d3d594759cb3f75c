// GET /healthz: the server is up and the database answers.
#include "routes.hpp"

namespace costs::server {

nlohmann::json get_healthz(const Pistache::Rest::Request&, api_context& ctx) {
  ctx.db->reader().ping();
  return {{"status", "ok"}, {"database", "ok"}};
}

}  // namespace costs::server
