#include "providers/local_provider.hpp"

#include <algorithm>
#include <map>

#include "costs/pricing.hpp"
#include "costs/registry.hpp"
#include "costs/report.hpp"
#include "local/agent.hpp"

namespace costs::detail {
namespace {

class local_provider final : public provider {
 public:
  explicit local_provider(local_source source)
      : source_(source), info_(*find_provider(provider_key(source))) {}

  const provider_info& info() const override { return info_; }

  detection detect() const override {
    const auto roots = local_roots(source_);
    if (roots.empty()) return {false, std::string("no ") + where() + " found"};
    return {true,
            "reading " + roots.front().string() +
                (roots.size() > 1 ? " and " + std::to_string(roots.size() - 1) + " more" : ""),
            found_in::local_logs};
  }

  collect_result collect(const collect_context& ctx) override {
    collect_result result;
    scan_options options;
    options.sources = {source_};
    options.state_dir = ctx.state_dir;
    scan_stats stats;
    const local_ledger ledger = local_ledger::scan(options, &stats);
    const time_zone zone = ctx.zone ? *ctx.zone : time_zone::local();
    auto rows = daily_usage_rows(ledger, source_, ctx.host, zone, *ctx.prices);

    // The snapshot covers all the history the ledger holds.
    snapshot snap;
    snap.provider = provider_key(source_);
    snap.source = "local_session";
    snap.host = ctx.host;
    snap.fetched_at = ctx.now;
    std::int64_t calls = 0, unpriced_calls = 0;
    micro_usd priced;
    struct model_total {
      token_counts tokens;
      std::int64_t calls = 0;
      micro_usd cost;
      bool unpriced = false;
    };
    std::map<std::string, model_total> models;
    for (const auto& r : rows) {
      snap.tokens += r.tokens;
      calls += r.calls;
      auto& m = models[r.model];
      m.tokens += r.tokens;
      m.calls += r.calls;
      if (r.cost) {
        priced += *r.cost;
        m.cost += *r.cost;
      } else {
        unpriced_calls += r.calls;
        m.unpriced = true;
      }
    }
    if (calls > unpriced_calls) snap.total_cost = priced;
    snap.units = {{"calls", calls},
                  {"unpriced_calls", unpriced_calls},
                  {"malformed_lines_skipped", stats.malformed}};
    // A remembered ledger another version wrote (or a damaged one) was rebuilt: said, not hidden.
    if (!stats.ledger_rebuilt.empty()) snap.units["ledger_rebuilt"] = stats.ledger_rebuilt;
    for (const auto& [model, m] : models) {
      snap.model_breakdown.push_back(
          {{"model", model},
           {"calls", m.calls},
           {"input_tokens", m.tokens.input},
           {"output_tokens", m.tokens.output},
           {"cache_write_tokens", m.tokens.cache_write()},
           {"cache_read_tokens", m.tokens.cache_read},
           {"cost_micro_usd", m.unpriced ? nlohmann::json() : nlohmann::json(m.cost.value)}});
    }
    result.snap = std::move(snap);

    if (ctx.since) {
      rows.erase(std::remove_if(rows.begin(), rows.end(),
                                [&](const daily_usage& u) { return u.date < *ctx.since; }),
                 rows.end());
    }
    result.daily_costs = daily_cost_rows(rows);
    // Hours for the last eight days: enough for a day of spikes against a week of medians.
    result.hourly_costs = hourly_cost_rows(ledger, source_, ctx.host, *ctx.prices,
                                           ctx.now - std::chrono::hours(8 * 24));
    // Two days of hours for the Notion Cost Log: the hour just ended and a day of late logs.
    result.hourly_usage =
        hourly_usage_rows(ledger, source_, ctx.host, *ctx.prices, ctx.now - std::chrono::hours(48));
    result.daily_usage = std::move(rows);
    result.sessions = session_usage_rows(ledger, source_, ctx.host, zone, *ctx.prices, ctx.since);
    return result;
  }

 private:
  std::string where() const { return std::string(agent_of(source_).where); }

  local_source source_;
  const provider_info& info_;
};

}  // namespace

std::unique_ptr<provider> make_local_provider(local_source source) {
  return std::make_unique<local_provider>(source);
}

}  // namespace costs::detail
