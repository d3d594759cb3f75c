// A throwaway home directory for local-log tests: files are written into it, and HOME (and
// every agent's own root variable) points at it for the life of the object.
#pragma once

#include <filesystem>
#include <string>

#include "costs/local_usage.hpp"

namespace costs::test {

class temp_home {
 public:
  temp_home();
  ~temp_home();
  temp_home(const temp_home&) = delete;
  temp_home& operator=(const temp_home&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path state() const { return path_ / "state"; }
  /// Writes (or replaces) `relative` under the home with `text`, creating directories.
  void write(const std::string& relative, const std::string& text) const;
  /// Appends `text` to `relative`.
  void append(const std::string& relative, const std::string& text) const;

  /// Scans the home (remembering state in state() unless `stateless`).
  costs::local_ledger scan(std::vector<costs::local_source> sources = {},
                           costs::scan_stats* stats = nullptr, bool stateless = false) const;

 private:
  std::filesystem::path path_;
};

/// Sums tokens and calls over a ledger's entries of one source.
struct ledger_totals {
  costs::token_counts tokens;
  std::size_t calls = 0;
  std::int64_t reported_pico = 0;
};
ledger_totals totals(const costs::local_ledger& ledger, costs::local_source source);

}  // namespace costs::test
