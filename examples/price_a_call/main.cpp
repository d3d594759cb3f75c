// A program of another project using the installed libcosts: prices one call of a model at the
// shipped list prices. Built by the tests against an installed copy, through find_package(costs)
// and through pkg-config.
#include <costs/costs.hpp>

#include <iostream>

int main(int argc, char** argv) {
  const std::string model = argc > 1 ? argv[1] : "claude-sonnet-4-6";
  costs::token_counts call;
  call.input = 1'000'000;
  call.output = 100'000;
  const auto prices = costs::price_table::load_default();
  const auto cost = prices.cost_of(call, model);
  std::cout << model << ", 1M input and 100k output tokens: "
            << (cost ? costs::format_usd(costs::to_micro(*cost)) : std::string("unpriced")) << '\n';
  return cost ? 0 : 1;
}
