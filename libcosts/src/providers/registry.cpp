// The single list of providers. Adding a provider is one line here plus its folder.
#include "costs/registry.hpp"

#include "costs/provider.hpp"
#include "providers/anthropic_api/anthropic_api.hpp"
#include "providers/azure/azure.hpp"
#include "providers/brave/brave.hpp"
#include "providers/claude_local/claude_local.hpp"
#include "providers/codex_local/codex_local.hpp"
#include "providers/deepseek/deepseek.hpp"
#include "providers/elevenlabs/elevenlabs.hpp"
#include "providers/gcp_billing/gcp_billing.hpp"
#include "providers/gemini_local/gemini_local.hpp"
#include "providers/moonshot/moonshot.hpp"
#include "providers/openai_api/openai_api.hpp"
#include "providers/openclaw_local/openclaw_local.hpp"
#include "providers/openrouter/openrouter.hpp"
#include "providers/x_api/x_api.hpp"

namespace costs {

const char* to_string(source_kind kind) noexcept {
  switch (kind) {
    case source_kind::api: return "api";
    case source_kind::admin_api: return "admin_api";
    case source_kind::local_session: return "local_session";
  }
  return "api";
}

const std::vector<provider_info>& all_providers() {
  static const std::vector<provider_info> all = {
      {"openrouter", "OpenRouter", source_kind::api},
      {"anthropic_api", "Anthropic API", source_kind::admin_api},
      {"openai_api", "OpenAI API", source_kind::admin_api},
      {"elevenlabs", "ElevenLabs", source_kind::api},
      {"moonshot", "Moonshot / Kimi", source_kind::api},
      {"deepseek", "DeepSeek", source_kind::api},
      {"azure", "Azure", source_kind::api},
      {"gcp_billing", "Google Cloud / Gemini", source_kind::api},
      {"x_api", "X API", source_kind::api},
      {"brave", "Brave Search", source_kind::api},
      {"claude_local", "Claude Code", source_kind::local_session},
      {"codex_local", "Codex", source_kind::local_session},
      {"openclaw_local", "OpenClaw agents", source_kind::local_session},
      {"gemini_local", "Gemini CLI", source_kind::local_session},
      {"agent_reports", "Reported by agents", source_kind::local_session, /*collected=*/false},
  };
  return all;
}

const provider_info* find_provider(std::string_view key) noexcept {
  for (const auto& p : all_providers())
    if (p.key == key) return &p;
  return nullptr;
}

std::string provider_label(std::string_view key) {
  const provider_info* info = find_provider(key);
  return info != nullptr ? std::string(info->label) : std::string(key);
}

std::vector<std::string> provider_keys(source_kind kind) {
  std::vector<std::string> out;
  for (const auto& p : all_providers())
    if (p.source == kind) out.emplace_back(p.key);
  return out;
}

const char* to_string(collect_status status) noexcept {
  switch (status) {
    case collect_status::ok: return "ok";
    case collect_status::not_configured: return "not_configured";
    case collect_status::auth_failed: return "auth_failed";
    case collect_status::http_error: return "http_error";
    case collect_status::parse_error: return "parse_error";
    case collect_status::partial: return "partial";
    case collect_status::failed: return "failed";
  }
  return "failed";
}

std::unique_ptr<provider> make_provider(std::string_view key) {
  // One line per collector; a key without one is listed but not collected yet.
  using factory = std::unique_ptr<provider> (*)();
  static const std::pair<std::string_view, factory> factories[] = {
      {"openrouter", &detail::make_openrouter_provider},
      {"anthropic_api", &detail::make_anthropic_api_provider},
      {"openai_api", &detail::make_openai_api_provider},
      {"elevenlabs", &detail::make_elevenlabs_provider},
      {"moonshot", &detail::make_moonshot_provider},
      {"deepseek", &detail::make_deepseek_provider},
      {"azure", &detail::make_azure_provider},
      {"gcp_billing", &detail::make_gcp_billing_provider},
      {"x_api", &detail::make_x_api_provider},
      {"brave", &detail::make_brave_provider},
      {"claude_local", &detail::make_claude_local_provider},
      {"codex_local", &detail::make_codex_local_provider},
      {"openclaw_local", &detail::make_openclaw_local_provider},
      {"gemini_local", &detail::make_gemini_local_provider},
  };
  for (const auto& [name, make] : factories)
    if (name == key) return make();
  return nullptr;
}

}  // namespace costs
