// costs/secrets.hpp: keeping credentials out of everything we print or store.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace costs {

/// A credential and where it came from. The value is for the request only: never print it.
struct credential {
  std::string value;
  std::string origin;  ///< "OPENROUTER_API_KEY" or "~/.openclaw/credentials/openrouter-api-key"
};

/// The environment variable `variable`, else the file ~/.openclaw/credentials/`file_name`
/// (whitespace trimmed), else `variable` in the config file, else nullopt.
std::optional<credential> find_credential(const char* variable, const std::string& file_name);

/// A URL fit to print: the password of "scheme://user:password@host" becomes "***".
///     costs::redact_url("postgresql://svc:hunter2@db/x")  // "postgresql://svc:***@db/x"
std::string redact_url(std::string_view url);

/// `text` with every occurrence of `secret` replaced by "***" (no-op for empty secrets).
std::string redact(std::string_view text, std::string_view secret);

}  // namespace costs
