#include "costs/model_names.hpp"

#include <array>
#include <cctype>

namespace costs {
namespace {

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool all_digits(std::string_view s) {
  for (char c : s)
    if (!is_digit(c)) return false;
  return !s.empty();
}

std::string lower_trimmed(std::string_view raw) {
  std::size_t b = 0, e = raw.size();
  while (b < e && std::isspace(static_cast<unsigned char>(raw[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(raw[e - 1]))) --e;
  std::string out(raw.substr(b, e - b));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Bedrock names models "<region>.<vendor>.<model>-v1:0" or "<vendor>.<model>-v1:0".
constexpr std::array<std::string_view, 8> bedrock_regions = {"us.", "eu.", "apac.", "global.",
                                                             "jp.", "au.", "ca.",   "us-gov."};
constexpr std::array<std::string_view, 10> bedrock_vendors = {
    "anthropic.", "meta.",     "amazon.", "mistral.", "cohere.",
    "ai21.",      "deepseek.", "openai.", "qwen.",    "moonshot."};

// Returns the length of a Bedrock "<region>.<vendor>." prefix, or 0.
std::size_t bedrock_prefix(std::string_view s) {
  std::size_t skip = 0;
  for (auto region : bedrock_regions) {
    if (starts_with(s, region)) {
      skip = region.size();
      break;
    }
  }
  for (auto vendor : bedrock_vendors) {
    if (starts_with(s.substr(skip), vendor)) return skip + vendor.size();
  }
  return 0;
}

constexpr std::array<std::string_view, 8> openrouter_variants = {
    ":free", ":beta", ":thinking", ":extended", ":nitro", ":floor", ":online", ":exacto"};

}  // namespace

std::string canonical_model(std::string_view raw) {
  std::string s = lower_trimmed(raw);

  // "[openclaw] claude-..." labels from agent UIs.
  if (!s.empty() && s.front() == '[') {
    if (auto close = s.find(']'); close != std::string::npos)
      s = lower_trimmed(s.substr(close + 1));
  }
  // Routing prefixes: "openrouter/anthropic/claude-...", "bedrock/...", "moonshotai/kimi-k2".
  bool bedrock = starts_with(s, "bedrock/");
  if (auto slash = s.rfind('/'); slash != std::string::npos) s.erase(0, slash + 1);
  if (auto skip = bedrock_prefix(s)) {
    s.erase(0, skip);
    bedrock = true;
  }

  // Vertex "claude-sonnet-4-5@20250929".
  if (auto at = s.find('@'); at != std::string::npos) s.erase(at);

  for (auto variant : openrouter_variants) {
    if (ends_with(s, variant)) {
      s.erase(s.size() - variant.size());
      break;
    }
  }
  // Bedrock versions: "-v1:0", "-v2". Only in Bedrock's form: "deepseek-v3" is a model name.
  if (auto colon = s.rfind(':');
      colon != std::string::npos && all_digits(std::string_view(s).substr(colon + 1))) {
    s.erase(colon);
    bedrock = true;
  }
  if (auto dash = s.rfind("-v");
      bedrock && dash != std::string::npos && all_digits(std::string_view(s).substr(dash + 2)))
    s.erase(dash);

  // Date suffixes: "-20250929" and "-2024-08-06".
  const std::string_view v(s);
  if (v.size() > 9 && v[v.size() - 9] == '-' && all_digits(v.substr(v.size() - 8))) {
    s.erase(s.size() - 9);
  } else if (v.size() > 11 && v[v.size() - 11] == '-' && all_digits(v.substr(v.size() - 10, 4)) &&
             v[v.size() - 6] == '-' && all_digits(v.substr(v.size() - 5, 2)) &&
             v[v.size() - 3] == '-' && all_digits(v.substr(v.size() - 2))) {
    s.erase(s.size() - 11);
  }

  // Claude ids use dashes between version numbers; "claude-opus-4.7" is "claude-opus-4-7".
  if (starts_with(s, "claude-")) {
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
      if (s[i] == '.' && is_digit(s[i - 1]) && is_digit(s[i + 1])) s[i] = '-';
    }
  }
  return s;
}

std::string_view detect_vendor(std::string_view raw) {
  const std::string s = lower_trimmed(raw);
  if (starts_with(s, "bedrock/") || bedrock_prefix(s) > 0) return "bedrock";
  if (starts_with(s, "vertex_ai/") || starts_with(s, "vertex/") ||
      (s.find('@') != std::string::npos && s.find("claude-") != std::string::npos))
    return "vertex";
  if (starts_with(s, "azure/")) return "azure";

  const std::string name = canonical_model(s);
  struct rule {
    std::string_view prefix;
    std::string_view vendor;
  };
  static constexpr rule rules[] = {
      {"claude-", "anthropic"},  {"gpt-", "openai"},
      {"chatgpt-", "openai"},    {"o1", "openai"},
      {"o3", "openai"},          {"o4", "openai"},
      {"codex-", "openai"},      {"text-embedding-", "openai"},
      {"dall-e", "openai"},      {"whisper", "openai"},
      {"tts-", "openai"},        {"gemini-", "google"},
      {"gemma-", "google"},      {"kimi-", "moonshot"},
      {"moonshot-", "moonshot"}, {"deepseek-", "deepseek"},
      {"grok-", "xai"},          {"glm-", "zai"},
      {"mistral-", "mistral"},   {"codestral", "mistral"},
      {"devstral", "mistral"},   {"magistral", "mistral"},
      {"llama", "meta"},         {"qwen", "alibaba"},
      {"eleven_", "elevenlabs"},
  };
  for (const auto& r : rules) {
    if (!starts_with(name, r.prefix)) continue;
    // "o1"/"o3"/"o4" only as whole families: "o3", "o3-mini", not "o3x".
    if (r.prefix.size() == 2 && name.size() > 2 && name[2] != '-') continue;
    return r.vendor;
  }
  return "";
}

}  // namespace costs
