#include <set>
#include <string>

#include <gtest/gtest.h>

#include "costs/registry.hpp"

namespace {

TEST(registry_test, lists_every_provider_key_of_the_design_once) {
  const std::set<std::string> design = {
      "openrouter",   "anthropic_api", "openai_api",     "elevenlabs",   "moonshot",
      "deepseek",     "azure",         "gcp_billing",    "x_api",        "brave",
      "claude_local", "codex_local",   "openclaw_local", "gemini_local", "agent_reports"};
  std::set<std::string> listed;
  for (const auto& p : costs::all_providers()) {
    EXPECT_TRUE(listed.insert(std::string(p.key)).second) << "listed twice: " << p.key;
    EXPECT_FALSE(p.label.empty()) << p.key;
  }
  EXPECT_EQ(listed, design);
}

TEST(registry_test, source_kinds_match_the_design) {
  EXPECT_EQ(costs::find_provider("anthropic_api")->source, costs::source_kind::admin_api);
  EXPECT_EQ(costs::find_provider("openai_api")->source, costs::source_kind::admin_api);
  EXPECT_EQ(costs::find_provider("openrouter")->source, costs::source_kind::api);
  for (const auto& p : costs::all_providers()) {
    const bool local = std::string(p.key).size() > 6 &&
                       std::string(p.key).substr(std::string(p.key).size() - 6) == "_local";
    EXPECT_EQ(p.source == costs::source_kind::local_session, local || p.key == "agent_reports")
        << p.key;
    // Only the calls agents report to the server are never collected by a sync.
    EXPECT_EQ(p.collected, p.key != "agent_reports") << p.key;
  }
  EXPECT_STREQ(costs::to_string(costs::source_kind::local_session), "local_session");
}

TEST(registry_test, unknown_keys_are_not_found) {
  EXPECT_EQ(costs::find_provider("nope"), nullptr);
  EXPECT_EQ(costs::find_provider(""), nullptr);
  ASSERT_NE(costs::find_provider("claude_local"), nullptr);
  EXPECT_EQ(costs::find_provider("claude_local")->label, "Claude Code");
}

}  // namespace
