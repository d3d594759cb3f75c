// openrouter: spend windows, limit and remaining from /key (any key); balance from /credits and
// 30 days of per-model rows from /activity with a management key (providers.md 1.1-1.7).
// Without a management key the provider still reports /key and says what more it could do.
#include "providers/openrouter/openrouter.hpp"

#include <algorithm>
#include <map>

#include "costs/model_names.hpp"
#include "costs/registry.hpp"
#include "costs/secrets.hpp"
#include "http/http_client.hpp"
#include "providers/api_json.hpp"

namespace costs::detail {
namespace {

using namespace simdjson;

std::string decimal(const std::optional<micro_usd>& m) {
  return m ? to_decimal_string(*m) : std::string();
}

class openrouter_provider final : public provider {
 public:
  const provider_info& info() const override { return *find_provider("openrouter"); }

  detection detect() const override {
    const auto key = find_credential("OPENROUTER_API_KEY", "openrouter-api-key");
    const auto management =
        find_credential("OPENROUTER_MANAGEMENT_KEY", "openrouter-management-key");
    if (!key && !management)
      return {false,
              "set OPENROUTER_API_KEY (and OPENROUTER_MANAGEMENT_KEY for balance and history)"};
    std::string reason = (key ? key->origin : management->origin) + " found";
    if (!management) reason += "; OPENROUTER_MANAGEMENT_KEY would add balance and daily history";
    return {true, reason, (key ? key : management)->where};
  }

