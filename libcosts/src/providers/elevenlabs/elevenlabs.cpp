// elevenlabs: characters (credits) used against the plan's limit and the reset time from
// /v1/user/subscription, and per-model characters per day from /v1/usage/character-stats
// (providers.md 4.1-4.4). ElevenLabs reports no spend in money: units only.
#include "providers/elevenlabs/elevenlabs.hpp"

#include "costs/registry.hpp"
#include "costs/secrets.hpp"
#include "http/http_client.hpp"
#include "providers/api_json.hpp"

namespace costs::detail {
namespace {

using namespace simdjson;

class elevenlabs_provider final : public provider {
 public:
  const provider_info& info() const override { return *find_provider("elevenlabs"); }

  detection detect() const override {
    if (auto c = find_credential("ELEVENLABS_API_KEY", "elevenlabs-api-key"))
      return {true, c->origin + " found", c->where};
    return {false, "set ELEVENLABS_API_KEY"};
  }

  collect_result collect(const collect_context& ctx) override {
    collect_result result;
    const auto key = find_credential("ELEVENLABS_API_KEY", "elevenlabs-api-key");
    if (!key) {
      result.status = collect_status::not_configured;
      return result;
    }
    const std::string base = base_url("elevenlabs", "https://api.elevenlabs.io");
    http_request request;
    request.headers = {{"xi-api-key", key->value}, {"Accept", "application/json"}};
    auto fail = [&](const http_response& r) {
      result = collect_result{};
      result.status = r.status == 401 ? collect_status::auth_failed : collect_status::http_error;
      result.error = describe_failure(r, "ElevenLabs", key->origin);
      return result;
    };
    auto malformed = [&](const char* what) {
      result = collect_result{};
      result.status = collect_status::parse_error;
      result.error = std::string("ElevenLabs sent a ") + what +
                     " response we could not read; nothing was stored";
      return result;
    };

    request.url = base + "/v1/user/subscription";
    const http_response sub = http_send(request);
    if (!sub.ok()) return fail(sub);
    std::int64_t used = -1, limit = -1, reset = -1;
    std::string tier, status;
    {
      ondemand::parser parser;
      json_body body(sub.body);
      ondemand::object root;
      const bool ok =
          body.open(parser, root) && each_field(root, [&](std::string_view k, ondemand::value v) {
            if (k == "character_count")
              used = as_int(v, -1);
            else if (k == "character_limit")
              limit = as_int(v, -1);
            else if (k == "next_character_count_reset_unix")
              reset = as_int(v, -1);
            else if (k == "tier")
              as_string(v, tier);
            else if (k == "status")
              as_string(v, status);
          });
      if (!ok || used < 0 || limit < 0) return malformed("subscription");
    }

    // The last 30 days, per model, in whole UTC days (milliseconds, as the API wants them).
    const long long today = utc_day(ctx.now).days_since_epoch();
    const long long first = ctx.since ? ctx.since->days_since_epoch() : today - 30;
    request.url =
        base + "/v1/usage/character-stats?start_unix=" + std::to_string(first * 86'400'000LL) +
        "&end_unix=" + std::to_string((today + 1) * 86'400'000LL - 1) + "&breakdown_type=model";
    const http_response stats = http_send(request);
    if (!stats.ok()) return fail(stats);
    nlohmann::json per_model = nlohmann::json::object();
    {
      ondemand::parser parser;
      json_body body(stats.body);
      ondemand::object root;
      std::vector<std::string> days;
      // `usage` is read against `time`, whichever of the two the body sends first.
      ondemand::array times;
      ondemand::object usage;
      bool ok =
          body.open(parser, root) && !root.find_field_unordered("time").get_array().get(times);
      for (auto t : times) {
        std::int64_t ms;
        if (!ok || t.get_int64().get(ms)) {
          ok = false;
          break;
        }
        days.push_back(civil_day::from_days_since_epoch(ms / 86'400'000).to_string());
      }
      ok = ok && !root.find_field_unordered("usage").get_object().get(usage) &&
           each_field(usage, [&](std::string_view model, ondemand::value series) {
             ondemand::array values;
             if (series.get_array().get(values)) return false;
             std::size_t i = 0;
             nlohmann::json by_day = nlohmann::json::object();
             for (auto value : values) {
               double chars = 0;
               if (value.get_double().get(chars) || i >= days.size()) return false;
               by_day[days[i++]] = static_cast<std::int64_t>(chars);
             }
             per_model[std::string(model)] = by_day;
             return true;
           });
      if (!ok) return malformed("character-stats");
    }

    snapshot snap;
    snap.provider = "elevenlabs";
    snap.source = "api";
    snap.fetched_at = ctx.now;
    snap.units = {
        {"characters_used", used}, {"characters_limit", limit}, {"tier", tier}, {"status", status}};
    if (reset >= 0)
      snap.units["resets_at"] = format_timestamp(timestamp(std::chrono::seconds(reset)));
    for (const auto& [model, by_day] : per_model.items()) {
      std::int64_t total = 0;
      for (const auto& [day, chars] : by_day.items()) total += chars.get<std::int64_t>();
      snap.model_breakdown.push_back({{"model", model}, {"characters", total}, {"by_day", by_day}});
    }
    snap.raw_response = snap.units;
    result.snap = std::move(snap);
    return result;
  }
};

}  // namespace

std::unique_ptr<provider> make_elevenlabs_provider() {
  return std::make_unique<elevenlabs_provider>();
}

}  // namespace costs::detail
