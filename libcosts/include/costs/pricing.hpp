// costs/pricing.hpp: the price table and the cost of a call.
//
// Prices use LiteLLM's field names and units (USD per token) so a user can paste an entry from
// LiteLLM's model_prices_and_context_window.json into their override file. Internally every
// price is an exact integer in pico-dollars per token.
//
// The formula (reference/local-formats.md 6.4 and 3.5), per token kind, each kind tiered on its
// own at the entry's threshold (200k unless its fields say "above_<N>k_tokens") when the entry
// has such a price:
//   input*in + output*out + cw5m*cache_write + cw1h*cache_write_1h + cache_read*cache_read
// times the fast multiplier for fast-mode calls. Missing cache prices default to
// cache write = 1.25 x input, 1-hour cache write = 2 x input, and cache read = 0.1 x input for
// Anthropic models, 1 x input otherwise (what Codex's reference formula does).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "costs/model.hpp"
#include "costs/money.hpp"

namespace costs {

/// One model's prices, pico-dollars per token. Optional fields fall back as described above.
struct model_price {
  std::int64_t input = 0;
  std::int64_t output = 0;
  std::optional<std::int64_t> cache_write;     ///< 5-minute writes
  std::optional<std::int64_t> cache_write_1h;  ///< 1-hour writes
  std::optional<std::int64_t> cache_read;
  /// Prices past `tier_tokens` tokens of one kind in one call (LiteLLM's "_above_200k_tokens";
  /// Haiku 5.5 changes at 100k, so the threshold is the entry's own).
  std::int64_t tier_tokens = 200'000;
  std::optional<std::int64_t> input_above_tier;
  std::optional<std::int64_t> output_above_tier;
  std::optional<std::int64_t> cache_write_above_tier;
  std::optional<std::int64_t> cache_read_above_tier;
  /// Fast-mode multiplier in thousandths (2500 = 2.5x); absent means 2x.
  std::optional<std::int64_t> fast_multiplier_milli;
};

class price_table {
 public:
  /// Parses a LiteLLM-shaped JSON object: {"model-id": {"input_cost_per_token": 3e-06, ...}}.
  /// Entries without both input and output prices are ignored, as LiteLLM's own are. Keys are
  /// canonicalised. Keys starting with "_" hold comments.
  /// @throws costs::parse_error when the text is not such an object.
  static price_table from_json(std::string_view json_text);

  /// Reads a file as from_json. @throws costs::config_error naming the file if it can't be read
  /// or parsed.
  static price_table from_file(const std::filesystem::path& path);

  /// The shipped table (found beside the binary, or where COSTS_PRICES_FILE points), then the
  /// user's override file if present: `override_path`, else ~/.config/costs/prices.json.
  /// @throws costs::config_error if the shipped table cannot be found or a file is broken.
  static price_table load_default(std::optional<std::filesystem::path> override_path = {});

  /// Overlays `other`: each of its fields replaces ours; models we lack are added.
  void merge(const price_table& other);

  /// The entry for `model` (raw or canonical): exact id first, else the longest id that the
  /// name contains at word boundaries, where an id ending in a digit never matches a name that
  /// continues with more version digits ("claude-sonnet-4" does not price "claude-sonnet-4-5").
  const model_price* find(std::string_view model) const;

  /// The cost of one call, or nullopt when the model has no price (unpriced, never zero).
  ///     table.cost_of(tokens, "claude-sonnet-4-6")  // pico_usd{19'749'600'000} for 2.4's example
  std::optional<pico_usd> cost_of(const token_counts& tokens, std::string_view model,
                                  bool fast = false) const;

  /// The formula on a known price. `anthropic_defaults` picks the cache-read fallback
  /// (0.1 x input for Anthropic, 1 x input otherwise).
  static pico_usd cost_for(const model_price& price, const token_counts& tokens, bool fast,
                           bool anthropic_defaults);

  std::size_t size() const noexcept { return prices_.size(); }
  const std::map<std::string, model_price, std::less<>>& entries() const noexcept {
    return prices_;
  }

  /// Back to LiteLLM-shaped JSON text (what `costs-sync prices show --json` prints).
  std::string to_json() const;

 private:
  std::map<std::string, model_price, std::less<>> prices_;
};

}  // namespace costs
