// Private: requests to Notion's API (version 2025-09-03), paced to its three requests a second
// on average, retried on 429 (honouring Retry-After) and 5xx, and failures turned into one line
// that says what to do, never the token.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace costs::detail {

struct notion_answer {
  long status = 0;  ///< 0 when no answer came
  nlohmann::json body;
  std::string error;  ///< one line when not ok; empty on success

  bool ok() const noexcept { return error.empty(); }
};

class notion_client {
 public:
  explicit notion_client(const std::string& token);

  /// `doing` names the request in an error: "creating the Cost Log database".
  notion_answer send(const std::string& method, const std::string& path, const nlohmann::json& body,
                     const std::string& doing);

 private:
  const std::string& token_;
  std::chrono::milliseconds interval_;
  std::optional<std::chrono::steady_clock::time_point> last_;
};

}  // namespace costs::detail
