// brave: queries used this month from the quota headers every search answer carries
// (providers.md 10). There is no usage endpoint, so one small search is made per collection;
// that query is counted in what it reports.
#include "providers/brave/brave.hpp"

#include <sstream>

#include "costs/registry.hpp"
#include "costs/secrets.hpp"
#include "http/http_client.hpp"

namespace costs::detail {
namespace {

// "1, 15000" -> {1, 15000}: one entry per window, per-second first, then monthly.
std::vector<std::int64_t> windows(const std::string& header) {
  std::vector<std::int64_t> out;
  std::stringstream ss(header);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      out.push_back(std::stoll(item));
    } catch (...) {
      return {};
    }
  }
  return out;
}

class brave_provider final : public provider {
 public:
  const provider_info& info() const override { return *find_provider("brave"); }

  detection detect() const override {
    if (auto c = find_credential("BRAVE_API_KEY", "brave-api-key"))
      return {true, c->origin + " found", c->where};
    return {false, "set BRAVE_API_KEY"};
  }

  collect_result collect(const collect_context& ctx) override {
    collect_result result;
    const auto key = find_credential("BRAVE_API_KEY", "brave-api-key");
    if (!key) {
      result.status = collect_status::not_configured;
      return result;
    }
    http_request request;
    request.url =
        base_url("brave", "https://api.search.brave.com") + "/res/v1/web/search?q=ai+spend&count=1";
    request.headers = {{"X-Subscription-Token", key->value}, {"Accept", "application/json"}};
    const http_response r = http_send(request);
    if (!r.ok()) {
      result.status = r.status == 401 || r.status == 403 ? collect_status::auth_failed
                                                         : collect_status::http_error;
      result.error = describe_failure(r, "Brave Search", key->origin);
      return result;
    }
    auto header = [&](const char* name) {
      auto it = r.headers.find(name);
      return it == r.headers.end() ? std::vector<std::int64_t>{} : windows(it->second);
    };
    const auto limit = header("x-ratelimit-limit");
    const auto remaining = header("x-ratelimit-remaining");
    const auto reset = header("x-ratelimit-reset");
    if (limit.size() < 2 || remaining.size() < 2) {
      result.status = collect_status::parse_error;
      result.error = "Brave Search sent no quota headers; nothing was stored";
      return result;
    }
    snapshot snap;
    snap.provider = "brave";
    snap.source = "api";
    snap.fetched_at = ctx.now;
    const std::int64_t monthly_limit = limit.back();
    snap.units = {{"monthly_limit", monthly_limit},  // 0 means unlimited
                  {"monthly_remaining", remaining.back()},
                  {"per_second_limit", limit.front()}};
    if (monthly_limit > 0) snap.units["queries_used"] = monthly_limit - remaining.back();
    if (reset.size() >= 2)
      snap.units["monthly_resets_at"] =
          format_timestamp(ctx.now + std::chrono::seconds(reset.back()));
    snap.raw_response = snap.units;
    result.snap = std::move(snap);
    return result;
  }
};

}  // namespace

std::unique_ptr<provider> make_brave_provider() {
  return std::make_unique<brave_provider>();
}

}  // namespace costs::detail
