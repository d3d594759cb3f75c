#include "costs/notion.hpp"

#include <nlohmann/json.hpp>

#include "http/http_client.hpp"

namespace costs {
namespace {

double dollars(micro_usd m) {
  // Notion numbers are JSON numbers; cents are exact enough at the edge, the store keeps micro.
  return static_cast<double>(m.value) / 1e6;
}

detail::http_request notion_request(const std::string& method, const std::string& path,
                                    const std::string& token, const nlohmann::json& body) {
  detail::http_request r;
  r.method = method;
  r.url = detail::base_url("notion", "https://api.notion.com") + path;
  r.headers = {{"Authorization", "Bearer " + token},
               {"Notion-Version", "2022-06-28"},
               {"Content-Type", "application/json"}};
  r.body = body.dump();
  return r;
}

std::string failure(const detail::http_response& r, const char* doing) {
  if (!r.error.empty()) return std::string("Notion ") + doing + ": " + r.error;
  std::string line = std::string("Notion answered ") + std::to_string(r.status) + " " + doing;
  if (r.status == 401) line += ": check NOTION_TOKEN";
  if (r.status == 404)
    line += ": check COSTS_NOTION_DATABASE_ID and that the database is shared with the integration";
  if (r.status == 400) {
    const auto body = nlohmann::json::parse(r.body, nullptr, false);
    if (body.is_object() && body.contains("message") && body["message"].is_string())
      line += ": " + body["message"].get<std::string>();
  }
  return line;
}

}  // namespace

std::string write_notion_day(const std::string& token, const std::string& database_id,
                             const notion_day& d) {
  std::string providers;
  for (const auto& [key, cost] : d.providers)
    providers += (providers.empty() ? "" : ", ") + key + " " + format_usd(cost);
  nlohmann::json properties = {
      {"Name", {{"title", {{{"text", {{"content", d.day.to_string()}}}}}}}},
      {"Date", {{"date", {{"start", d.day.to_string()}}}}},
      {"Total", {{"number", dollars(d.total)}}},
      {"Change", {{"number", dollars(d.change)}}},
      {"Budget share", {{"number", d.budget_share ? nlohmann::json(*d.budget_share) : nullptr}}},
      {"Providers", {{"rich_text", {{{"text", {{"content", providers}}}}}}}}};

  const auto found = detail::http_send(
      notion_request("POST", "/v1/databases/" + database_id + "/query", token,
                     {{"filter", {{"property", "Date"}, {"date", {{"equals", d.day.to_string()}}}}},
                      {"page_size", 1}}));
  if (!found.ok()) return failure(found, "to the query for the day's row");
  const auto results = nlohmann::json::parse(found.body, nullptr, false);
  if (!results.is_object() || !results.contains("results") || !results["results"].is_array())
    return "Notion's query answer was not the documented shape";
  const auto written =
      results["results"].empty()
          ? detail::http_send(notion_request(
                "POST", "/v1/pages", token,
                {{"parent", {{"database_id", database_id}}}, {"properties", properties}}))
          : detail::http_send(notion_request(
                "PATCH", "/v1/pages/" + results["results"][0].value("id", std::string()), token,
                {{"properties", properties}}));
  if (!written.ok()) return failure(written, "to writing the day's row");
  return "";
}

}  // namespace costs
