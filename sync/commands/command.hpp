// The subcommands of costs-sync: one file each, listed once in main.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace costs::sync {

/// Exit statuses: 0 success, 1 something failed at run time, 2 bad usage or configuration.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;
inline constexpr int exit_usage = 2;

struct command {
  std::string_view name;
  std::string_view summary;
  /// Runs with the arguments after the command's name; returns the exit status.
  int (*run)(const std::vector<std::string>& args);
};

int run_command(const std::vector<std::string>& args);
int db_command(const std::vector<std::string>& args);
int prices_command(const std::vector<std::string>& args);
int report_command(const std::vector<std::string>& args);
int providers_command(const std::vector<std::string>& args);
int schedule_command(const std::vector<std::string>& args);
int budgets_command(const std::vector<std::string>& args);
int status_command(const std::vector<std::string>& args);
int burn_command(const std::vector<std::string>& args);
int history_command(const std::vector<std::string>& args);
int plans_command(const std::vector<std::string>& args);
int notion_command(const std::vector<std::string>& args);

}  // namespace costs::sync
