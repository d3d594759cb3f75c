// GET /healthz: the server is up and the database answers.
#include "routes.hpp"

namespace costs::server {

nlohmann::json get_healthz(const Pistache::Rest::Request&, api_context& ctx) {
  pqxx::nontransaction tx(ctx.db->connection());
  tx.exec_prepared1("healthz");
  return {{"status", "ok"}, {"database", "ok"}};
}

}  // namespace costs::server
