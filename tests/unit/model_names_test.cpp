#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "costs/model_names.hpp"

namespace {

struct name_case {
  std::string raw, canonical, vendor;
  int line;
};

std::vector<name_case> load_cases() {
  std::ifstream in(std::string(COSTS_FIXTURES_DIR) + "/model_names.tsv");
  std::vector<name_case> cases;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream fields(line);
    name_case c;
    std::getline(fields, c.raw, '\t');
    std::getline(fields, c.canonical, '\t');
    std::getline(fields, c.vendor, '\t');
    c.line = n;
    cases.push_back(c);
  }
  return cases;
}

TEST(model_names_test, fixture_table_is_loaded) {
  EXPECT_GE(load_cases().size(), 40u);
}

TEST(model_names_test, canonicalises_every_form_in_the_table) {
  for (const auto& c : load_cases())
    EXPECT_EQ(costs::canonical_model(c.raw), c.canonical) << "model_names.tsv line " << c.line;
}

TEST(model_names_test, detects_the_vendor_of_every_form_in_the_table) {
  for (const auto& c : load_cases())
    EXPECT_EQ(costs::detect_vendor(c.raw), c.vendor) << "model_names.tsv line " << c.line;
}

TEST(model_names_test, canonical_ids_are_fixed_points) {
  for (const auto& c : load_cases())
    EXPECT_EQ(costs::canonical_model(c.canonical), c.canonical)
        << "model_names.tsv line " << c.line;
}

}  // namespace
