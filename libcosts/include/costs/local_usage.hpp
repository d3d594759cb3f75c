// costs/local_usage.hpp: usage from the agents' own session logs on this machine.
//
// Claude Code, Codex, OpenClaw and Gemini CLI write a line (or a row) per model call. A scan
// finds their files, reads only what was appended since the last scan, deduplicates calls the
// way each agent's format demands (streamed copies, sidechain replays, re-emitted snapshots,
// archive copies) and keeps every call it has seen in a ledger under $COSTS_HOME, so history
// survives the agents deleting their transcripts. Formats: shared/reference/local-formats.md.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "costs/model.hpp"

namespace costs {

enum class local_source : std::uint8_t { claude, codex, openclaw, gemini };

inline constexpr local_source all_local_sources[] = {local_source::claude, local_source::codex,
                                                     local_source::openclaw, local_source::gemini};

/// "claude", "codex", "openclaw", "gemini": the --source words.
const char* to_string(local_source source) noexcept;
/// The registry key: "claude_local", ...
const char* provider_key(local_source source) noexcept;
/// Parses a --source word. @throws costs::config_error for anything else.
local_source parse_local_source(std::string_view word);

/// Where a source's files live, from the agents' own variables (HOME, CLAUDE_CONFIG_DIR,
/// CODEX_HOME, OPENCLAW_STATE_DIR, GEMINI_DATA_DIR); only the roots that exist.
std::vector<std::filesystem::path> local_roots(local_source source);

/// One deduplicated model call. Strings are ids into the ledger's string table.
struct local_entry {
  std::uint64_t key = 0;      ///< dedup identity
  std::uint64_t alt_key = 0;  ///< Claude: message.id alone (sidechain replays); else 0
  std::int64_t at_us = 0;     ///< call time, microseconds since the epoch
  std::uint32_t raw_model = 0;
  std::uint32_t vendor = 0;
  std::uint32_t agent = 0;
  std::uint32_t project = 0;
  std::uint32_t session = 0;
  std::uint32_t task = 0;
  token_counts tokens;
  std::int64_t reported_pico = -1;  ///< what the source said it cost, -1 when it did not
  local_source source = local_source::claude;
  std::uint8_t flags = 0;
  /// The file the call was read from (its session's transcript); 0 for the gateway log's calls
  /// and for calls remembered by a ledger older than this field. In the entry's tail padding,
  /// so the layout's size and offsets are those of the ledger before it.
  std::uint32_t file = 0;

  static constexpr std::uint8_t sidechain = 1;
  static constexpr std::uint8_t fast = 2;
  static constexpr std::uint8_t has_speed = 4;
  /// From OpenClaw's gateway log: dropped once its session's transcript is read (which has it).
  static constexpr std::uint8_t from_gateway_log = 8;
};

struct scan_stats {
  std::uint64_t files_seen = 0;
  std::uint64_t files_read = 0;  ///< opened because new, grown or rewritten
  std::uint64_t bytes_read = 0;
  std::uint64_t lines_parsed = 0;  ///< lines that carried usage
  std::uint64_t malformed = 0;     ///< skipped: not JSON, cut off, or missing required fields
  std::uint64_t new_entries = 0;
  std::uint64_t replaced_entries = 0;  ///< a later copy of a call won (streamed total, parent)
  /// Calls from OpenClaw's gateway log set aside because their session's transcript holds them.
  std::uint64_t logged_in_transcripts = 0;
  /// Why the remembered ledger was set aside and rebuilt from the logs ("written by another
  /// version", "damaged"), empty when it was used or there was none.
  std::string ledger_rebuilt;
};

struct scan_options {
  std::vector<local_source> sources;  ///< empty: all
  /// Where the ledger lives; empty for a one-off scan that remembers nothing.
  std::filesystem::path state_dir;
  unsigned threads = 0;  ///< 0: one per core
  /// Called from the scanning thread with bytes done and bytes to do (for a progress bar).
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

/// Every call seen, deduplicated, with the strings they name.
class local_ledger {
 public:
  const std::vector<local_entry>& entries() const noexcept { return entries_; }
  std::string_view str(std::uint32_t id) const noexcept { return strings_[id]; }

  /// Scans the sources' files (only what changed since the last scan when a state_dir is
  /// given) and returns the ledger. Malformed lines are counted in `stats`, never fatal.
  /// @throws costs::error when the state directory cannot be written.
  static local_ledger scan(const scan_options& options, scan_stats* stats = nullptr);

  // Building blocks for the scanner and tests.
  std::uint32_t intern(std::string_view s);
  /// Adds or merges one call by its key, following the source's dedup rule. Returns 1 when
  /// added, 2 when it replaced an earlier copy, 0 when the earlier copy stays.
  int merge(const local_entry& entry);
  void save(const std::filesystem::path& file) const;
  /// Appends `other`'s calls of `source`, their strings re-interned: how one agent's own ledger
  /// file joins the others in memory. Calls of different agents never share a key.
  void take(const local_ledger& other, local_source source);
  /// The calls of `source` alone, as the ledger its own file holds.
  local_ledger part(local_source source) const;
  /// @returns false when the file is missing, written by another format version or layout of
  /// the entries, or damaged (cut short, trailing bytes, an entry naming no string); `why`
  /// then says which (empty when the file is simply missing). Never a misread ledger.
  bool load(const std::filesystem::path& file, std::string* why = nullptr);
  /// As load, appending the file's calls to those already here (each agent's file in turn);
  /// a refused file leaves this ledger as it was.
  bool load_more(const std::filesystem::path& file, std::string* why = nullptr);
  /// Room for `entries` calls in all, so loading several files grows the ledger once.
  void reserve(std::size_t entries);
  /// Removes the calls `drop` picks. @returns how many.
  std::size_t erase_if(const std::function<bool(const local_entry&)>& drop);

 private:
  std::int64_t find(std::uint64_t key) const;
  void index(std::size_t position);
  void index_key(std::uint64_t key, std::size_t position);
  void rebuild_index();

  std::vector<local_entry> entries_;
  std::vector<std::string> strings_{""};
  std::vector<std::uint32_t> slots_;      // open addressing: entry index + 1, 0 = empty
  std::vector<std::uint32_t> alt_slots_;  // the same for alt_key (Claude message ids)
  std::size_t replaced_ = 0;              // extra slots added since the last rebuild
  std::unordered_map<std::string, std::uint32_t> string_ids_;
};

}  // namespace costs