  collect_result collect(const collect_context& ctx) override {
    collect_result result;
    const auto key = find_credential("OPENROUTER_API_KEY", "openrouter-api-key");
    const auto management =
        find_credential("OPENROUTER_MANAGEMENT_KEY", "openrouter-management-key");
    if (!key && !management) {
      result.status = collect_status::not_configured;
      return result;
    }
    const std::string base = base_url("openrouter", "https://openrouter.ai/api/v1");
    auto get = [&](const std::string& path, const credential& c) {
      http_request request;
      request.url = base + path;
      request.headers = {{"Authorization", "Bearer " + c.value}, {"Accept", "application/json"}};
      return http_send(request);
    };
    auto fail = [&](const http_response& r, const std::string& hint) {
      result.status = r.status == 401 ? collect_status::auth_failed : collect_status::http_error;
      result.error = describe_failure(r, "OpenRouter", hint);
      result.snap.reset();
      result.daily_costs.clear();
      result.daily_usage.clear();
      return result;
    };
    auto malformed = [&](const std::string& what) {
      result.status = collect_status::parse_error;
      result.error =
          "OpenRouter sent a " + what + " response we could not read; nothing was stored";
      result.snap.reset();
      result.daily_costs.clear();
      result.daily_usage.clear();
      return result;
    };

    const credential& key_cred = key ? *key : *management;
    const http_response key_response = get("/key", key_cred);
    if (!key_response.ok()) return fail(key_response, key_cred.origin);

    snapshot snap;
    snap.provider = "openrouter";
    snap.source = "api";
    snap.fetched_at = ctx.now;
    std::optional<micro_usd> all_time, today, week, month, limit, remaining;
    std::string limit_reset;
    bool free_tier = false;
    {
      ondemand::parser parser;
      json_body body(key_response.body);
      ondemand::object root;
      bool has_data = false;
      const bool ok =
          body.open(parser, root) && each_field(root, [&](std::string_view k, ondemand::value v) {
            if (k != "data") return true;
            has_data = true;
            return each_field(v, [&](std::string_view f, ondemand::value x) {
              if (f == "usage")
                all_time = money_of(x);
              else if (f == "usage_daily")
                today = money_of(x);
              else if (f == "usage_weekly")
                week = money_of(x);
              else if (f == "usage_monthly")
                month = money_of(x);
              else if (f == "limit")
                limit = money_of(x);
              else if (f == "limit_remaining")
                remaining = money_of(x);
              else if (f == "limit_reset")
                as_string(x, limit_reset);
              else if (f == "is_free_tier")
                free_tier = as_bool(x);
            });
          });
      if (!ok || !has_data || !all_time) return malformed("/key");
    }
    snap.total_cost = all_time;
    snap.credit_limit = limit;
    snap.units = {
        {"spend_today_usd", decimal(today)},         {"spend_week_usd", decimal(week)},
        {"spend_month_usd", decimal(month)},         {"spend_all_time_usd", decimal(all_time)},
        {"limit_remaining_usd", decimal(remaining)}, {"limit_reset", limit_reset}};
    // What we read, never the body itself: /key echoes a masked key in `label`.
    snap.raw_response = {{"key", snap.units}, {"is_free_tier", free_tier}};

    // Today's spend is OpenRouter's own figure (its UTC day): /activity holds completed days
    // only, so without this row Today, Burn and the month would miss what /key reports.
    auto add_today = [&] {
      if (!today) return;
      const civil_day day = utc_day(ctx.now);
      for (const auto& d : result.daily_costs)
        if (d.date == day) return;  // an itemised day already covers it
      daily_cost d;
      d.provider = "openrouter";
      d.date = day;
      d.source = "api";
      d.cost = *today;
      result.daily_costs.push_back(d);
    };
    if (!management) {
      add_today();
      result.snap = std::move(snap);
      return result;
    }
    const http_response credits = get("/credits", *management);
    if (credits.status == 403) {
      // A key that is not a management key: keep what /key gave, say what is missing.
      result.status = collect_status::partial;
      result.error = describe_failure(credits, "OpenRouter", management->origin) +
                     "; balance and daily history were skipped";
      add_today();
      result.snap = std::move(snap);
      return result;
    }
    if (!credits.ok()) return fail(credits, management->origin);
    {
      ondemand::parser parser;
      json_body body(credits.body);
      ondemand::object root;
      std::optional<micro_usd> total_credits, total_usage;
      const bool ok =
          body.open(parser, root) && each_field(root, [&](std::string_view k, ondemand::value v) {
            if (k != "data") return true;
            return each_field(v, [&](std::string_view f, ondemand::value x) {
              if (f == "total_credits")
                total_credits = money_of(x);
              else if (f == "total_usage")
                total_usage = money_of(x);
            });
          });
      if (!ok || !total_credits || !total_usage) return malformed("/credits");
      snap.balance = *total_credits - *total_usage;
      snap.raw_response["credits"] = {{"total_credits", to_decimal_string(*total_credits)},
                                      {"total_usage", to_decimal_string(*total_usage)}};
    }

    const http_response activity = get("/activity", *management);
    if (!activity.ok()) return fail(activity, management->origin);
    struct bucket {
      token_counts tokens;
      std::int64_t calls = 0;
      micro_usd cost;
    };
    std::map<std::pair<std::string, std::string>, bucket> days;  // (date, model)
    {
      ondemand::parser parser;
      json_body body(activity.body);
      ondemand::object root;
      const bool ok =
          body.open(parser, root) && each_field(root, [&](std::string_view k, ondemand::value v) {
            if (k != "data") return true;
            ondemand::array rows;
            if (v.get_array().get(rows)) return false;
            for (auto row_result : rows) {
              ondemand::object row;
              if (row_result.get_object().get(row)) return false;
              std::string date, model;
              std::optional<micro_usd> usage;
              std::int64_t requests = 0, prompt = 0, completion = 0, reasoning = 0;
              const bool row_ok = each_field(row, [&](std::string_view f, ondemand::value x) {
                if (f == "date")
                  as_string(x, date);
                else if (f == "model")
                  as_string(x, model);
                else if (f == "usage")
                  usage = money_of(x);
                else if (f == "requests")
                  requests = as_int(x);
                else if (f == "prompt_tokens")
                  prompt = as_int(x);
                else if (f == "completion_tokens")
                  completion = as_int(x);
                else if (f == "reasoning_tokens")
                  reasoning = as_int(x);
              });
              if (!row_ok || date.size() != 10 || !usage) return false;
              auto& b = days[{date, canonical_model(model)}];
              b.tokens.input += prompt;  // OpenRouter does not split cached input out
              b.tokens.output += completion;
              b.tokens.reasoning += reasoning;
              b.calls += requests;
              b.cost += *usage;
            }
            return true;
          });
      if (!ok) return malformed("/activity");
    }
    std::map<std::string, daily_cost> per_day;
    std::map<std::string, bucket> per_model;
    for (const auto& [k, b] : days) {
      daily_usage u;
      try {
        u.date = civil_day::parse(k.first);
      } catch (const std::exception&) {
        return malformed("/activity");
      }
      u.provider = "openrouter";
      u.model = k.second;
      u.tokens = b.tokens;
      u.calls = b.calls;
      u.cost = b.cost;  // billed by OpenRouter, not estimated
      result.daily_usage.push_back(u);
      auto& d = per_day[k.first];
      d.provider = "openrouter";
      d.date = u.date;
      d.source = "api";
      d.tokens += b.tokens;
      d.cost = d.cost.value_or(micro_usd{}) + b.cost;
      auto& m = per_model[k.second];
      m.tokens += b.tokens;
      m.calls += b.calls;
      m.cost += b.cost;
    }
    for (auto& [date, d] : per_day) result.daily_costs.push_back(d);
    for (const auto& [model, m] : per_model)
      snap.model_breakdown.push_back({{"model", model},
                                      {"window", "last 30 completed UTC days"},
                                      {"requests", m.calls},
                                      {"input_tokens", m.tokens.input},
                                      {"output_tokens", m.tokens.output},
                                      {"cost_micro_usd", m.cost.value}});
    if (ctx.since) {
      const civil_day since = *ctx.since;
      auto& u = result.daily_usage;
      u.erase(
          std::remove_if(u.begin(), u.end(), [&](const daily_usage& r) { return r.date < since; }),
          u.end());
      auto& c = result.daily_costs;
      c.erase(
          std::remove_if(c.begin(), c.end(), [&](const daily_cost& r) { return r.date < since; }),
          c.end());
    }
    add_today();
    result.snap = std::move(snap);
    return result;
  }
};

}  // namespace

std::unique_ptr<provider> make_openrouter_provider() {
  return std::make_unique<openrouter_provider>();
}

}  // namespace costs::detail
