#include <gtest/gtest.h>

#include <cstdlib>

#include "costs/error.hpp"
#include "costs/paths.hpp"

namespace {

// A setting read from the environment; the config file is pointed at nothing.
class paths_test : public ::testing::Test {
 protected:
  void SetUp() override { ::setenv("COSTS_CONFIG", "/nonexistent/costs-config", 1); }
  void TearDown() override {
    ::unsetenv("COSTS_TEST_NUMBER");
    ::unsetenv("COSTS_CONFIG");
  }
};

TEST_F(paths_test, a_whole_number_setting_is_its_fallback_when_unset_and_its_value_when_set) {
  EXPECT_EQ(costs::whole_number_setting("COSTS_TEST_NUMBER", 340, 0, 1000, "ms"), 340);
  ::setenv("COSTS_TEST_NUMBER", "0", 1);
  EXPECT_EQ(costs::whole_number_setting("COSTS_TEST_NUMBER", 340, 0, 1000, "ms"), 0);
  ::setenv("COSTS_TEST_NUMBER", "1000", 1);
  EXPECT_EQ(costs::whole_number_setting("COSTS_TEST_NUMBER", 340, 0, 1000, "ms"), 1000);
}

TEST_F(paths_test, a_bad_whole_number_setting_is_an_error_naming_it_never_ignored) {
  for (const char* bad : {"12abc", "-1", "1001", "soon", "1.5"}) {
    ::setenv("COSTS_TEST_NUMBER", bad, 1);
    try {
      costs::whole_number_setting("COSTS_TEST_NUMBER", 340, 0, 1000, "milliseconds");
      ADD_FAILURE() << bad << " was taken";
    } catch (const costs::config_error& e) {
      EXPECT_NE(std::string(e.what()).find("COSTS_TEST_NUMBER must be a whole number of "
                                           "milliseconds from 0 to 1000, not '" +
                                           std::string(bad) + "'"),
                std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
