#include "costs/pricing.hpp"

#include "data/embedded.hpp"

#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "costs/error.hpp"
#include "costs/model_names.hpp"
#include "costs/paths.hpp"

namespace costs {
namespace {

using json = nlohmann::json;

constexpr std::int64_t default_fast_multiplier_milli = 2'000;

// LiteLLM's per-token USD -> pico-dollars. Prices have a handful of significant digits, far
// inside a double's 15, so rounding the scaled double recovers the exact decimal.
std::optional<std::int64_t> pico_field(const json& entry, const char* name) {
  const auto it = entry.find(name);
  if (it == entry.end() || !it->is_number()) return std::nullopt;
  const double usd = it->get<double>();
  if (!std::isfinite(usd) || usd < 0 || usd > 1.0) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(usd * 1e12));
}

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

void put_pico(json& entry, const char* name, const std::optional<std::int64_t>& pico) {
  if (pico) entry[name] = static_cast<double>(*pico) / 1e12;
}

// The four kinds that can have a long-context price, as LiteLLM spells them.
constexpr const char* tier_fields[] = {"input_cost_per_token", "output_cost_per_token",
                                       "cache_creation_input_token_cost",
                                       "cache_read_input_token_cost"};

std::string tier_field(const char* base, std::int64_t tier_tokens) {
  return std::string(base) + "_above_" + std::to_string(tier_tokens / 1000) + "k_tokens";
}

// "<kind>_above_<N>k_tokens": the lowest N any field names is the entry's threshold, and only
// fields at that N are read (an entry with two thresholds would need two tiers; none has them).
void read_tier(const json& e, model_price& p) {
  std::optional<std::int64_t> lowest;
  for (const auto& [name, value] : e.items()) {
    for (const char* base : tier_fields) {
      const std::string prefix = std::string(base) + "_above_";
      if (name.size() <= prefix.size() + 8 || name.compare(0, prefix.size(), prefix) != 0 ||
          name.compare(name.size() - 8, 8, "k_tokens") != 0)
        continue;
      const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - 8);
      if (digits.empty() || digits.size() > 6) continue;
      bool all_digits = true;
      for (char c : digits) all_digits = all_digits && is_digit(c);
      if (!all_digits) continue;
      const std::int64_t tokens = std::stoll(digits) * 1000;
      if (tokens > 0 && (!lowest || tokens < *lowest)) lowest = tokens;
    }
  }
  if (!lowest) return;
  p.tier_tokens = *lowest;
  p.input_above_tier = pico_field(e, tier_field(tier_fields[0], *lowest).c_str());
  p.output_above_tier = pico_field(e, tier_field(tier_fields[1], *lowest).c_str());
  p.cache_write_above_tier = pico_field(e, tier_field(tier_fields[2], *lowest).c_str());
  p.cache_read_above_tier = pico_field(e, tier_field(tier_fields[3], *lowest).c_str());
}

model_price parse_entry(const json& e) {
  model_price p;
  p.input = *pico_field(e, "input_cost_per_token");
  p.output = *pico_field(e, "output_cost_per_token");
  p.cache_write = pico_field(e, "cache_creation_input_token_cost");
  p.cache_write_1h = pico_field(e, "cache_creation_input_token_cost_above_1hr");
  p.cache_read = pico_field(e, "cache_read_input_token_cost");
  read_tier(e, p);
  if (auto it = e.find("provider_specific_entry"); it != e.end() && it->is_object()) {
    if (auto fast = it->find("fast"); fast != it->end() && fast->is_number() &&
                                      fast->get<double>() > 0 && fast->get<double>() < 1000) {
      p.fast_multiplier_milli = static_cast<std::int64_t>(std::llround(fast->get<double>() * 1000));
    }
  }
  return p;
}

// Words that name a release or a mode of one model, not another model: what may follow a price
// key in a logged name ("claude-sonnet-4-5-20250929", "-thinking", "gpt-5.4-mini-high"), or, for
// release words only, follow a logged name in a key ("gemini-3-pro" is "gemini-3-pro-preview").
// "image", "audio", "mini", "turbo" and the like are other models and never qualify.
bool qualifier(std::string_view word, bool modes_too) {
  if (word.empty()) return true;
  bool digits = true;
  for (char c : word) digits = digits && is_digit(c);
  // A date or a snapshot number (20250929, 0905, 001). A short number ("5" in kimi-k2.5) is a
  // version, another model, unless it follows a key already matched (Bedrock's "-v1:0").
  if (digits) return modes_too || word.size() >= 3;
  if (word.size() >= 2 && word[0] == 'v' && is_digit(word[1])) return true;  // Bedrock's v1
  for (const char* w : {"preview", "latest", "exp", "experimental"})
    if (word == w) return true;
  if (!modes_too) return false;
  for (const char* w : {"thinking", "fast", "high", "low", "medium", "xhigh", "minimal", "free"})
    if (word == w) return true;
  return false;
}

