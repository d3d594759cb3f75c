// Private: what the billing reports share. The Anthropic and OpenAI admin reports answer pages
// of daily buckets {start, end, results[]} with has_more / next_page; we walk every page and fold
// the results into per-(day, model) rows: tokens from the usage report, billed cost from the cost
// report, never an estimate. Azure's and Google's billing exports give cost per (day, service).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "costs/model.hpp"
#include "costs/provider.hpp"
#include "http/http_client.hpp"
#include "providers/api_json.hpp"

namespace costs::detail {

/// One page's outcome.
struct page_result {
  bool ok = false;
  bool has_more = false;
  std::string next_page;
};

/// GETs `url` (with `&page=<cursor>` for later pages) until a page says no more; `on_page`
/// parses each body. Returns the failing response, or nullopt when every page was read.
/// A page that does not parse ends the walk with `parse_failed` set.
std::optional<http_response> fetch_pages(
    const http_request& first, const std::function<page_result(const std::string&)>& on_page,
    bool& parse_failed);

/// Reads one report page {"data":[{<day_field>, "results":[...]}], "has_more", "next_page"}:
/// `day_of` turns the bucket's day field into "YYYY-MM-DD" ("" when it is not one) and
/// `on_result` takes each result of that day. Anything unreadable makes the page not ok.
page_result read_report_page(
    const std::string& text, std::string_view day_field,
    const std::function<std::string(simdjson::ondemand::value)>& day_of,
    const std::function<bool(const std::string& day, simdjson::ondemand::object result)>&
        on_result);

struct day_model_totals {
  token_counts tokens;
  std::int64_t calls = 0;
  std::optional<pico_usd> billed;
};

using report_rows =
    std::map<std::pair<std::string, std::string>, day_model_totals>;  // (day, model)

/// Turns report rows into a snapshot's breakdown and the daily rows of `provider_key`.
void fill_from_report(const report_rows& rows, const std::string& provider_key,
                      const std::optional<civil_day>& since, snapshot& snap,
                      collect_result& result);

/// USD cost per (day "YYYY-MM-DD", service, group): the group is Azure's resource group or
/// Google's project, "" where the answer has none.
using service_costs = std::map<std::tuple<std::string, std::string, std::string>, micro_usd>;

/// Cloud billing exports (Azure Cost Management, Google's BigQuery export): each (day, service,
/// group) becomes a usage row with the service as the model and the group as the project, one
/// cost row per day, and the snapshot's total and per-service breakdown.
void fill_from_services(const service_costs& usd, const std::string& provider_key, snapshot& snap,
                        collect_result& result);

/// The first day a report asks for: `--since`, else 30 days before today (UTC).
civil_day report_start(const collect_context& ctx);

/// The result when a report could not be read: a page that did not parse (nothing is stored),
/// or the provider's failing answer, described without the key.
collect_result report_failure(const http_response& r, bool parse_failed, const std::string& label,
                              const char* what, const std::string& credential_hint);

}  // namespace costs::detail
