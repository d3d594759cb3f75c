// Codex's rollouts: sessions/ and archived_sessions/ under each CODEX_HOME (local-formats.md 3.1).
#include "local/agent.hpp"
#include "costs/paths.hpp"
#include "local/discovery.hpp"

namespace costs::detail {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> roots() {
  std::vector<fs::path> out;
  auto listed = env_dirs("CODEX_HOME");
  if (listed.empty()) listed.push_back((home_dir() / ".codex").string());
  for (const fs::path p : listed)
    if (is_dir(p / "sessions") || is_dir(p / "archived_sessions")) keep_root(out, p);
  return out;
}

void discover(const fs::path& root, file_list& out) {
  for (const char* sub : {"sessions", "archived_sessions"}) {
    walk(root / sub, [&](const fs::path& p) {
      const std::string name = p.filename().string();
      if (name.rfind("rollout-", 0) == 0 && ends_with(name, ".jsonl")) out.add(p, file_kind::jsonl);
    });
  }
}

}  // namespace

// Every line: the model and session come from lines without usage.
const local_agent codex_agent{
    local_source::codex, "~/.codex/sessions (or CODEX_HOME)", "", roots, discover,
    parse_codex_line};

}  // namespace costs::detail
