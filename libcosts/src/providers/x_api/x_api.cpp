// x_api: Posts read this billing cycle against the project's cap, and per day, from
// /2/usage/tweets (providers.md 9). Counts arrive as strings or numbers; both are read.
#include "providers/x_api/x_api.hpp"

#include "costs/registry.hpp"
#include "costs/secrets.hpp"
#include "http/http_client.hpp"
#include "providers/api_json.hpp"

namespace costs::detail {
namespace {

using namespace simdjson;

std::int64_t count_of(ondemand::value v) {
  std::string_view text;
  if (!v.get_string().get(text)) {
    try {
      return std::stoll(std::string(text));
    } catch (...) {
      return -1;
    }
  }
  return as_int(v, -1);
}

class x_api_provider final : public provider {
 public:
  const provider_info& info() const override { return *find_provider("x_api"); }

  detection detect() const override {
    if (auto c = find_credential("X_BEARER_TOKEN", "x-bearer-token"))
      return {true, c->origin + " found", c->where};
    return {false, "set X_BEARER_TOKEN (an app-only bearer token of a Project app)"};
  }

  collect_result collect(const collect_context& ctx) override {
    collect_result result;
    const auto key = find_credential("X_BEARER_TOKEN", "x-bearer-token");
    if (!key) {
      result.status = collect_status::not_configured;
      return result;
    }
    http_request request;
    request.url =
        base_url("x_api", "https://api.x.com") +
        "/2/usage/tweets?days=30&usage.fields=cap_reset_day,daily_project_usage,project_cap,"
        "project_id,project_usage";
    request.headers = {{"Authorization", "Bearer " + key->value}, {"Accept", "application/json"}};
    const http_response r = http_send(request);
    if (!r.ok()) {
      result.status = r.status == 401 ? collect_status::auth_failed : collect_status::http_error;
      result.error = describe_failure(r, "X", key->origin);
      return result;
    }
    std::int64_t cap = -1, used = -1, reset_day = -1;
    nlohmann::json daily = nlohmann::json::object();
    ondemand::parser parser;
    json_body body(r.body);
    ondemand::object root;
    auto on_day = [&](ondemand::object day) {
      std::string date;
      std::int64_t n = -1;
      const bool ok = each_field(day, [&](std::string_view k, ondemand::value v) {
        if (k == "date")
          as_string(v, date);
        else if (k == "usage")
          n = count_of(v);
      });
      if (ok && date.size() >= 10 && n >= 0) daily[date.substr(0, 10)] = n;
      return ok;
    };
    auto on_enterprise_day = [&](ondemand::object day) {
      std::string date;
      std::int64_t n = 0;
      bool counted = false;
      const bool ok = each_field(day, [&](std::string_view k, ondemand::value v) {
        if (k == "date") {
          as_string(v, date);
        } else if (k == "usage") {
          ondemand::array apps;
          if (v.get_array().get(apps)) return false;
          for (auto app : apps) {
            ondemand::object a;
            if (app.get_object().get(a)) return false;
            const bool app_ok = each_field(a, [&](std::string_view f, ondemand::value x) {
              if (f != "tweets_consumed") return true;
              const std::int64_t c = count_of(x);
              if (c < 0) return false;
              n += c;
              counted = true;
              return true;
            });
            if (!app_ok) return false;
          }
        }
        return true;
      });
      if (ok && date.size() >= 10 && counted)
        daily[date.substr(0, 10)] = daily.value(date.substr(0, 10), std::int64_t{0}) + n;
      return ok && date.size() >= 10;
    };
    const bool ok =
        body.open(parser, root) && each_field(root, [&](std::string_view k, ondemand::value v) {
          if (k != "data") return true;
          return each_field(v, [&](std::string_view f, ondemand::value x) {
            if (f == "project_cap")
              cap = count_of(x);
            else if (f == "project_usage")
              used = count_of(x);
            else if (f == "cap_reset_day")
              reset_day = as_int(x, -1);
            else if (f == "daily_project_usage") {
              // Enterprise: an array of {date, usage: [{app_id, tweets_consumed}]}.
              ondemand::array enterprise;
              if (!x.get_array().get(enterprise)) {
                for (auto day : enterprise) {
                  ondemand::object o;
                  if (day.get_object().get(o) || !on_enterprise_day(o)) return false;
                }
                return true;
              }
              // Self-serve: {project_id, usage: [{date, usage}]}.
              return each_field(x, [&](std::string_view d, ondemand::value dv) {
                if (d != "usage") return true;
                ondemand::array days;
                if (dv.get_array().get(days)) return false;
                for (auto day : days) {
                  ondemand::object o;
                  if (day.get_object().get(o) || !on_day(o)) return false;
                }
                return true;
              });
            }
            return true;
          });
        });
    // Enterprise answers may carry no project totals: the window's days add up instead.
    std::string used_basis = "project_usage";
    if (ok && used < 0 && !daily.empty()) {
      used = 0;
      for (const auto& [day, n] : daily.items()) used += n.get<std::int64_t>();
      used_basis = "sum of daily usage";
    }
    if (!ok || used < 0) {
      result.status = collect_status::parse_error;
      result.error = "X sent a usage response we could not read; nothing was stored";
      return result;
    }
    snapshot snap;
    snap.provider = "x_api";
    snap.source = "api";
    snap.fetched_at = ctx.now;
    snap.units = {{"posts_read", used},
                  {"posts_read_basis", used_basis},
                  {"posts_cap", cap >= 0 ? nlohmann::json(cap) : nlohmann::json()},
                  {"cap_reset_day", reset_day >= 0 ? nlohmann::json(reset_day) : nlohmann::json()},
                  {"posts_read_by_day", daily}};
    if (auto it = r.headers.find("x-rate-limit-remaining"); it != r.headers.end())
      snap.units["rate_limit_remaining"] = it->second;
    snap.raw_response = snap.units;
    result.snap = std::move(snap);
    return result;
  }
};

}  // namespace

std::unique_ptr<provider> make_x_api_provider() {
  return std::make_unique<x_api_provider>();
}

}  // namespace costs::detail
