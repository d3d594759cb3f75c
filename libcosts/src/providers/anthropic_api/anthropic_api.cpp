// anthropic_api: the Admin API's usage report (tokens by day and model) and cost report
// (billed cents as decimal strings, by day and model), every page (providers.md 2.1-2.4).
#include "providers/anthropic_api/anthropic_api.hpp"

#include "costs/model_names.hpp"
#include "costs/registry.hpp"
#include "costs/secrets.hpp"
#include "providers/admin_report.hpp"
#include "providers/api_json.hpp"

namespace costs::detail {
namespace {

using namespace simdjson;

// Anthropic's buckets start at an RFC 3339 time: its first ten characters are the day.
page_result read_page(
    const std::string& text,
    const std::function<bool(const std::string& day, ondemand::object result)>& on_result) {
  return read_report_page(
      text, "starting_at",
      [](simdjson::ondemand::value v) {
        std::string start;
        return as_string(v, start) && start.size() >= 10 ? start.substr(0, 10) : std::string();
      },
      on_result);
}

class anthropic_api_provider final : public provider {
 public:
  const provider_info& info() const override { return *find_provider("anthropic_api"); }

  detection detect() const override {
    if (auto c = find_credential("ANTHROPIC_ADMIN_KEY", "anthropic-admin-key"))
      return {true, c->origin + " found", c->where};
    return {false, "set ANTHROPIC_ADMIN_KEY (an organisation Admin API key, sk-ant-admin...)"};
  }

  collect_result collect(const collect_context& ctx) override {
    collect_result result;
    const auto key = find_credential("ANTHROPIC_ADMIN_KEY", "anthropic-admin-key");
    if (!key) {
      result.status = collect_status::not_configured;
      return result;
    }
    const std::string base = base_url("anthropic_api", "https://api.anthropic.com");
    const civil_day first = report_start(ctx);
    const std::string start = first.to_string() + "T00:00:00Z";
    http_request request;
    request.headers = {{"x-api-key", key->value},
                       {"anthropic-version", "2023-06-01"},
                       {"Accept", "application/json"}};

    report_rows rows;
    auto fail = [&](const http_response& r, bool parse_failed, const char* what) {
      return report_failure(r, parse_failed, "Anthropic", what,
                            key->origin + " (it must be an Admin API key)");
    };

    bool parse_failed = false;
    request.url = base + "/v1/organizations/usage_report/messages?starting_at=" + start +
                  "&bucket_width=1d&limit=31&group_by[]=model";
    if (auto failed = fetch_pages(
            request,
            [&](const std::string& text) {
              return read_page(text, [&](const std::string& day, ondemand::object r) {
                std::string model;
                token_counts t;
                const bool ok = each_field(r, [&](std::string_view f, ondemand::value x) {
                  if (f == "model")
                    as_string(x, model);
                  else if (f == "uncached_input_tokens")
                    t.input = as_int(x);
                  else if (f == "output_tokens")
                    t.output = as_int(x);
                  else if (f == "cache_read_input_tokens")
                    t.cache_read = as_int(x);
                  else if (f == "cache_creation")
                    return each_field(x, [&](std::string_view c, ondemand::value cv) {
                      if (c == "ephemeral_5m_input_tokens")
                        t.cache_write_5m = as_int(cv);
                      else if (c == "ephemeral_1h_input_tokens")
                        t.cache_write_1h = as_int(cv);
                    });
                  return true;
                });
                if (ok) rows[{day, canonical_model(model)}].tokens += t;
                return ok;
              });
            },
            parse_failed))
      return fail(*failed, parse_failed, "usage report");

    request.url = base + "/v1/organizations/cost_report?starting_at=" + start +
                  "&bucket_width=1d&limit=31&group_by[]=description";
    if (auto failed = fetch_pages(
            request,
            [&](const std::string& text) {
              return read_page(text, [&](const std::string& day, ondemand::object r) {
                std::string model, cost_type, currency = "USD";
                std::optional<pico_usd> cents;
                const bool ok = each_field(r, [&](std::string_view f, ondemand::value x) {
                  if (f == "model")
                    as_string(x, model);
                  else if (f == "cost_type")
                    as_string(x, cost_type);
                  else if (f == "currency")
                    as_string(x, currency);
                  else if (f == "amount") {
                    std::string text_amount;
                    if (!as_string(x, text_amount)) return false;
                    try {
                      cents = parse_usd_pico(text_amount);  // cents, as a decimal string
                    } catch (const std::exception&) {
                      return false;
                    }
                  }
                  return true;
                });
                if (!ok || !cents || currency != "USD") return false;
                // Costs without a model (web search, code execution) are not by model: the empty
                // model, shown as "not itemised", never a made-up model named after the kind.
                auto& row = rows[{day, model.empty() ? std::string() : canonical_model(model)}];
                row.billed = row.billed.value_or(pico_usd{}) + pico_usd{cents->value / 100};
                return true;
              });
            },
            parse_failed))
      return fail(*failed, parse_failed, "cost report");

    snapshot snap;
    snap.provider = "anthropic_api";
    snap.source = "admin_api";
    snap.fetched_at = ctx.now;
    snap.units = {{"window_start", first.to_string()}, {"window", "usage and cost reports, daily"}};
    snap.raw_response = snap.units;
    fill_from_report(rows, "anthropic_api", std::nullopt, snap, result);
    result.snap = std::move(snap);
    return result;
  }
};

}  // namespace

std::unique_ptr<provider> make_anthropic_api_provider() {
  return std::make_unique<anthropic_api_provider>();
}

}  // namespace costs::detail
