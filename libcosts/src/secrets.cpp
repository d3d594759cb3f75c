#include "costs/secrets.hpp"

#include <fstream>
#include <sstream>

#include "costs/paths.hpp"

namespace costs {

namespace {

std::optional<credential> from_config(const char* variable) {
  if (auto v = config_value(variable))
    return credential{*v, std::string(variable) + " in " + config_file().string(),
                      found_in::config_file};
  return std::nullopt;
}

}  // namespace

std::optional<credential> find_credential(const char* variable, const std::string& file_name) {
  if (auto v = env(variable)) return credential{*v, variable, found_in::environment};
  const auto file = home_dir() / ".openclaw" / "credentials" / file_name;
  std::ifstream in(file);
  if (!in) return from_config(variable);
  std::stringstream text;
  text << in.rdbuf();
  std::string value = text.str();
  value.erase(0, value.find_first_not_of(" \t\r\n"));
  value.erase(value.find_last_not_of(" \t\r\n") + 1);
  if (!value.empty())
    return credential{value, "~/.openclaw/credentials/" + file_name, found_in::credential_file};
  return from_config(variable);
}

const char* to_string(found_in where) noexcept {
  switch (where) {
    case found_in::environment: return "environment";
    case found_in::credential_file: return "credential_file";
    case found_in::config_file: return "config_file";
    case found_in::local_logs: return "local_logs";
    case found_in::nowhere: break;
  }
  return "nowhere";
}

found_in setting_origin(const char* name) {
  if (env(name)) return found_in::environment;
  if (config_value(name)) return found_in::config_file;
  return found_in::nowhere;
}

std::string redact_url(std::string_view url) {
  std::string out(url);
  const auto scheme = out.find("://");
  if (scheme == std::string::npos) return out;
  const auto authority_start = scheme + 3;
  const auto authority_end = out.find_first_of("/?#", authority_start);
  const auto at = out.rfind('@', authority_end);
  if (at == std::string::npos || at < authority_start) return out;
  const auto colon = out.find(':', authority_start);
  if (colon == std::string::npos || colon > at) return out;
  out.replace(colon + 1, at - colon - 1, "***");
  return out;
}

std::string redact(std::string_view text, std::string_view secret) {
  std::string out(text);
  if (secret.empty()) return out;
  for (auto pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + 3))
    out.replace(pos, secret.size(), "***");
  return out;
}

}  // namespace costs
