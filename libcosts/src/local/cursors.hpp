// Private: what a scan remembers of each file, in <agent>.cursors: the file's identity, where
// the last complete line ended, a fingerprint of the bytes before it, and the parser's context.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>

#include "local/agent.hpp"
#include "local/parsers.hpp"

namespace costs::detail {

struct cursor {
  file_identity id;
  std::uint64_t offset = 0;     ///< end of the last complete line read
  std::uint64_t tail_hash = 0;  ///< of the bytes just before `offset`: notices a rewrite
  file_context ctx;
};

using cursor_map = std::unordered_map<std::string, cursor>;  ///< by path

/// Replaces `file` whole (written beside it, then renamed). @throws costs::error if it can't.
void save_cursors(const std::filesystem::path& file, const cursor_map& cursors);
/// Empty when the file is missing, of another format, or damaged: the files are read again.
cursor_map load_cursors(const std::filesystem::path& file);

/// A fingerprint of what was read: the first and the last kilobyte before `offset`. An append
/// leaves both alone; a rewrite changes at least one of them in practice.
std::uint64_t tail_hash(const std::string& path, std::uint64_t offset);

}  // namespace costs::detail
