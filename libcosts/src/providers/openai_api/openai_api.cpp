// openai_api: organization costs (USD per day), completions usage (tokens per day and model),
// every page, and the monthly spend limit (providers.md 3.1-3.5). Costs have no model
// dimension, so model rows carry tokens and the day carries the billed cost.
#include "providers/openai_api/openai_api.hpp"

#include "costs/model_names.hpp"
#include "costs/registry.hpp"
#include "costs/secrets.hpp"
#include "providers/admin_report.hpp"
#include "providers/api_json.hpp"

namespace costs::detail {
namespace {

using namespace simdjson;

// OpenAI's buckets start at Unix seconds, at midnight UTC.
page_result read_page(
    const std::string& text,
    const std::function<bool(const std::string& day, ondemand::object result)>& on_result) {
  return read_report_page(
      text, "start_time",
      [](simdjson::ondemand::value v) {
        const auto seconds = as_int(v, -1);
        return seconds < 0 ? std::string()
                           : civil_day::from_days_since_epoch(seconds / 86400).to_string();
      },
      on_result);
}

class openai_api_provider final : public provider {
 public:
  const provider_info& info() const override { return *find_provider("openai_api"); }

  detection detect() const override {
    if (auto c = find_credential("OPENAI_ADMIN_KEY", "openai-admin-key"))
      return {true, c->origin + " found", c->where};
    return {false, "set OPENAI_ADMIN_KEY (an organisation admin key, sk-admin-...)"};
  }

  collect_result collect(const collect_context& ctx) override {
    collect_result result;
    const auto key = find_credential("OPENAI_ADMIN_KEY", "openai-admin-key");
    if (!key) {
      result.status = collect_status::not_configured;
      return result;
    }
    const std::string base = base_url("openai_api", "https://api.openai.com/v1");
    const civil_day first = report_start(ctx);
    const std::string start = std::to_string(first.days_since_epoch() * 86400);
    http_request request;
    request.headers = {{"Authorization", "Bearer " + key->value}, {"Accept", "application/json"}};
    auto fail = [&](const http_response& r, bool parse_failed, const char* what) {
      return report_failure(r, parse_failed, "OpenAI", what,
                            key->origin + " (it must be an admin key)");
    };

    report_rows rows;
    std::map<std::string, pico_usd> day_costs;
    bool parse_failed = false;
    request.url = base + "/organization/costs?start_time=" + start + "&bucket_width=1d&limit=180";
    if (auto failed = fetch_pages(
            request,
            [&](const std::string& text) {
              return read_page(text, [&](const std::string& day, ondemand::object r) {
                std::optional<micro_usd> value;
                std::string currency = "usd";
                const bool ok = each_field(r, [&](std::string_view f, ondemand::value x) {
                  if (f == "amount")
                    return each_field(x, [&](std::string_view a, ondemand::value av) {
                      if (a == "value")
                        value = money_of(av);
                      else if (a == "currency")
                        as_string(av, currency);
                    });
                  return true;
                });
                if (!ok || !value || currency != "usd") return false;
                day_costs[day] += pico_usd{value->value * 1'000'000};
                return true;
              });
            },
            parse_failed))
      return fail(*failed, parse_failed, "costs");

    request.url = base + "/organization/usage/completions?start_time=" + start +
                  "&bucket_width=1d&limit=31&group_by=model";
    if (auto failed = fetch_pages(
            request,
            [&](const std::string& text) {
              return read_page(text, [&](const std::string& day, ondemand::object r) {
                std::string model;
                std::int64_t input = 0, cached = 0, cache_write = 0, output = 0, requests = 0;
                std::optional<std::int64_t> uncached;
                const bool ok = each_field(r, [&](std::string_view f, ondemand::value x) {
                  if (f == "model")
                    as_string(x, model);
                  else if (f == "input_tokens")
                    input = as_int(x);
                  else if (f == "input_cached_tokens")
                    cached = as_int(x);
                  else if (f == "input_cache_write_tokens")
                    cache_write = as_int(x);
                  else if (f == "input_uncached_tokens")
                    uncached = as_int(x);
                  else if (f == "output_tokens")
                    output = as_int(x);
                  else if (f == "num_model_requests")
                    requests = as_int(x);
                });
                if (!ok) return false;
                auto& row = rows[{day, canonical_model(model)}];
                // input_tokens includes cached and cache-write tokens (providers.md 3.2).
                row.tokens.input += uncached.value_or(input - cached - cache_write);
                row.tokens.cache_read += cached;
                row.tokens.cache_write_5m += cache_write;
                row.tokens.output += output;
                row.calls += requests;
                return true;
              });
            },
            parse_failed))
      return fail(*failed, parse_failed, "usage");

    snapshot snap;
    snap.provider = "openai_api";
    snap.source = "admin_api";
    snap.fetched_at = ctx.now;
    request.url = base + "/organization/spend_limit";
    const http_response limit = http_send(request);
    if (limit.ok()) {
      ondemand::parser parser;
      json_body body(limit.body);
      ondemand::object root;
      std::int64_t cents = -1;
      if (body.open(parser, root) &&
          each_field(root,
                     [&](std::string_view k, ondemand::value v) {
                       if (k == "threshold_amount") cents = as_int(v, -1);
                     }) &&
          cents >= 0)
        snap.credit_limit = micro_usd{cents * 10'000};
    }
    snap.units = {{"window_start", first.to_string()}};
    snap.raw_response = snap.units;
    fill_from_report(rows, "openai_api", std::nullopt, snap, result);
    // The day totals are the cost report's, billed; the model rows only carry tokens.
    pico_usd total;
    result.daily_costs.clear();
    std::map<std::string, token_counts> day_tokens;
    for (const auto& [k, t] : rows) day_tokens[k.first] += t.tokens;
    // Costs lag usage: a day with tokens and no cost bucket yet keeps its tokens, cost unknown
    // (null), and is billed when a later run sees its bucket.
    std::map<std::string, std::optional<pico_usd>> days;
    for (const auto& [day, tokens] : day_tokens) days[day];
    for (const auto& [day, cost] : day_costs) days[day] = cost;
    for (const auto& [day, cost] : days) {
      daily_cost d;
      d.provider = "openai_api";
      d.date = civil_day::parse(day);
      d.source = "admin_api";
      if (cost) {
        d.cost = to_micro(*cost);
        total += *cost;
      }
      d.tokens = day_tokens[day];
      result.daily_costs.push_back(d);
    }
    if (!day_costs.empty()) snap.total_cost = to_micro(total);
    result.snap = std::move(snap);
    return result;
  }
};

}  // namespace

std::unique_ptr<provider> make_openai_api_provider() {
  return std::make_unique<openai_api_provider>();
}

}  // namespace costs::detail
