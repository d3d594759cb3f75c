// Claude Code transcript lines for tests: one assistant response and its usage, as Claude Code
// writes it into ~/.claude/projects/<project>/<session>.jsonl.
#pragma once

#include <cstdint>
#include <string>

namespace costs::test {

struct claude_call {
  std::string id;    ///< the request is req_<id>, the message msg_<id>
  std::string time;  ///< its ISO 8601 timestamp
  std::string session = "s";
  std::string model = "claude-sonnet-4-6";
  std::int64_t input = 3, output = 412, cache_write = 2140, cache_read = 18452;
};

/// The call as one JSONL line, newline included.
std::string claude_line(const claude_call& call);

}  // namespace costs::test
