#include "providers/admin_report.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace costs::detail {

std::string page_param(const std::string& cursor) {
  std::string out = "&page=";
  for (unsigned char c : cursor) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::optional<http_response> fetch_pages(
    const http_request& first, const std::function<page_result(const std::string&)>& on_page,
    bool& parse_failed) {
  parse_failed = false;
  http_request request = first;
  for (int page = 0; page < 1000; ++page) {  // a bound against a provider that never stops
    const http_response r = http_send(request);
    if (!r.ok()) return r;
    const page_result p = on_page(r.body);
    if (!p.ok) {
      parse_failed = true;
      return r;
    }
    if (!p.has_more || p.next_page.empty()) return std::nullopt;
    request.url = first.url + page_param(p.next_page);
  }
  return std::nullopt;
}

void fill_from_report(const report_rows& rows, const std::string& provider_key,
                      const std::optional<civil_day>& since, snapshot& snap,
                      collect_result& result) {
  std::map<std::string, daily_cost> days;
  std::map<std::string, day_model_totals> models;
  pico_usd total;
  bool any_cost = false;
  for (const auto& [key, t] : rows) {
    const civil_day day = civil_day::parse(key.first);
    auto& m = models[key.second];
    m.tokens += t.tokens;
    m.calls += t.calls;
    if (t.billed) {
      m.billed = m.billed.value_or(pico_usd{}) + *t.billed;
      total += *t.billed;
      any_cost = true;
    }
    snap.tokens += t.tokens;
    if (since && day < *since) continue;
    daily_usage u;
    u.date = day;
    u.provider = provider_key;
    u.model = key.second;
    u.tokens = t.tokens;
    u.calls = t.calls;
    if (t.billed) u.cost = to_micro(*t.billed);
    result.daily_usage.push_back(u);
    auto& d = days[key.first];
    d.provider = provider_key;
    d.date = day;
    d.source = "admin_api";
    d.tokens += t.tokens;
    if (t.billed) d.cost = d.cost.value_or(micro_usd{}) + to_micro(*t.billed);
  }
  for (auto& [k, d] : days) result.daily_costs.push_back(d);
  if (any_cost) snap.total_cost = to_micro(total);
  for (const auto& [model, m] : models)
    snap.model_breakdown.push_back(
        {{"model", model},
         {"requests", m.calls},
         {"input_tokens", m.tokens.input},
         {"output_tokens", m.tokens.output},
         {"cache_write_tokens", m.tokens.cache_write()},
         {"cache_read_tokens", m.tokens.cache_read},
         {"cost_micro_usd",
          m.billed ? nlohmann::json(to_micro(*m.billed).value) : nlohmann::json()}});
}

}  // namespace costs::detail
