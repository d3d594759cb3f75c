#include "support/temp_home.hpp"

#include <cstdlib>
#include <fstream>
#include <random>

namespace costs::test {
namespace fs = std::filesystem;

temp_home::temp_home() {
  std::random_device rd;
  path_ = fs::temp_directory_path() / ("costs-home-" + std::to_string(rd()) + std::to_string(rd()));
  fs::create_directories(path_);
  setenv("HOME", path_.c_str(), 1);
  for (const char* v : {"CLAUDE_CONFIG_DIR", "CODEX_HOME", "OPENCLAW_STATE_DIR",
                        "OPENCLAW_LOG_PATH", "GEMINI_DATA_DIR", "XDG_CONFIG_HOME", "COSTS_HOME"})
    unsetenv(v);
}

temp_home::~temp_home() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void temp_home::write(const std::string& relative, const std::string& text) const {
  const fs::path file = path_ / relative;
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

void temp_home::append(const std::string& relative, const std::string& text) const {
  std::ofstream(path_ / relative, std::ios::binary | std::ios::app) << text;
}

costs::local_ledger temp_home::scan(std::vector<costs::local_source> sources,
                                    costs::scan_stats* stats, bool stateless) const {
  setenv("HOME", path_.c_str(), 1);  // the agents' roots are found from HOME
  costs::scan_options options;
  options.sources = std::move(sources);
  if (!stateless) options.state_dir = state();
  return costs::local_ledger::scan(options, stats);
}

ledger_totals totals(const costs::local_ledger& ledger, costs::local_source source) {
  ledger_totals t;
  for (const auto& e : ledger.entries()) {
    if (e.source != source) continue;
    t.tokens += e.tokens;
    ++t.calls;
    if (e.reported_pico > 0) t.reported_pico += e.reported_pico;
  }
  return t;
}

}  // namespace costs::test