bool only_qualifiers(std::string_view rest, bool modes_too) {
  std::size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && !is_alnum(rest[i])) ++i;
    std::size_t j = i;
    while (j < rest.size() && is_alnum(rest[j])) ++j;
    if (!qualifier(rest.substr(i, j - i), modes_too)) return false;
    i = j;
  }
  return true;
}

// Does `name` contain `key` at word boundaries, without `key`'s trailing version number
// continuing into more version digits? An 8-digit run is a date, and is allowed.
bool boundary_match(std::string_view name, std::string_view key) {
  if (key.empty()) return false;
  for (std::size_t pos = name.find(key); pos != std::string_view::npos;
       pos = name.find(key, pos + 1)) {
    const std::size_t end = pos + key.size();
    if (pos > 0 && is_alnum(name[pos - 1])) continue;
    if (end < name.size() && is_alnum(name[end])) continue;
    if (is_digit(key.back()) && end + 1 < name.size() && (name[end] == '-' || name[end] == '.') &&
        is_digit(name[end + 1])) {
      std::size_t run = 0;
      while (end + 1 + run < name.size() && is_digit(name[end + 1 + run])) ++run;
      if (run != 8) continue;
    }
    if (!only_qualifiers(name.substr(end), /*modes_too=*/true)) continue;
    return true;
  }
  return false;
}

std::string dashed(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c == '.' || c == '@') c = '-';
  return out;
}

std::int64_t tier(std::int64_t tokens, std::int64_t threshold, std::int64_t base,
                  const std::optional<std::int64_t>& above) {
  if (tokens <= threshold || !above) return tokens * base;
  return threshold * base + (tokens - threshold) * *above;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw config_error("pricing.unreadable", "cannot read price file " + path.string());
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

price_table price_table::from_json(std::string_view json_text) {
  json doc = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false,
                         /*ignore_comments=*/true);
  if (doc.is_discarded() || !doc.is_object())
    throw parse_error("pricing.bad_json", "a price table must be a JSON object of models");
  price_table table;
  for (const auto& [key, entry] : doc.items()) {
    if (key.empty() || key.front() == '_' || !entry.is_object()) continue;
    if (!pico_field(entry, "input_cost_per_token") || !pico_field(entry, "output_cost_per_token"))
      continue;
    table.prices_[canonical_model(key)] = parse_entry(entry);
  }
  return table;
}

price_table price_table::from_file(const std::filesystem::path& path) {
  try {
    return from_json(read_file(path));
  } catch (const parse_error& e) {
    throw config_error("pricing.bad_file", path.string() + ": " + e.message());
  }
}

price_table price_table::load_default(std::optional<std::filesystem::path> override_path) {
  const auto shipped = shipped_prices_file();
  price_table table;
  if (shipped) {
    table = from_file(*shipped);
  } else {
    try {
      table = from_json(std::string(detail::embedded_prices()));
    } catch (const parse_error& e) {
      throw config_error("pricing.bad_build", "the built-in price table: " + e.message());
    }
  }
  if (!override_path) override_path = user_prices_file();
  if (override_path) table.merge(from_file(*override_path));
  return table;
}

void price_table::merge(const price_table& other) {
  for (const auto& [key, theirs] : other.prices_) {
    auto [it, inserted] = prices_.try_emplace(key, theirs);
    if (inserted) continue;
    model_price& ours = it->second;
    ours.input = theirs.input;
    ours.output = theirs.output;
    auto take = [](std::optional<std::int64_t>& dst, const std::optional<std::int64_t>& src) {
      if (src) dst = src;
    };
    take(ours.cache_write, theirs.cache_write);
    take(ours.cache_write_1h, theirs.cache_write_1h);
    take(ours.cache_read, theirs.cache_read);
    // A tier is one threshold with its prices: an override that names one replaces ours whole.
    if (theirs.input_above_tier || theirs.output_above_tier || theirs.cache_write_above_tier ||
        theirs.cache_read_above_tier) {
      ours.tier_tokens = theirs.tier_tokens;
      ours.input_above_tier = theirs.input_above_tier;
      ours.output_above_tier = theirs.output_above_tier;
      ours.cache_write_above_tier = theirs.cache_write_above_tier;
      ours.cache_read_above_tier = theirs.cache_read_above_tier;
    }
    take(ours.fast_multiplier_milli, theirs.fast_multiplier_milli);
  }
}

