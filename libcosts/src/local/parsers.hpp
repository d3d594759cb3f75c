// Private: the per-source line parsers and what they share.
//
// A parser turns one line (or SQLite row) into zero or one local_entry, using and updating the
// file's context (the model in force, Codex's running totals, ...). Parsers are pure: the same
// bytes and context give the same entries and keys, so re-reading a file after a rewrite can
// only find the calls already in the ledger.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <simdjson.h>

#include "costs/local_usage.hpp"

namespace costs::detail {

/// What a parser remembers between lines of a file, and between scans of an appended file.
struct file_context {
  std::string model;   ///< the model in force (Codex turn_context, OpenClaw model_change)
  std::string vendor;  ///< the provider in force
  std::string session;
  std::string project;
  std::string agent;
  std::string task;
  std::array<std::int64_t, 5> prev_total{};  ///< Codex: last total_token_usage
  bool has_prev = false;
  bool forked = false;        ///< Codex: a fork or subagent thread that replays its parent
  std::string replay_second;  ///< Codex: the second the replayed history is stamped with
  std::uint32_t session_metas = 0;
};

/// Strings and entries parsed from one file, before they join the ledger.
class file_batch {
 public:
  std::uint32_t intern(std::string_view s);
  const std::vector<std::string>& strings() const { return strings_; }
  std::vector<local_entry> entries;
  /// The vendor of a model name, remembered: a file names few models, many times.
  std::uint32_t vendor_of(std::string_view model);
  std::uint64_t lines_parsed = 0;
  std::uint64_t malformed = 0;

 private:
  std::vector<std::string> strings_{""};
  std::uint32_t lookup(std::string_view s);
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::array<std::uint32_t, 8> recent_{};
  std::size_t next_recent_ = 0;
  std::string last_model_;
  std::uint32_t last_vendor_ = 0;
};

/// What every parser knows about the file it reads.
struct file_info {
  std::string path;           ///< for keys of lines that have no id of their own
  std::string stem;           ///< file name before ".jsonl"
  std::string agent;          ///< OpenClaw: the agents/<agent> segment
  std::int64_t mtime_us = 0;  ///< fallback time for records without one
  bool mirrored = false;  ///< its calls are also recorded elsewhere (OpenClaw with Codex rollouts)
};

void parse_claude_line(std::string_view line, std::uint64_t offset, const file_info& file,
                       file_context& ctx, file_batch& out, simdjson::ondemand::parser& parser);
void parse_codex_line(std::string_view line, std::uint64_t offset, const file_info& file,
                      file_context& ctx, file_batch& out, simdjson::ondemand::parser& parser);
void parse_openclaw_line(std::string_view line, std::uint64_t offset, const file_info& file,
                         file_context& ctx, file_batch& out, simdjson::ondemand::parser& parser);
void parse_gemini_line(std::string_view line, std::uint64_t offset, const file_info& file,
                       file_context& ctx, file_batch& out, simdjson::ondemand::parser& parser);
/// OpenClaw's gateway log: tslog lines that carry a model.usage record (gateway_log.cpp).
void parse_openclaw_gateway_line(std::string_view line, std::uint64_t offset, const file_info& file,
                                 file_context& ctx, file_batch& out,
                                 simdjson::ondemand::parser& parser);
/// A legacy Gemini session: one JSON document holding a messages array.
void parse_gemini_document(std::string_view doc, const file_info& file, file_batch& out,
                           simdjson::ondemand::parser& parser);

/// OpenClaw's per-agent SQLite store (transcript_events), read-only.
/// @returns false with `error` set when the database cannot be read.
bool read_openclaw_sqlite(const std::string& db_path, const file_info& file, file_batch& out,
                          simdjson::ondemand::parser& parser, std::string& error);

/// Helpers shared by the parsers.
std::int64_t iso_to_us(std::string_view iso);  ///< -1 when not a timestamp
simdjson::padded_string_view padded(std::string_view line);

}  // namespace costs::detail
