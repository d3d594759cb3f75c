// Private: the file-system helpers every agent's discovery uses.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "local/agent.hpp"

namespace costs::detail {

/// A comma-separated list of directories from an environment variable, "~" expanded.
std::vector<std::string> env_dirs(const char* name);

bool is_dir(const std::filesystem::path& p);
bool ends_with(std::string_view s, std::string_view suffix);
/// The file name before ".jsonl" (or its last extension).
std::string stem_of(const std::string& path);
/// Fills `id` from stat(2); false when `path` is not a regular file.
bool stat_file(const std::string& path, file_identity& id);

/// Calls `on_file` for every regular file under `root`, skipping what cannot be read.
template <typename F>
void walk(const std::filesystem::path& root, F&& on_file) {
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(
      root, std::filesystem::directory_options::skip_permission_denied, ec),
      end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) on_file(it->path());
  }
}

/// Adds `p` to `roots` when it is a directory not already there.
void keep_root(std::vector<std::filesystem::path>& roots, const std::filesystem::path& p);

}  // namespace costs::detail