const model_price* price_table::find(std::string_view model) const {
  const std::string name = canonical_model(model);
  if (auto it = prices_.find(name); it != prices_.end()) return &it->second;
  const std::string name_dashed = dashed(name);
  // A key inside the logged name, at word boundaries, followed only by release or mode words:
  // the longest wins. The map iterates keys in lexical order, so on equal length the smaller
  // key wins.
  const model_price* best = nullptr;
  std::size_t best_len = 0;
  for (const auto& [key, price] : prices_) {
    if (key.size() <= best_len) continue;
    if (boundary_match(name, key) || boundary_match(name_dashed, dashed(key))) {
      best = &price;
      best_len = key.size();
    }
  }
  if (best != nullptr) return best;
  // Else a shorter logged name of a key that only adds release words ("gemini-3-pro" for
  // "gemini-3-pro-preview"): the closest such key wins.
  for (const auto& [key, price] : prices_) {
    const std::string key_dashed = dashed(key);
    if (key_dashed.size() <= name_dashed.size() ||
        key_dashed.compare(0, name_dashed.size(), name_dashed) != 0 ||
        is_alnum(key_dashed[name_dashed.size()]) ||
        !only_qualifiers(std::string_view(key_dashed).substr(name_dashed.size()), false))
      continue;
    if (best == nullptr || key.size() < best_len) {
      best = &price;
      best_len = key.size();
    }
  }
  return best;
}

std::optional<pico_usd> price_table::cost_of(const token_counts& t, std::string_view model,
                                             bool fast) const {
  const model_price* p = find(model);
  if (!p) return std::nullopt;
  return cost_for(*p, t, fast, detect_vendor(canonical_model(model)) == "anthropic");
}

pico_usd price_table::cost_for(const model_price& p, const token_counts& t, bool fast,
                               bool anthropic_defaults) {
  const std::int64_t in = p.input;
  const std::int64_t cache_write = p.cache_write.value_or(in * 5 / 4);
  const std::int64_t cache_write_1h = p.cache_write_1h.value_or(2 * in);
  const std::int64_t cache_read = p.cache_read.value_or(anthropic_defaults ? in / 10 : in);
  std::optional<std::int64_t> cache_write_1h_above;
  if (p.input_above_tier) cache_write_1h_above = 2 * *p.input_above_tier;

  const std::int64_t at = p.tier_tokens;
  std::int64_t total = tier(t.input, at, in, p.input_above_tier) +
                       tier(t.output, at, p.output, p.output_above_tier) +
                       tier(t.cache_write_5m, at, cache_write, p.cache_write_above_tier) +
                       tier(t.cache_write_1h, at, cache_write_1h, cache_write_1h_above) +
                       tier(t.cache_read, at, cache_read, p.cache_read_above_tier);
  if (fast) total = total * p.fast_multiplier_milli.value_or(default_fast_multiplier_milli) / 1000;
  return pico_usd{total};
}

std::string price_table::to_json() const {
  json doc = json::object();
  for (const auto& [key, p] : prices_) {
    json e = json::object();
    put_pico(e, "input_cost_per_token", p.input);
    put_pico(e, "output_cost_per_token", p.output);
    put_pico(e, "cache_creation_input_token_cost", p.cache_write);
    put_pico(e, "cache_creation_input_token_cost_above_1hr", p.cache_write_1h);
    put_pico(e, "cache_read_input_token_cost", p.cache_read);
    put_pico(e, tier_field(tier_fields[0], p.tier_tokens).c_str(), p.input_above_tier);
    put_pico(e, tier_field(tier_fields[1], p.tier_tokens).c_str(), p.output_above_tier);
    put_pico(e, tier_field(tier_fields[2], p.tier_tokens).c_str(), p.cache_write_above_tier);
    put_pico(e, tier_field(tier_fields[3], p.tier_tokens).c_str(), p.cache_read_above_tier);
    if (p.fast_multiplier_milli)
      e["provider_specific_entry"]["fast"] = static_cast<double>(*p.fast_multiplier_milli) / 1000;
    doc[key] = std::move(e);
  }
  return doc.dump(2);
}

}  // namespace costs
