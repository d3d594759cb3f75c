// POST /api/sync starts a sync (the library's sync_run, one at a time) and answers its run id;
// GET /api/sync says how the latest one went, and GET /api/sync/log holds its rows by run id.
#include "routes.hpp"
#include "sync_trigger.hpp"

namespace costs::server {

nlohmann::json post_sync(const Pistache::Rest::Request& request, api_context& ctx) {
  require_admin(request, ctx);
  if (ctx.sync == nullptr)
    throw http_error{403, "writes_disabled", "the sync trigger needs --admin-database-url"};
  sync_options options;
  const std::string text = request.body();
  if (!text.empty()) {
    const auto body = nlohmann::json::parse(text, nullptr, false);
    if (!body.is_object())
      throw http_error{400, "bad_body", "send nothing, or {\"scope\": \"all|api|local\"}"};
    for (const auto& [key, value] : body.items()) {
      if (key != "scope")
        throw http_error{400, "bad_body", "unknown field '" + key + "'; send scope"};
      const std::string scope = value.is_string() ? value.get<std::string>() : "";
      if (scope != "all" && scope != "api" && scope != "local")
        throw http_error{400, "bad_body", "scope must be all, api or local"};
      options.api_only = scope == "api";
      options.local_only = scope == "local";
    }
  }
  const auto [run_id, started] = ctx.sync->start(options);
  if (!started)
    throw http_error{409, "sync_running",
                     "a sync is already running (run " + run_id +
                         "); GET /api/sync says when "
                         "it has finished"};
  return {{"run_id", run_id}, {"status", "running"}};
}

nlohmann::json get_sync(const Pistache::Rest::Request&, api_context& ctx) {
  if (ctx.sync == nullptr) return {{"enabled", false}, {"latest", nullptr}};
  return {{"enabled", true}, {"latest", ctx.sync->latest()}};
}

}  // namespace costs::server
