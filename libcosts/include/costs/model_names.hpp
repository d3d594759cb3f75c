// costs/model_names.hpp: one name per model, and who serves it.
//
// The same model is logged as "claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4.5",
// "us.anthropic.claude-sonnet-4-5-20250929-v1:0" or "claude-sonnet-4-5@20250929". Prices and
// breakdowns need one id, so every source passes its model through canonical_model().
#pragma once

#include <string>
#include <string_view>

namespace costs {

/// The canonical id: lowercase, no routing prefix ("openrouter/", "anthropic/", "bedrock/",
/// region and "anthropic." Bedrock forms, "[openclaw] "), no date suffix ("-20250929",
/// "@20250929", "-2024-08-06"), no Bedrock version ("-v1:0"), and Claude's dotted versions
/// as dashes ("claude-opus-4.7" -> "claude-opus-4-7"; "gpt-5.5" keeps its dot).
///     costs::canonical_model("us.anthropic.claude-sonnet-4-5-20250929-v1:0")  //
///     "claude-sonnet-4-5"
std::string canonical_model(std::string_view raw);

/// Who serves the model, from its name: "anthropic", "openai", "google", "moonshot",
/// "deepseek", "xai", "zai", "mistral", "meta", "alibaba"; "bedrock" or "vertex" when the raw
/// name is in a cloud's own form; "" when unknown.
///     costs::detect_vendor("kimi-k2.5")  // "moonshot"
std::string_view detect_vendor(std::string_view raw);

}  // namespace costs
