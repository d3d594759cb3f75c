// costs/registry.hpp: every provider the project knows, listed once.
//
// The rest of the code discovers providers from here; no other place names them. Keys are
// stable: they are stored in the database.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace costs {

/// How a provider's numbers are obtained. Stored as these words.
enum class source_kind {
  api,            ///< a billing, balance or quota endpoint with a user key
  admin_api,      ///< an organisation admin key's usage and cost reports
  local_session,  ///< an agent's session logs on this machine
};

const char* to_string(source_kind kind) noexcept;

struct provider_info {
  std::string_view key;    ///< "openrouter", "claude_local", ...
  std::string_view label;  ///< "OpenRouter", "Claude Code", ...
  source_kind source;
  /// False for what no sync collects: agent_reports, the calls agents send to costs-server
  /// (POST /api/costs/llm), priced like local logs and shown as an estimate.
  bool collected = true;
};

/// Every provider, in display order.
///     for (const auto& p : costs::all_providers()) std::cout << p.key << '\n';
const std::vector<provider_info>& all_providers();

/// The provider with `key`, or nullptr.
const provider_info* find_provider(std::string_view key) noexcept;

/// A provider's label for people ("OpenRouter", "Claude Code"); the key itself if unknown.
std::string provider_label(std::string_view key);

/// The keys of every provider of one kind, e.g. the local logs' (local_session).
std::vector<std::string> provider_keys(source_kind kind);

}  // namespace costs
