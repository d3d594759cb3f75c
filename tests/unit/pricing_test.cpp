#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "costs/error.hpp"
#include "costs/pricing.hpp"

namespace {

using costs::pico_usd;
using costs::price_table;
using costs::token_counts;

price_table shipped_only() {
  return price_table::from_file(std::filesystem::path(COSTS_FIXTURES_DIR) / ".." / ".." /
                                "libcosts" / "data" / "prices.json");
}

token_counts claude_example() {  // local-formats.md 2.4, lines 2 and 3 counted once
  token_counts t;
  t.input = 3;
  t.output = 412;
  t.cache_write_5m = 2140;
  t.cache_read = 18452;
  return t;
}

TEST(pricing_test, claude_worked_example_costs_0_0197496) {
  const auto cost = shipped_only().cost_of(claude_example(), "claude-sonnet-4-6");
  ASSERT_TRUE(cost.has_value());
  EXPECT_EQ(*cost, pico_usd{19'749'600'000});
  EXPECT_EQ(costs::to_micro(*cost).value, 19'750);
}

TEST(pricing_test, claude_one_hour_cache_writes_cost_twice_input_0_0245646) {
  token_counts t = claude_example();
  t.cache_write_1h = t.cache_write_5m;
  t.cache_write_5m = 0;
  const auto cost = shipped_only().cost_of(t, "claude-sonnet-4-6");
  ASSERT_TRUE(cost.has_value());
  EXPECT_EQ(*cost, pico_usd{24'564'600'000});
}

TEST(pricing_test, codex_worked_example_costs_0_091422) {
  // local-formats.md 3.3: input 48210 of which 41984 cached, output 1310 (640 reasoning inside).
  token_counts t;
  t.input = 48210 - 41984;
  t.cache_read = 41984;
  t.output = 1310;
  t.reasoning = 640;
  const auto cost = shipped_only().cost_of(t, "gpt-5.5");
  ASSERT_TRUE(cost.has_value());
  EXPECT_EQ(*cost, pico_usd{91'422'000'000});
  EXPECT_EQ(costs::to_micro(*cost).value, 91'422);
}

TEST(pricing_test, unknown_model_is_unpriced_not_zero) {
  token_counts t;
  t.input = 1000;
  t.output = 1000;
  EXPECT_FALSE(shipped_only().cost_of(t, "my-local-model").has_value());
  EXPECT_EQ(shipped_only().find("my-local-model"), nullptr);
  // Zero tokens of a known model cost zero; zero tokens of an unknown one are still unpriced.
  EXPECT_EQ(shipped_only().cost_of(token_counts{}, "gpt-5.5"), pico_usd{0});
  EXPECT_FALSE(shipped_only().cost_of(token_counts{}, "my-local-model").has_value());
}

TEST(pricing_test, a_newer_version_never_borrows_an_older_price) {
  const auto table = shipped_only();
  EXPECT_EQ(table.find("claude-sonnet-4-9"), nullptr);
  EXPECT_EQ(table.find("gpt-5.9"), nullptr);
  EXPECT_EQ(table.find("claude-sonnet-4-5"), table.find("anthropic/claude-sonnet-4.5"));
  EXPECT_NE(table.find("claude-sonnet-4-5"), table.find("claude-sonnet-4"));
}

TEST(pricing_test, finds_prices_through_suffixes_and_prefixes) {
  const auto table = shipped_only();
  const auto* sonnet = table.find("claude-sonnet-4-5");
  ASSERT_NE(sonnet, nullptr);
  EXPECT_EQ(table.find("claude-sonnet-4-5-20250929"), sonnet);
  EXPECT_EQ(table.find("us.anthropic.claude-sonnet-4-5-20250929-v1:0"), sonnet);
  EXPECT_EQ(table.find("claude-sonnet-4-5-thinking"), sonnet);
  EXPECT_EQ(table.find("claude-sonnet-4-5-fast"), sonnet);
  // The longest matching id wins: gpt-5.4-mini, not gpt-5.4.
  ASSERT_NE(table.find("gpt-5.4-mini-high"), nullptr);
  EXPECT_EQ(table.find("gpt-5.4-mini-high")->input, 750'000);
}

// Names to prices both ways at word boundaries: a key inside a longer logged name only when what
// follows names a release or a mode; a shorter logged name for a key that only adds release words.
// Never a different model's price: image, mini, turbo and the like are other models.
TEST(pricing_test, a_shorter_logged_name_finds_its_preview_and_no_alias_captures_another_model) {
  const auto table = shipped_only();
  ASSERT_NE(table.find("gemini-3-pro-preview"), nullptr);
  EXPECT_EQ(table.find("gemini-3-pro"), table.find("gemini-3-pro-preview"));
  EXPECT_EQ(table.find("google/gemini-3-pro"), table.find("gemini-3-pro-preview"));
  EXPECT_EQ(table.find("gemini-3.1-pro"), table.find("gemini-3.1-pro-preview"));
  EXPECT_EQ(table.find("gemini-3-pro-image-preview"), nullptr) << "an image model, unpriced";
  EXPECT_EQ(table.find("gemini-3-pro-image"), nullptr);
  EXPECT_EQ(table.find("gemini-3-flash-preview-tts"), nullptr);
  EXPECT_EQ(table.find("kimi-k2"), table.find("kimi-k2-0905")) << "a snapshot number is a release";
  // GLM-5-Turbo has its own price, not GLM-5's; an unknown GLM-5 variant has none.
  ASSERT_NE(table.find("glm-5-turbo"), nullptr);
  EXPECT_EQ(table.find("glm-5-turbo")->input, 1'200'000);
  EXPECT_EQ(table.find("z-ai/glm-5-turbo"), table.find("glm-5-turbo"));
  EXPECT_EQ(table.find("glm-5")->input, 1'000'000);
  EXPECT_EQ(table.find("glm-5-air"), nullptr);
  const auto made_up = price_table::from_json(R"({"acme-1": {"input_cost_per_token": 1e-06,
      "output_cost_per_token": 2e-06}})");
  ASSERT_NE(made_up.find("acme-1"), nullptr);
  EXPECT_EQ(made_up.find("acme-1-20260101"), made_up.find("acme-1"));
  EXPECT_EQ(made_up.find("acme-1-latest"), made_up.find("acme-1"));
  EXPECT_EQ(made_up.find("acme-1-mini"), nullptr) << "a smaller model, not acme-1";
  EXPECT_EQ(made_up.find("acme-1-turbo"), nullptr);
  EXPECT_EQ(made_up.find("acme"), nullptr) << "a shorter name that is no release of acme-1";
}

TEST(pricing_test, every_shipped_price_says_where_it_comes_from) {
  std::ifstream in(COSTS_SHIPPED_PRICES);
  const auto j = nlohmann::json::parse(in);
  for (const auto& [model, entry] : j.items()) {
    if (model == "_comment") continue;
    ASSERT_TRUE(entry.contains("source") && entry["source"].is_string()) << model;
    EXPECT_GT(entry["source"].get<std::string>().size(), 10u) << model;
  }
}

TEST(pricing_test, tiers_each_kind_above_200k_tokens) {
  token_counts t;
  t.input = 300'000;  // 200k at $3/M + 100k at $6/M = $1.20
  EXPECT_EQ(shipped_only().cost_of(t, "claude-sonnet-4"), pico_usd{1'200'000'000'000});
  // Without an above-200k price the base rate applies throughout: 300k at $3/M = $0.90.
  EXPECT_EQ(shipped_only().cost_of(t, "claude-sonnet-4-6"), pico_usd{900'000'000'000});
}

TEST(pricing_test, an_entrys_own_threshold_tiers_its_kinds) {
  // Haiku 5.5 changes price at 100k, not 200k: 100k at $0.10/M + 50k at $0.50/M = $0.035.
  token_counts t;
  t.input = 150'000;
  EXPECT_EQ(shipped_only().cost_of(t, "claude-haiku-5-5"), pico_usd{35'000'000'000});
  token_counts reads;
  reads.cache_read = 300'000;  // 100k at $0.01/M + 200k at $0.05/M = $0.011
  EXPECT_EQ(shipped_only().cost_of(reads, "claude-haiku-5-5-20261007"), pico_usd{11'000'000'000});
  // The threshold survives a round trip and a user override that names another one.
  price_table table = price_table::from_json(shipped_only().to_json());
  EXPECT_EQ(table.find("claude-haiku-5-5")->tier_tokens, 100'000);
  EXPECT_EQ(table.find("claude-sonnet-4")->tier_tokens, 200'000);
  table.merge(price_table::from_json(R"({"claude-haiku-5-5": {"input_cost_per_token": 1e-07,
    "output_cost_per_token": 5e-07, "input_cost_per_token_above_128k_tokens": 2e-07}})"));
  const auto* haiku = table.find("claude-haiku-5-5");
  EXPECT_EQ(haiku->tier_tokens, 128'000);
  EXPECT_EQ(haiku->input_above_tier, 200'000);
  EXPECT_FALSE(haiku->output_above_tier);  // a tier is replaced whole, never mixed
}

TEST(pricing_test, each_claude_5_model_has_its_own_price_not_a_neighbours) {
  // Per million: input, output, cache read. A dated id must land on its own model.
  struct row {
    const char* model;
    std::int64_t in, out, read;
  };
  for (const row& r : {row{"claude-opus-5-5-20261001", 4'000'000, 20'000'000, 200'000},
                       row{"claude-opus-5", 5'000'000, 25'000'000, 500'000},
                       row{"claude-fable-5-1", 10'000'000, 50'000'000, 250'000},
                       row{"claude-fable-5-2-20261120", 8'000'000, 40'000'000, 200'000},
                       row{"claude-fable-5", 10'000'000, 50'000'000, 1'000'000},
                       row{"claude-mythos-5-1", 10'000'000, 50'000'000, 250'000},
                       row{"claude-sonnet-5", 2'000'000, 10'000'000, 200'000},
                       row{"claude-sonnet-5-5", 2'000'000, 10'000'000, 100'000},
                       row{"anthropic/claude-haiku-5.5", 100'000, 500'000, 10'000}}) {
    const costs::model_price* p = shipped_only().find(r.model);
    ASSERT_NE(p, nullptr) << r.model;
    EXPECT_EQ(p->input, r.in) << r.model;
    EXPECT_EQ(p->output, r.out) << r.model;
    EXPECT_EQ(p->cache_read, r.read) << r.model;
  }
}

TEST(pricing_test, cache_reads_are_priced_where_the_provider_lists_them) {
  // Without a listed cache price a non-Anthropic read costs full input: Grok 4.3 lists $0.20.
  token_counts reads;
  reads.cache_read = 1'000'000;
  EXPECT_EQ(shipped_only().cost_of(reads, "x-ai/grok-4.3"), pico_usd{200'000'000'000});
  EXPECT_EQ(shipped_only().cost_of(reads, "deepseek-v4-flash"), pico_usd{6'000'000'000});
  EXPECT_EQ(shipped_only().cost_of(reads, "kimi-k3"), pico_usd{300'000'000'000});
}

TEST(pricing_test, fast_mode_applies_the_models_multiplier) {
  const auto table = shipped_only();
  const auto normal = *table.cost_of(claude_example(), "claude-opus-4-6");
  EXPECT_EQ(*table.cost_of(claude_example(), "claude-opus-4-6", /*fast=*/true),
            pico_usd{normal.value * 6});
  const auto gpt = *table.cost_of(claude_example(), "gpt-5.5");
  EXPECT_EQ(*table.cost_of(claude_example(), "gpt-5.5", true), pico_usd{gpt.value * 5 / 2});
}

TEST(pricing_test, missing_cache_prices_fall_back_by_vendor) {
  const auto table = price_table::from_json(R"({
    "claude-test-1": {"input_cost_per_token": 4e-06, "output_cost_per_token": 2e-05},
    "gpt-test-1": {"input_cost_per_token": 4e-06, "output_cost_per_token": 2e-05}
  })");
  token_counts writes;
  writes.cache_write_5m = 1'000'000;
  token_counts reads;
  reads.cache_read = 1'000'000;
  EXPECT_EQ(*table.cost_of(writes, "claude-test-1"), pico_usd{5'000'000'000'000});  // 1.25 x
  EXPECT_EQ(*table.cost_of(reads, "claude-test-1"), pico_usd{400'000'000'000});     // 0.1 x
  EXPECT_EQ(*table.cost_of(reads, "gpt-test-1"), pico_usd{4'000'000'000'000});      // 1 x
}

TEST(pricing_test, user_file_overrides_fields_and_adds_models) {
  price_table table = shipped_only();
  const auto before = *table.find("claude-sonnet-4-6");
  table.merge(price_table::from_json(R"({
    // comments are allowed in a hand-edited override file
    "claude-sonnet-4-6": {"input_cost_per_token": 2e-06, "output_cost_per_token": 1.5e-05},
    "my-local-model": {"input_cost_per_token": 1e-07, "output_cost_per_token": 2e-07}
  })"));
  const auto* after = table.find("claude-sonnet-4-6");
  EXPECT_EQ(after->input, 2'000'000);
  EXPECT_EQ(after->cache_read, before.cache_read);  // fields not given are kept
  token_counts t;
  t.input = 10;
  t.output = 10;
  EXPECT_EQ(table.cost_of(t, "my-local-model"), pico_usd{3'000'000});
}

TEST(pricing_test, load_default_reads_the_override_file) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("costs-pricing-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "prices.json";
  std::ofstream(file)
      << R"({"my-local-model": {"input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06}})";
  const auto table = price_table::load_default(file);
  EXPECT_NE(table.find("my-local-model"), nullptr);
  EXPECT_NE(table.find("claude-sonnet-4-6"), nullptr);
  std::filesystem::remove_all(dir);
}

TEST(pricing_test, broken_files_are_config_errors_naming_the_file) {
  EXPECT_THROW(price_table::from_json("[1, 2]"), costs::parse_error);
  EXPECT_THROW(price_table::from_json("{not json"), costs::parse_error);
  try {
    price_table::from_file("/nonexistent/prices.json");
    FAIL() << "expected a config_error";
  } catch (const costs::config_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/prices.json"), std::string::npos);
  }
}

TEST(pricing_test, shipped_table_round_trips_through_json) {
  const auto table = shipped_only();
  EXPECT_GE(table.size(), 50u);
  const auto again = price_table::from_json(table.to_json());
  ASSERT_EQ(again.size(), table.size());
  for (const auto& [model, p] : table.entries()) {
    const auto* q = again.find(model);
    ASSERT_NE(q, nullptr) << model;
    EXPECT_EQ(q->input, p.input) << model;
    EXPECT_EQ(q->output, p.output) << model;
    EXPECT_EQ(q->cache_read, p.cache_read) << model;
    EXPECT_EQ(q->fast_multiplier_milli, p.fast_multiplier_milli) << model;
  }
}

}  // namespace
