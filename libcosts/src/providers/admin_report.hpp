// Private: what the Anthropic and OpenAI admin reports share. Both answer pages of daily
// buckets {start, end, results[]} with has_more / next_page; we walk every page and fold the
// results into per-(day, model) rows: tokens from the usage report, billed cost from the cost
// report, never an estimate.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "costs/model.hpp"
#include "costs/provider.hpp"
#include "http/http_client.hpp"

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

/// "&page=..." with the cursor escaped for a query string.
std::string page_param(const std::string& cursor);

}  // namespace costs::detail
