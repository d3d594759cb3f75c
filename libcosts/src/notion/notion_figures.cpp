#include "notion/notion_figures.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "costs/forecast.hpp"
#include "costs/registry.hpp"

namespace costs::detail {
namespace {

civil_day plus(civil_day d, long long days) {
  return civil_day::from_days_since_epoch(d.days_since_epoch() + days);
}

// What a billed provider's day is, in the Cost Log's words.
const char* bill_type(const std::string& provider) {
  if (provider == "elevenlabs") return "tts";
  if (provider == "brave") return "search";
  return "billed";
}

const budget_rule* rule_for(const std::vector<budget_rule>& rules, const std::string& scope_kind,
                            const std::string& scope_value, const std::string& period) {
  for (const auto& r : rules)
    if (r.enabled && r.kind == "spend" && r.scope_kind == scope_kind &&
        r.scope_value == scope_value && r.period == period)
      return &r;
  return nullptr;
}

}  // namespace

notion_update notion_figures(target& db, const std::vector<budget_rule>& rules,
                             const std::vector<hourly_usage>& hours, civil_day today) {
  notion_update u;
  for (const auto& h : hours) {
    notion_log_row r;
    r.hour = h.hour;
    r.provider = h.provider;
    r.host = h.host;
    r.agent = h.agent;
    r.cost_type = h.cost_type;
    r.cost = h.cost;
    r.tokens = h.tokens;
    r.calls = h.calls;
    r.session = h.session;
    r.transcript = h.transcript;
    r.sessions = h.sessions;
    u.log.push_back(std::move(r));
  }

  const civil_day month = period_start("month", today);
  const civil_day yesterday = plus(today, -1);
  const civil_day first = std::min(month, yesterday);
  std::set<std::string> covered;  // plans whose usage is API-equivalent, not spend
  for (const auto& s : db.subscriptions())
    if (!s.counts_in_spend) covered.insert(s.provider);

  // Per day: spend (plans left out), unpriced rows, and each provider's figure.
  struct day_figures {
    micro_usd total;
    std::int64_t unpriced = 0;
    std::vector<std::pair<micro_usd, std::pair<std::string, std::string>>> providers;
  };
  std::map<long long, day_figures> days;
  for (const auto& p : db.spend_by_provider_day(plus(first, -1), today)) {
    const civil_day day = civil_day::parse(p.date);
    day_figures& d = days[day.days_since_epoch()];
    const micro_usd cost{p.cost_micro_usd.value_or(0)};
    d.unpriced += p.unpriced_rows;
    std::string figure = p.cost_micro_usd ? format_usd(cost) : "unpriced";
    if (p.cost_micro_usd && p.unpriced_rows > 0) figure += " + unpriced";
    if (covered.count(p.provider)) {
      figure += " API-equivalent (plan)";
    } else {
      d.total += cost;
    }
    d.providers.push_back({cost, {provider_label(p.provider), figure}});
    if (!p.estimated && !(day < yesterday)) {
      notion_log_row r;
      r.whole_day = true;
      r.day = day;
      r.provider = p.provider;
      r.cost_type = bill_type(p.provider);
      if (p.cost_micro_usd) r.cost = cost;
      r.estimated = false;
      u.log.push_back(std::move(r));
    }
  }

  // Agents per day, from the itemised sources. A day with unpriced usage has no cost: it is
  // counted as such, never as $0.
  std::map<long long, std::map<std::string, notion_agent_spend>> agent_days;
  std::map<std::string, std::vector<day_cost>> agent_series;
  std::map<std::string, std::int64_t> unpriced_days;
  for (const auto& r : db.daily("agent", first, today, usage_filter{})) {
    const civil_day day = civil_day::parse(r.date);
    const micro_usd cost{r.cost_micro_usd.value_or(0)};
    notion_agent_spend& spend = agent_days[day.days_since_epoch()][r.key];
    spend.agent = r.key;
    spend.cost += cost;
    spend.unpriced = spend.unpriced || !r.cost_micro_usd;
    if (day < month) continue;
    agent_series[r.key].push_back({day, cost});
    if (!r.cost_micro_usd) ++unpriced_days[r.key];
  }
  // The part of each agent's month a plan covers: API-equivalent, shown beside the total.
  std::map<std::string, micro_usd> api_equivalent;
  for (const std::string& provider : covered) {
    usage_filter on;
    on.provider = provider;
    for (const auto& r : db.daily("agent", month, today, on))
      api_equivalent[r.key] += micro_usd{r.cost_micro_usd.value_or(0)};
  }

  const budget_rule* daily = rule_for(rules, "total", "", "day");
  const budget_rule* monthly = rule_for(rules, "total", "", "month");
  micro_usd month_to_date;
  for (civil_day d = first; !(today < d); d = plus(d, 1)) {
    const auto found = days.find(d.days_since_epoch());
    const day_figures none;
    const day_figures& f = found == days.end() ? none : found->second;
    if (!(d < month)) month_to_date += f.total;
    notion_day_row row;
    row.day = d;
    row.total = f.total;
    row.unpriced_rows = f.unpriced;
    const auto prior = days.find(d.days_since_epoch() - 1);
    if (prior != days.end() && prior->second.total.value > 0)
      row.vs_yesterday = static_cast<double>(f.total.value - prior->second.total.value) /
                         static_cast<double>(prior->second.total.value);
    auto providers = f.providers;
    std::stable_sort(providers.begin(), providers.end(),
                     [](const auto& a, const auto& b) { return a.first.value > b.first.value; });
    for (auto& p : providers) row.providers.push_back(std::move(p.second));
    for (const auto& [agent, spend] : agent_days[d.days_since_epoch()]) row.agents.push_back(spend);
    std::stable_sort(row.agents.begin(), row.agents.end(),
                     [](const auto& a, const auto& b) { return a.cost.value > b.cost.value; });
    if (monthly && monthly->threshold.value > 0 && !(d < month))
      row.vs_budget =
          static_cast<double>(month_to_date.value) / static_cast<double>(monthly->threshold.value);
    if (daily) {
      const std::string level = alert_level(*daily, f.total);
      row.status = level == "exceeded" ? "red" : level == "warn" ? "yellow" : "green";
    }
    u.days.push_back(std::move(row));
  }

  // The month per agent: share of every agent's spend, the average day, the month's end.
  micro_usd all_agents;
  for (const auto& [agent, series] : agent_series)
    all_agents += spend_between(series, month, today);
  const long long elapsed = today.days_since_epoch() - month.days_since_epoch() + 1;
  for (const auto& [agent, series] : agent_series) {
    notion_agent_row a;
    a.month = today.to_string().substr(0, 7);
    a.agent = agent;
    a.to_date = spend_between(series, month, today);
    a.share = all_agents.value > 0
                  ? static_cast<double>(a.to_date.value) / static_cast<double>(all_agents.value)
                  : 0.0;
    a.per_day = {(a.to_date.value + elapsed / 2) / elapsed};
    a.forecast = project_month(series, today).projected;
    a.api_equivalent = api_equivalent[agent];
    a.unpriced_days = unpriced_days[agent];
    if (const budget_rule* share = rule_for(rules, "agent", agent, "month")) {
      a.allocation = share->threshold;
      const micro_usd warn_at{share->threshold.value * share->warn_permille / 1000};
      a.status = a.to_date.value > share->threshold.value ? "over budget"
                 : a.forecast.value > share->threshold.value || !(a.to_date < warn_at) ? "watch"
                                                                                       : "on track";
    } else {
      a.status = "no allocation";
    }
    u.agents.push_back(std::move(a));
  }
  return u;
}

}  // namespace costs::detail
