// costs/secrets.hpp: keeping credentials out of everything we print or store.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace costs {

/// Where a provider's configuration was found (GET /api/providers says it as these words).
enum class found_in {
  nowhere,
  environment,      ///< an environment variable
  credential_file,  ///< ~/.openclaw/credentials/<file>, where OpenClaw keeps keys
  config_file,      ///< costs' own config file
  local_logs,       ///< an agent's session logs on this machine
};

/// "environment", "credential_file", ...; "nowhere" for nowhere.
const char* to_string(found_in where) noexcept;

/// A credential and where it came from. The value is for the request only: never print it.
struct credential {
  std::string value;
  std::string origin;  ///< "OPENROUTER_API_KEY" or "~/.openclaw/credentials/openrouter-api-key"
  found_in where = found_in::nowhere;
};

/// The environment variable `variable`, else the file ~/.openclaw/credentials/`file_name`
/// (whitespace trimmed), else `variable` in the config file, else nullopt.
std::optional<credential> find_credential(const char* variable, const std::string& file_name);

/// Where the setting `name` comes from (costs::setting's order): environment, config file or
/// nowhere. Only presence is looked at.
found_in setting_origin(const char* name);

/// A URL fit to print: the password of "scheme://user:password@host" becomes "***".
///     costs::redact_url("postgresql://svc:hunter2@db/x")  // "postgresql://svc:***@db/x"
std::string redact_url(std::string_view url);

/// `text` with every occurrence of `secret` replaced by "***" (no-op for empty secrets).
std::string redact(std::string_view text, std::string_view secret);

}  // namespace costs
