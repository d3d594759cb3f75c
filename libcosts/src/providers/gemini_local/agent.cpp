// Gemini CLI's chats: <project>/chats/session-*.jsonl, or a legacy one-document .json
// (local-formats.md 5).
#include "local/agent.hpp"
#include "costs/paths.hpp"
#include "local/discovery.hpp"

namespace costs::detail {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> roots() {
  std::vector<fs::path> out;
  auto listed = env_dirs("GEMINI_DATA_DIR");
  if (listed.empty()) listed.push_back((home_dir() / ".gemini" / "tmp").string());
  for (const fs::path p : listed) keep_root(out, p);
  return out;
}

void discover(const fs::path& root, file_list& out) {
  walk(root, [&](const fs::path& p) {
    if (p.parent_path().filename() != "chats" &&
        p.parent_path().parent_path().filename() != "chats")
      return;
    const std::string name = p.filename().string();
    if (ends_with(name, ".jsonl"))
      out.add(p, file_kind::jsonl);
    else if (ends_with(name, ".json"))
      out.add(p, file_kind::json);
  });
}

bool read_document(const found_file& found, const file_info& info, file_batch& out,
                   simdjson::ondemand::parser& parser, std::string& error) {
  const auto text = simdjson::padded_string::load(found.path);
  if (text.error()) {
    error = "cannot read " + found.path;
    return false;
  }
  parse_gemini_document(std::string_view(text.value_unsafe()), info, out, parser);
  return true;
}

}  // namespace

const local_agent gemini_agent{local_source::gemini,
                               "~/.gemini/tmp (or GEMINI_DATA_DIR)",
                               "",
                               roots,
                               discover,
                               parse_gemini_line,
                               read_document};

}  // namespace costs::detail
