// Claude Code's transcripts: every *.jsonl under each projects/ root (local-formats.md 2.1).
#include "local/agent.hpp"
#include "costs/paths.hpp"
#include "local/discovery.hpp"

namespace costs::detail {
namespace {

namespace fs = std::filesystem;

// CLAUDE_CONFIG_DIR lists config dirs (or their projects/ dirs) and then is the only place;
// otherwise both $XDG_CONFIG_HOME/claude and ~/.claude are read.
std::vector<fs::path> roots() {
  std::vector<fs::path> out;
  const auto listed = env_dirs("CLAUDE_CONFIG_DIR");
  if (!listed.empty()) {
    for (const fs::path p : listed) keep_root(out, p.filename() == "projects" ? p : p / "projects");
    return out;
  }
  const fs::path home = home_dir();
  const fs::path config =
      env("XDG_CONFIG_HOME") ? fs::path(*env("XDG_CONFIG_HOME")) : home / ".config";
  keep_root(out, config / "claude" / "projects");
  keep_root(out, home / ".claude" / "projects");
  return out;
}

// Subagent workflows keep a journal.jsonl of orchestration with no usage.
void discover(const fs::path& root, file_list& out) {
  walk(root, [&](const fs::path& p) {
    const std::string name = p.filename().string();
    if (ends_with(name, ".jsonl") && name != "journal.jsonl") out.add(p, file_kind::jsonl);
  });
}

}  // namespace

const local_agent claude_agent{
    local_source::claude, "~/.claude/projects (or CLAUDE_CONFIG_DIR)", "\"usage\"", roots, discover,
    parse_claude_line};

}  // namespace costs::detail
