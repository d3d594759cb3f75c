// azure: daily cost by service from Cost Management's query API, after an OAuth2 client
// credentials token (providers.md 8.1-8.3). Columns are found by name, never by position;
// UsageDate is a number like 20261120; every nextLink page is read; only USD rows are money.
// Rows that share a day and service (grouped by resource group too, or with no service column)
// add up; a row repeated whole on a later page (pages may overlap) counts once.
#include "providers/azure/azure.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "costs/paths.hpp"
#include "costs/registry.hpp"
#include "http/http_client.hpp"
#include "providers/admin_report.hpp"
#include "providers/api_json.hpp"

namespace costs::detail {
namespace {

using namespace simdjson;

constexpr const char* variables[] = {"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET",
                                     "AZURE_COST_SCOPE"};

class azure_provider final : public provider {
 public:
  const provider_info& info() const override { return *find_provider("azure"); }

  detection detect() const override {
    std::string missing;
    for (const char* v : variables)
      if (!setting(v)) missing += (missing.empty() ? "" : ", ") + std::string(v);
    if (missing.empty())
      return {true,
              "AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_COST_SCOPE set",
              setting_origin("AZURE_CLIENT_SECRET")};
    return {false, "set " + missing};
  }

  collect_result collect(const collect_context& ctx) override {
    collect_result result;
    for (const char* v : variables)
      if (!setting(v)) {
        result.status = collect_status::not_configured;
        return result;
      }
    const std::string tenant = *setting("AZURE_TENANT_ID");
    std::string scope = *setting("AZURE_COST_SCOPE");
    while (!scope.empty() && scope.front() == '/') scope.erase(0, 1);
    auto fail = [&](const http_response& r, const std::string& hint) {
      result = collect_result{};
      result.status = r.status == 401 || r.status == 400 ? collect_status::auth_failed
                                                         : collect_status::http_error;
      result.error = describe_failure(r, "Azure", hint);
      return result;
    };
    auto malformed = [&](const char* what) {
      result = collect_result{};
      result.status = collect_status::parse_error;
      result.error = std::string("Azure sent a ") + what + " we could not read; nothing was stored";
      return result;
    };

    // 1. A token for the management API.
    http_request token_request;
    token_request.method = "POST";
    token_request.url = base_url("azure_login", "https://login.microsoftonline.com") + "/" +
                        form_encode(tenant) + "/oauth2/v2.0/token";
    token_request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    token_request.body =
        "grant_type=client_credentials&client_id=" + form_encode(*setting("AZURE_CLIENT_ID")) +
        "&client_secret=" + form_encode(*setting("AZURE_CLIENT_SECRET")) +
        "&scope=" + form_encode("https://management.azure.com/.default");
    const http_response token_response = http_send(token_request);
    if (!token_response.ok())
      return fail(token_response, "AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET");
    std::string token;
    {
      ondemand::parser parser;
      json_body body(token_response.body);
      ondemand::object root;
      if (!body.open(parser, root) ||
          !each_field(root,
                      [&](std::string_view k, ondemand::value v) {
                        if (k == "access_token") as_string(v, token);
                      }) ||
          token.empty())
        return malformed("token");
    }

    // 2. Daily cost by service and resource group, at most 31 days per query.
    const long long today = utc_day(ctx.now).days_since_epoch();
    const long long first =
        std::max(ctx.since ? ctx.since->days_since_epoch() : today - 30, today - 30);
    const nlohmann::json query = {
        {"type", "ActualCost"},
        {"timeframe", "Custom"},
        {"timePeriod",
         {{"from", civil_day::from_days_since_epoch(first).to_string() + "T00:00:00Z"},
          {"to", civil_day::from_days_since_epoch(today).to_string() + "T23:59:59Z"}}},
        {"dataset",
         {{"granularity", "Daily"},
          {"aggregation", {{"totalCost", {{"name", "Cost"}, {"function", "Sum"}}}}},
          // By service and resource group (two dimensions, the most a query may name).
          {"grouping",
           nlohmann::json::array({{{"type", "Dimension"}, {"name", "ServiceName"}},
                                  {{"type", "Dimension"}, {"name", "ResourceGroupName"}}})}}}};
    http_request request;
    request.method = "POST";
    request.url = base_url("azure", "https://management.azure.com") + "/" + scope +
                  "/providers/Microsoft.CostManagement/query?api-version=2025-03-01";
    request.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
    request.body = query.dump();

    service_costs usd;           // (day, service, resource group): rows that share one add up
    std::set<std::string> seen;  // whole rows already counted: overlapping pages repeat some
    std::set<std::string> other_currencies;
    for (int page = 0; page < 100; ++page) {
      const http_response r = http_send(request);
      if (r.status == 204) break;  // no data in the period
      if (!r.ok())
        return fail(r, "AZURE_COST_SCOPE and the service principal's Cost Management role");
      std::vector<std::string> columns;
      std::string next;
      ondemand::parser parser;
      json_body body(r.body);
      ondemand::object root, properties;
      ondemand::array cols, rows;
      // Members may come in any order: find columns, then rows, then the next link.
      if (!body.open(parser, root) ||
          root.find_field_unordered("properties").get_object().get(properties) ||
          properties.find_field_unordered("columns").get_array().get(cols))
        return malformed("cost query page");
      for (auto c : cols) {
        ondemand::object col;
        std::string name;
        if (c.get_object().get(col) ||
            !each_field(col, [&](std::string_view ck, ondemand::value cv) {
              if (ck == "name") as_string(cv, name);
            }))
          return malformed("cost query page");
        columns.push_back(name);
      }
      if (properties.find_field_unordered("rows").get_array().get(rows))
        return malformed("cost query page");
      for (auto row_value : rows) {
        ondemand::array row;
        if (row_value.get_array().get(row)) return malformed("cost query page");
        std::optional<micro_usd> cost;
        std::string service, group, currency;
        std::vector<std::string> cells;  // "name=value", to know a row again on any page
        long long date = 0;
        std::size_t i = 0;
        for (auto cell : row) {
          ondemand::value value;
          if (std::move(cell).get(value) || i >= columns.size())
            return malformed("cost query page");
          const std::string& name = columns[i++];
          std::string_view raw = value.raw_json_token();
          while (!raw.empty() &&
                 std::string_view(" \t\r\n,]").find(raw.back()) != std::string_view::npos)
            raw.remove_suffix(1);
          cells.push_back(name + '=' + std::string(raw));
          if (name == "Cost" || name == "PreTaxCost" || name == "CostUSD")
            cost = money_of(value);
          else if (name == "UsageDate")
            date = as_int(value, 0);
          else if (name == "ServiceName")
            as_string(value, service);
          else if (name == "ResourceGroup" || name == "ResourceGroupName")
            as_string(value, group);
          else if (name == "Currency")
            as_string(value, currency);
        }
        if (!cost || date < 19000101) return malformed("cost query page");
        std::sort(cells.begin(), cells.end());  // a later page may order its columns otherwise
        std::string whole;
        for (const auto& c : cells) whole += c + '\x1f';
        if (!seen.insert(whole).second) continue;  // the same row again on a later page
        char day[40];
        std::snprintf(day, sizeof day, "%04lld-%02lld-%02lld", date / 10000, date / 100 % 100,
                      date % 100);
        if (currency == "USD" || currency.empty())
          usd[{day, service, group}] += *cost;
        else
          other_currencies.insert(currency);
      }
      ondemand::value link;
      if (!properties.find_field_unordered("nextLink").get(link)) as_string(link, next);
      if (next.empty()) break;
      request.url = next;  // nextLink carries the $skiptoken; the same body is posted again
    }

    snapshot snap;
    snap.provider = "azure";
    snap.source = "api";
    snap.fetched_at = ctx.now;
    fill_from_services(usd, "azure", snap, result);
    snap.units = {{"window_start", civil_day::from_days_since_epoch(first).to_string()},
                  {"non_usd_currencies_skipped", other_currencies}};
    snap.raw_response = snap.units;
    result.snap = std::move(snap);
    if (!other_currencies.empty()) {
      result.status = collect_status::partial;
      result.error =
          "Azure bills part of this scope in another currency; only USD rows were stored";
    }
    return result;
  }
};

}  // namespace

std::unique_ptr<provider> make_azure_provider() {
  return std::make_unique<azure_provider>();
}

}  // namespace costs::detail
