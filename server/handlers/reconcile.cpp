// GET /api/costs/reconcile?days=30 (or from=&to=): for providers with both an admin API (billed)
// and local logs (estimated), per day: what the provider billed, what the logs price at list
// prices, the difference, and the share of the billed spend the logs explain. Estimated spend is
// matched by the model's vendor (claude-* to Anthropic, gpt-* and o* to OpenAI) across every local
// source. The totals compare like with like: only days that have a bill; what the logs price on
// days not billed yet (today, usually) is given apart.
#include <map>

#include "costs/model_names.hpp"
#include "costs/registry.hpp"
#include "routes.hpp"

namespace costs::server {
namespace {

struct pair_def {
  const char* vendor;
  const char* billed_provider;
  const char* label;
};
constexpr pair_def pairs[] = {{"anthropic", "anthropic_api", "Anthropic"},
                              {"openai", "openai_api", "OpenAI"}};

struct day_figures {
  std::optional<std::int64_t> billed;
  std::int64_t estimated = 0;
};

nlohmann::json figures_json(const day_figures& f) {
  nlohmann::json out = {{"billed_micro_usd", nullable(f.billed)},
                        {"estimated_micro_usd", f.estimated}};
  if (f.billed) {
    out["difference_micro_usd"] = *f.billed - f.estimated;
    out["explained_ratio"] =
        *f.billed > 0
            ? nlohmann::json(static_cast<double>(f.estimated) / static_cast<double>(*f.billed))
            : nullptr;
  } else {
    out["difference_micro_usd"] = nullptr;
    out["explained_ratio"] = nullptr;
  }
  return out;
}

}  // namespace

nlohmann::json get_reconcile(const Pistache::Rest::Request& request, api_context& ctx) {
  const day_range range = request_range(request, ctx, 30);
  if (range.to.days_since_epoch() - range.from.days_since_epoch() >= 366)
    throw http_error{400, "bad_parameter", "a reconciliation covers at most 366 days"};
  const civil_day from = range.from, to = range.to;
  const std::string& zone = range.zone;
  std::map<std::string, std::map<std::string, day_figures>> by_vendor;  // vendor -> date -> figures
  target& db = ctx.db->reader();
  std::vector<std::string> billing;
  for (const auto& p : pairs) billing.emplace_back(p.billed_provider);
  const std::vector<std::string> local = provider_keys(source_kind::local_session);
  for (const billed_day_row& row : db.billed_by_day(from, to, billing))
    for (const auto& p : pairs)
      if (row.provider == p.billed_provider)
        by_vendor[p.vendor][row.date].billed = row.cost_micro_usd;
  for (const estimated_model_row& row : db.estimated_by_model(from, to, local)) {
    const std::string vendor(detect_vendor(row.model));
    by_vendor[vendor][row.date].estimated += row.cost_micro_usd;
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : pairs) {
    const auto& dates = by_vendor[p.vendor];
    bool any_billed = false;
    day_figures total;          // over the days that have a bill only
    std::int64_t unbilled = 0;  // logs priced on days the provider has not billed (yet)
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& [date, f] : dates) {
      any_billed = any_billed || f.billed.has_value();
      if (f.billed) {
        total.billed = total.billed.value_or(0) + *f.billed;
        total.estimated += f.estimated;
      } else {
        unbilled += f.estimated;
      }
      nlohmann::json row = figures_json(f);
      row["date"] = date;
      rows.push_back(std::move(row));
    }
    if (!any_billed) continue;  // nothing billed to reconcile against
    nlohmann::json item = figures_json(total);
    item["vendor"] = p.vendor;
    item["label"] = p.label;
    item["billed_provider"] = p.billed_provider;
    item["unbilled_estimated_micro_usd"] = unbilled;
    item["days"] = std::move(rows);
    out.push_back(std::move(item));
  }
  return {{"from", from.to_string()}, {"to", to.to_string()}, {"time_zone", zone}, {"pairs", out}};
}

}  // namespace costs::server
