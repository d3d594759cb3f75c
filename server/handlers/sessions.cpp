// GET /api/costs/sessions: the agents' sessions over a range, newest first, each with its
// transcript (the file it was read from) and session id, so the page can go from an agent to
// its sessions and from a session to its log.
#include "routes.hpp"

namespace costs::server {

nlohmann::json get_sessions(const Pistache::Rest::Request& request, api_context& ctx) {
  const usage_filter filter = filter_of(request);
  if (!filter.task.empty())
    throw http_error{400, "bad_parameter",
                     "sessions are not kept per task: filter them by provider, agent, project or "
                     "model"};
  const day_range range = request_range(request, ctx, 30);
  const int limit = static_cast<int>(int_param(request, "limit", 200, 1, 1000));
  nlohmann::json rows = nlohmann::json::array();
  bool more = false;  // one more was asked for: does the list go on?
  for (const session_view& s :
       ctx.db->reader().sessions(range.from, range.to, range.zone, filter, limit + 1)) {
    if (static_cast<int>(rows.size()) == limit) {
      more = true;
      break;
    }
    rows.push_back({{"provider", s.provider},
                    {"host", s.host},
                    {"session", s.session},
                    {"agent", s.agent},
                    {"project", s.project},
                    {"transcript", s.transcript},
                    {"models", s.models},
                    {"first_at", s.first_at},
                    {"last_at", s.last_at},
                    {"tokens", tokens_json(s.tokens)},
                    {"calls", s.calls},
                    {"cost_micro_usd", nullable(s.cost_micro_usd)},
                    {"priced_cost_micro_usd", s.priced_cost_micro_usd}});
  }
  return {{"from", range.from.to_string()},
          {"to", range.to.to_string()},
          {"time_zone", range.zone},
          {"filters", filters_json(filter)},
          {"limit", limit},
          {"more", more},
          {"rows", rows}};
}

}  // namespace costs::server
