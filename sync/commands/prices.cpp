// costs-sync prices show: the price table in use, shipped plus the user's overrides.
#include <cstdio>
#include <iostream>

#include "commands/command.hpp"
#include "commands/options.hpp"
#include "costs/error.hpp"
#include "costs/paths.hpp"
#include "costs/pricing.hpp"

namespace costs::sync {
namespace {

// Pico-dollars per token as USD per million tokens, for people: 3'000'000 -> "3.00".
std::string per_million(const std::optional<std::int64_t>& pico) {
  if (!pico) return "-";
  const std::int64_t micro_per_million = *pico;  // p$/token x 1e6 tokens / 1e12 = $ x 1e-6
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%06lld",
                static_cast<long long>(micro_per_million / 1'000'000),
                static_cast<long long>(micro_per_million % 1'000'000));
  std::string s = buf;
  while (s.back() == '0' && s[s.size() - 2] != '.' && s[s.size() - 3] != '.') s.pop_back();
  return s;
}

}  // namespace

int prices_command(const std::vector<std::string>& args) {
  std::string file_flag;
  bool as_json = false;
  po::options_description options("prices options");
  options.add_options()("json", po::bool_switch(&as_json), "print LiteLLM-shaped JSON")(
      "prices", po::value(&file_flag)->value_name("FILE"),
      "an override file (default: ~/.config/costs/prices.json if present)");
  po::variables_map vm;
  if (parse_action(args, options, vm, "prices", {"show"}, "costs-sync prices show [--json]")
          .empty())
    return exit_ok;

  std::optional<std::filesystem::path> override_path;
  if (!file_flag.empty())
    override_path = file_flag;
  else
    override_path = user_prices_file();
  const auto table = price_table::load_default(override_path);
  if (as_json) {
    std::cout << table.to_json() << '\n';
    return exit_ok;
  }
  std::printf(
      "# %s%s\n",
      shipped_prices_file().value_or("the price table built into costs-sync").string().c_str(),
      override_path ? (" + " + override_path->string()).c_str() : "");
  std::printf("%-32s %10s %10s %12s %12s   (USD per million tokens)\n", "model", "input", "output",
              "cache write", "cache read");
  for (const auto& [model, p] : table.entries()) {
    std::printf("%-32s %10s %10s %12s %12s\n", model.c_str(), per_million(p.input).c_str(),
                per_million(p.output).c_str(), per_million(p.cache_write).c_str(),
                per_million(p.cache_read).c_str());
  }
  return exit_ok;
}

}  // namespace costs::sync
