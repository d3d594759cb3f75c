#include "notion/notion_client.hpp"

#include <thread>

#include "costs/paths.hpp"
#include "http/http_client.hpp"

namespace costs::detail {
namespace {

// 340 ms apart keeps to Notion's documented average of three requests a second.
std::chrono::milliseconds pacing() {
  return std::chrono::milliseconds(
      whole_number_setting("COSTS_NOTION_INTERVAL_MS", 340, 0, 60'000, "milliseconds"));
}

std::string what_to_do(long status, const nlohmann::json& body) {
  const std::string message =
      body.is_object() && body.contains("message") && body["message"].is_string()
          ? body["message"].get<std::string>()
          : std::string();
  switch (status) {
    case 401: return "check NOTION_TOKEN (the integration's secret)";
    case 403: return "give the integration the read, update and insert content capabilities";
    case 404:
      return "share the page with the integration (the page's ... menu, Connections) and check "
             "NOTION_PARENT_PAGE_ID";
    case 409: return "Notion saw a conflicting write; the next run tries again";
    case 429: return "Notion kept asking to slow down; the next run writes the rest";
    default: break;
  }
  if (status >= 500) return "Notion is having trouble; the next run writes the rest";
  // A validation message names a property or a value, never the token.
  return message.empty() ? "Notion refused the request" : message.substr(0, 300);
}

}  // namespace

notion_client::notion_client(const std::string& token) : token_(token), interval_(pacing()) {}

notion_answer notion_client::send(const std::string& method, const std::string& path,
                                  const nlohmann::json& body, const std::string& doing) {
  if (last_) {
    const auto next = *last_ + interval_;
    if (std::chrono::steady_clock::now() < next) std::this_thread::sleep_until(next);
  }
  http_request r;
  r.method = method;
  r.url = base_url("notion", "https://api.notion.com") + path;
  r.headers = {{"Authorization", "Bearer " + token_},
               {"Notion-Version", "2025-09-03"},
               {"Content-Type", "application/json"}};
  if (!body.is_null()) r.body = body.dump();
  r.max_attempts = 5;
  const http_response got = http_send(r);
  last_ = std::chrono::steady_clock::now();

  notion_answer a;
  a.status = got.status;
  a.body = nlohmann::json::parse(got.body, nullptr, false);
  if (!got.error.empty()) {
    a.error = "Notion did not answer " + doing + " (" + got.error + "); the next run tries again";
  } else if (!got.ok()) {
    a.error = "Notion answered " + std::to_string(got.status) + " to " + doing + ": " +
              what_to_do(got.status, a.body);
  } else if (!a.body.is_object()) {
    a.error = "Notion's answer to " + doing + " was not JSON";
  }
  return a;
}

}  // namespace costs::detail
