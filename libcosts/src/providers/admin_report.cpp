#include "providers/admin_report.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace costs::detail {

void fill_from_services(const service_costs& usd, const std::string& provider_key, snapshot& snap,
                        collect_result& result) {
  micro_usd total;
  std::map<std::string, daily_cost> days;
  std::map<std::string, micro_usd> services;
  for (const auto& [key, cost] : usd) {
    const auto& [day, service, group] = key;
    daily_usage u;
    u.date = civil_day::parse(day);
    u.provider = provider_key;
    u.model = service;  // the service ("Azure OpenAI", "Vertex AI"): their unit of breakdown
    u.project = group;  // Azure's resource group, Google's project
    u.cost = cost;
    result.daily_usage.push_back(u);
    auto& d = days[day];
    d.provider = provider_key;
    d.date = u.date;
    d.source = "api";
    d.cost = d.cost.value_or(micro_usd{}) + cost;
    services[service] += cost;
    total += cost;
  }
  for (auto& [day, d] : days) result.daily_costs.push_back(d);
  if (!usd.empty()) snap.total_cost = total;
  for (const auto& [service, cost] : services)
    snap.model_breakdown.push_back({{"service", service}, {"cost_micro_usd", cost.value}});
}

page_result read_report_page(
    const std::string& text, std::string_view day_field,
    const std::function<std::string(simdjson::ondemand::value)>& day_of,
    const std::function<bool(const std::string& day, simdjson::ondemand::object result)>&
        on_result) {
  using namespace simdjson;
  page_result page;
  ondemand::parser parser;
  json_body body(text);
  ondemand::object root;
  page.ok =
      body.open(parser, root) && each_field(root, [&](std::string_view k, ondemand::value v) {
        if (k == "has_more") {
          page.has_more = as_bool(v);
        } else if (k == "next_page") {
          as_string(v, page.next_page);
        } else if (k == "data") {
          ondemand::array buckets;
          if (v.get_array().get(buckets)) return false;
          for (auto bucket_result : buckets) {
            ondemand::object bucket;
            if (bucket_result.get_object().get(bucket)) return false;
            // Members may come in any order (Anthropic's reference puts `results` first):
            // find the day, then the results, wherever each stands.
            ondemand::value day_value;
            if (bucket.find_field_unordered(day_field).get(day_value)) return false;
            const std::string day = day_of(day_value);
            ondemand::array results;
            if (day.empty() || bucket.find_field_unordered("results").get_array().get(results))
              return false;
            bool ok = true;
            for (auto r : results) {
              ondemand::object result;
              if (r.get_object().get(result) || !on_result(day, result)) {
                ok = false;
                break;
              }
            }
            if (!ok) return false;
          }
        }
        return true;
      });
  return page;
}

civil_day report_start(const collect_context& ctx) {
  return ctx.since ? *ctx.since
                   : civil_day::from_days_since_epoch(utc_day(ctx.now).days_since_epoch() - 30);
}

collect_result report_failure(const http_response& r, bool parse_failed, const std::string& label,
                              const char* what, const std::string& credential_hint) {
  collect_result result;
  if (parse_failed) {
    result.status = collect_status::parse_error;
    result.error = label + " sent a " + what + " page we could not read; nothing was stored";
  } else {
    result.status = r.status == 401 || r.status == 403 ? collect_status::auth_failed
                                                       : collect_status::http_error;
    result.error = describe_failure(r, label, credential_hint);
  }
  return result;
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
    request.url = first.url + "&page=" + form_encode(p.next_page);
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
