// OpenClaw's agents: agents/<agent>/sessions/*.jsonl (live, reset and deleted archives), each
// agent's SQLite store, the Codex rollouts of turns run through the Codex app-server
// (local-formats.md 4), and the gateway log (gateway_log.cpp).
#include <fstream>
#include <iterator>
#include <unordered_map>

#include "costs/paths.hpp"
#include "local/agent.hpp"
#include "local/discovery.hpp"
#include "local/json_util.hpp"

namespace costs::detail {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> roots() {
  std::vector<fs::path> out;
  const fs::path home = home_dir();
  auto listed = env_dirs("OPENCLAW_STATE_DIR");
  if (listed.empty()) listed.push_back((home / ".openclaw").string());
  for (const char* legacy : {".clawdbot", ".moltbot", ".moldbot"})
    listed.push_back((home / legacy).string());
  for (const fs::path p : listed)
    if (is_dir(p / "agents") || !openclaw_gateway_logs(p).empty()) keep_root(out, p);
  // A gateway log named by OPENCLAW_LOG_PATH is read even where no state directory exists.
  if (out.empty())
    if (const auto logs = openclaw_gateway_logs({}); !logs.empty())
      keep_root(out, logs.front().parent_path());
  return out;
}

// Session keys by session id, from agents/<agent>/sessions/sessions.json.
std::unordered_map<std::string, std::string> session_tasks(const fs::path& sessions_json,
                                                           const std::string& agent) {
  std::unordered_map<std::string, std::string> tasks;
  std::ifstream in(sessions_json, std::ios::binary);
  if (!in) return tasks;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(text);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object obj;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(obj)) return tasks;
  for (auto f_result : obj) {
    simdjson::ondemand::field f;
    std::string_view key;
    if (std::move(f_result).get(f) || f.unescaped_key().get(key)) break;
    std::string session_key(key);
    simdjson::ondemand::object entry;
    if (f.value().get_object().get(entry)) continue;
    std::string session_id;
    for (auto e_result : entry) {
      simdjson::ondemand::field ef;
      std::string_view ek;
      if (std::move(e_result).get(ef) || ef.unescaped_key().get(ek)) break;
      if (ek == "sessionId") as_string(ef.value(), session_id);
    }
    // "agent:<agent>:<rest>" -> "<rest>"; "cron:<job>" and others stay as they are.
    const std::string prefix = "agent:" + agent + ":";
    if (session_key.rfind(prefix, 0) == 0) session_key.erase(0, prefix.size());
    if (!session_id.empty()) tasks[session_id] = session_key;
  }
  return tasks;
}

void discover(const fs::path& root, file_list& out) {
  auto& files = out.files();
  std::error_code ec;
  for (const auto& log : openclaw_gateway_logs(root))  // a log named twice is read once
    if (out.add(log, file_kind::jsonl)) files.back().format = &openclaw_gateway_format;
  for (const auto& agent_dir : fs::directory_iterator(root / "agents", ec)) {
    if (!agent_dir.is_directory(ec)) continue;
    const std::string agent = agent_dir.path().filename().string();
    const std::size_t agent_start = files.size();
    const auto tasks = session_tasks(agent_dir.path() / "sessions" / "sessions.json", agent);
    auto task_of = [&](const std::string& path) {
      auto it = tasks.find(stem_of(path));
      return it == tasks.end() ? std::string() : it->second;
    };
    std::error_code ec2;
    for (const auto& entry : fs::directory_iterator(agent_dir.path() / "sessions", ec2)) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_regular_file(ec2)) continue;
      if (name.find(".checkpoint.") != std::string::npos ||
          name.find(".trajectory") != std::string::npos)
        continue;
      const bool live = ends_with(name, ".jsonl");
      const bool archive = name.find(".jsonl.reset.") != std::string::npos ||
                           name.find(".jsonl.deleted.") != std::string::npos;
      if (!live && !archive) continue;
      out.add(entry.path(), ends_with(name, ".zst") ? file_kind::zstd : file_kind::jsonl, agent,
              task_of(entry.path().string()));
    }
    // Turns run through the Codex app-server: the rollouts are the record, and the
    // transcript's mirror rows (the last response only) are skipped (reference 4.6).
    bool rollouts = false;
    walk(agent_dir.path() / "agent" / "codex-home" / "sessions", [&](const fs::path& p) {
      const std::string name = p.filename().string();
      if (name.rfind("rollout-", 0) == 0 && ends_with(name, ".jsonl") &&
          out.add(p, file_kind::jsonl, agent)) {
        files.back().format = &codex_agent;
        rollouts = true;
      }
    });
    const fs::path db = agent_dir.path() / "agent" / "openclaw-agent.sqlite";
    if (fs::exists(db, ec2)) out.add(db, file_kind::sqlite, agent);
    if (rollouts)
      for (std::size_t i = agent_start; i < files.size(); ++i)
        files[i].mirrored = files[i].format == nullptr;
  }
}

bool read_document(const found_file& found, const file_info& info, file_batch& out,
                   simdjson::ondemand::parser& parser, std::string& error) {
  return read_openclaw_sqlite(found.path, info, out, parser, error);
}

}  // namespace

// Every line: the model comes from model_change and model-snapshot lines.
const local_agent openclaw_agent{
    local_source::openclaw,
    "~/.openclaw/agents (or OPENCLAW_STATE_DIR) and its gateway log (OPENCLAW_LOG_PATH)",
    "",
    roots,
    discover,
    parse_openclaw_line,
    read_document};

}  // namespace costs::detail
