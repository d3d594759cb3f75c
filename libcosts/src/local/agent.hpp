// Private: what the scanner knows of a local agent. Each agent is one entry of this shape,
// defined in its own folder (providers/<key>/agent.cpp) and listed once in local/agents.cpp;
// the scanner reads every agent through it and names none of them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "costs/local_usage.hpp"
#include "local/parsers.hpp"

namespace costs::detail {

enum class file_kind : std::uint8_t {
  jsonl,   ///< appended lines, read from where the last scan stopped
  zstd,    ///< a compressed archive of lines, read whole
  sqlite,  ///< a database, read whole by the agent's document reader
  json     ///< one JSON document, read whole by the agent's document reader
};

/// Enough of a file's stat to tell "unchanged" from "appended" from "replaced".
struct file_identity {
  std::uint64_t dev = 0, ino = 0, size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const file_identity& o) const {
    return dev == o.dev && ino == o.ino && size == o.size && mtime_ns == o.mtime_ns;
  }
};

struct local_agent;

/// One record file an agent's discovery found.
struct found_file {
  std::string path;
  file_kind kind = file_kind::jsonl;
  file_identity id;
  std::string agent;  ///< the agent's own name for who wrote it (OpenClaw's agents/<agent>)
  std::string task;   ///< what the session was for (OpenClaw's session key)
  /// Written in another agent's format and read with its parser, the calls still this agent's
  /// (OpenClaw turns run through the Codex app-server); null for the agent's own format.
  const local_agent* format = nullptr;
  /// The agent's calls are also recorded elsewhere, so its mirror rows are skipped
  /// (an OpenClaw agent with Codex rollouts).
  bool mirrored = false;
};

/// The files found so far; `add` keeps a path that is a regular file.
class file_list {
 public:
  bool add(const std::filesystem::path& p, file_kind kind, std::string agent = {},
           std::string task = {});
  std::vector<found_file>& files() { return files_; }

 private:
  std::vector<found_file> files_;
};

using line_parser = void (*)(std::string_view line, std::uint64_t offset, const file_info& file,
                             file_context& ctx, file_batch& out,
                             simdjson::ondemand::parser& parser);
/// Reads a whole sqlite or json file. @returns false with `error` set when it cannot be read.
using document_reader = bool (*)(const found_file& found, const file_info& file, file_batch& out,
                                 simdjson::ondemand::parser& parser, std::string& error);

struct local_agent {
  local_source source;
  /// Where it looks, for "not found" messages: "~/.claude/projects (or CLAUDE_CONFIG_DIR)".
  std::string_view where;
  /// What each usage line contains; lines without it are never parsed ("" reads every line).
  std::string_view usage_marker;
  /// The directories its records live under, those that exist, each once.
  std::vector<std::filesystem::path> (*roots)();
  /// Adds the record files under one root.
  void (*discover)(const std::filesystem::path& root, file_list& out);
  line_parser parse_line;
  document_reader read_document = nullptr;  ///< for sqlite and json files
};

/// The agent of a source (the table in local/agents.cpp).
const local_agent& agent_of(local_source source);

// Each agent's entry, defined in its folder.
extern const local_agent claude_agent;
extern const local_agent codex_agent;
extern const local_agent openclaw_agent;
extern const local_agent gemini_agent;
/// The format of OpenClaw's gateway log, whose files OpenClaw's discovery adds.
extern const local_agent openclaw_gateway_format;
/// The gateway log files to read beside the transcripts under `state_root` (~/.openclaw):
/// OPENCLAW_LOG_PATH (a file, or a directory of openclaw*.log) when set, else
/// <root>/logs/openclaw.log and <root>/openclaw.log where they exist.
std::vector<std::filesystem::path> openclaw_gateway_logs(const std::filesystem::path& state_root);

}  // namespace costs::detail
