// Finding the agents' files, reading only what changed, and merging calls into the ledger.
//
// Per source, the state directory holds <source>.ledger (every call seen) and <source>.cursors
// (per file: identity, size, where the last complete line ended, and the parser's context),
// so a scan reads appended bytes only and an unchanged tree is never opened. Files are read by
// a pool of threads; their calls join the ledger in path order, so results do not depend on
// thread timing.
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "costs/error.hpp"
#include "costs/local_usage.hpp"
#include "costs/paths.hpp"
#include "local/hash.hpp"
#include "local/json_util.hpp"
#include "local/lock.hpp"
#include "local/parsers.hpp"
#include "local/reader.hpp"

namespace costs {
namespace fs = std::filesystem;
using detail::file_batch;
using detail::file_context;
using detail::file_info;

namespace {

enum class file_kind : std::uint8_t { jsonl, zstd, sqlite, json };

struct file_identity {
  std::uint64_t dev = 0, ino = 0, size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const file_identity& o) const {
    return dev == o.dev && ino == o.ino && size == o.size && mtime_ns == o.mtime_ns;
  }
};

struct cursor {
  file_identity id;
  std::uint64_t offset = 0;     ///< end of the last complete line read
  std::uint64_t tail_hash = 0;  ///< of the bytes just before `offset`: notices a rewrite
  file_context ctx;
};

struct found_file {
  std::string path;
  file_kind kind = file_kind::jsonl;
  bool codex_rollout = false;  ///< OpenClaw: a Codex app-server rollout of this agent
  bool codex_home = false;     ///< OpenClaw: the agent has such rollouts
  file_identity id;
  std::string agent;  ///< OpenClaw
  std::string task;   ///< OpenClaw session key
};

struct source_scan;

struct job {
  const found_file* file = nullptr;
  local_source source = local_source::claude;
  source_scan* owner = nullptr;
  std::uint64_t offset = 0;
  file_context ctx;
};

struct job_result {
  file_batch batch;
  std::uint64_t end_offset = 0;
  std::uint64_t bytes = 0;
  file_context ctx;
  bool ok = true;
};

std::vector<std::string> split_env(const char* name) {
  std::vector<std::string> out;
  if (auto v = env(name)) {
    std::stringstream ss(*v);
    std::string item;
    while (std::getline(ss, item, ','))
      if (!item.empty())
        out.push_back(item[0] == '~' ? (home_dir() / item.substr(item.size() > 1 ? 2 : 1)).string()
                                     : item);
  }
  return out;
}

bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

bool stat_file(const std::string& path, file_identity& id) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  id.dev = static_cast<std::uint64_t>(st.st_dev);
  id.ino = static_cast<std::uint64_t>(st.st_ino);
  id.size = static_cast<std::uint64_t>(st.st_size);
#if defined(__APPLE__)
  id.mtime_ns = st.st_mtimespec.tv_sec * 1'000'000'000LL + st.st_mtimespec.tv_nsec;
#else
  id.mtime_ns = st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec;
#endif
  return true;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

template <typename F>
void walk(const fs::path& root, F&& on_file) {
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) on_file(it->path());
  }
}

// OpenClaw session keys by session id, from agents/<agent>/sessions/sessions.json.
std::unordered_map<std::string, std::string> openclaw_tasks(const fs::path& sessions_json,
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
      if (ek == "sessionId") detail::as_string(ef.value(), session_id);
    }
    // "agent:<agent>:<rest>" -> "<rest>"; "cron:<job>" and others stay as they are.
    const std::string prefix = "agent:" + agent + ":";
    if (session_key.rfind(prefix, 0) == 0) session_key.erase(0, prefix.size());
    if (!session_id.empty()) tasks[session_id] = session_key;
  }
  return tasks;
}

std::string stem_of(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  if (auto pos = name.find(".jsonl"); pos != std::string::npos) return name.substr(0, pos);
  if (auto pos = name.rfind('.'); pos != std::string::npos) return name.substr(0, pos);
  return name;
}

std::vector<found_file> discover(local_source source) {
  std::vector<found_file> files;
  auto add = [&](const fs::path& p, file_kind kind, std::string agent = {}, std::string task = {}) {
    found_file f;
    f.path = p.string();
    f.kind = kind;
    f.agent = std::move(agent);
    f.task = std::move(task);
    if (!stat_file(f.path, f.id)) return false;
    files.push_back(std::move(f));
    return true;
  };
  for (const auto& root : local_roots(source)) {
    switch (source) {
      case local_source::claude:
        walk(root, [&](const fs::path& p) {
          const std::string name = p.filename().string();
          if (ends_with(name, ".jsonl") && name != "journal.jsonl") add(p, file_kind::jsonl);
        });
        break;
      case local_source::codex:
        for (const char* sub : {"sessions", "archived_sessions"}) {
          walk(root / sub, [&](const fs::path& p) {
            const std::string name = p.filename().string();
            if (name.rfind("rollout-", 0) == 0 && ends_with(name, ".jsonl"))
              add(p, file_kind::jsonl);
          });
        }
        break;
      case local_source::openclaw: {
        std::error_code ec;
        for (const auto& agent_dir : fs::directory_iterator(root / "agents", ec)) {
          if (!agent_dir.is_directory(ec)) continue;
          const std::string agent = agent_dir.path().filename().string();
          const std::size_t agent_start = files.size();
          const auto tasks = openclaw_tasks(agent_dir.path() / "sessions" / "sessions.json", agent);
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
            add(entry.path(), ends_with(name, ".zst") ? file_kind::zstd : file_kind::jsonl, agent,
                task_of(entry.path().string()));
          }
          // Turns run through the Codex app-server: the rollouts are the record, and the
          // transcript's mirror rows (the last response only) are skipped (reference 4.6).
          bool rollouts = false;
          walk(agent_dir.path() / "agent" / "codex-home" / "sessions", [&](const fs::path& p) {
            const std::string name = p.filename().string();
            if (name.rfind("rollout-", 0) == 0 && ends_with(name, ".jsonl") &&
                add(p, file_kind::jsonl, agent)) {
              files.back().codex_rollout = true;
              rollouts = true;
            }
          });
          const fs::path db = agent_dir.path() / "agent" / "openclaw-agent.sqlite";
          if (fs::exists(db, ec2)) add(db, file_kind::sqlite, agent);
          if (rollouts)
            for (std::size_t i = agent_start; i < files.size(); ++i)
              files[i].codex_home = !files[i].codex_rollout;
        }
        break;
      }
      case local_source::gemini:
        walk(root, [&](const fs::path& p) {
          if (p.parent_path().filename() != "chats" &&
              p.parent_path().parent_path().filename() != "chats")
            return;
          const std::string name = p.filename().string();
          if (ends_with(name, ".jsonl"))
            add(p, file_kind::jsonl);
          else if (ends_with(name, ".json"))
            add(p, file_kind::json);
        });
        break;
    }
  }
  std::sort(files.begin(), files.end(),
            [](const found_file& a, const found_file& b) { return a.path < b.path; });
  files.erase(
      std::unique(files.begin(), files.end(),
                  [](const found_file& a, const found_file& b) { return a.path == b.path; }),
      files.end());
  return files;
}

// ---- cursor files ----

void put_u64(std::ostream& out, std::uint64_t v) {
  out.write(reinterpret_cast<const char*>(&v), 8);
}
void put_str(std::ostream& out, const std::string& s) {
  put_u64(out, s.size());
  out.write(s.data(), static_cast<std::streamsize>(s.size()));
}

constexpr std::uint64_t cursor_magic = 0x3273726f73727563ULL;  // "cursors2"

void save_cursors(const fs::path& file, const std::unordered_map<std::string, cursor>& cursors) {
  const auto temp = file.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw error("local.state", "cannot write " + temp);
    put_u64(out, cursor_magic);
    put_u64(out, cursors.size());
    for (const auto& [path, c] : cursors) {
      put_str(out, path);
      for (auto v : {c.id.dev, c.id.ino, c.id.size, static_cast<std::uint64_t>(c.id.mtime_ns),
                     c.offset, c.tail_hash})
        put_u64(out, v);
      for (const auto* s : {&c.ctx.model, &c.ctx.vendor, &c.ctx.session, &c.ctx.project,
                            &c.ctx.agent, &c.ctx.task, &c.ctx.replay_second})
        put_str(out, *s);
      for (auto v : c.ctx.prev_total) put_u64(out, static_cast<std::uint64_t>(v));
      put_u64(out, (c.ctx.has_prev ? 1u : 0u) | (c.ctx.forked ? 2u : 0u));
      put_u64(out, c.ctx.session_metas);
    }
    if (!out.flush()) throw error("local.state", "cannot write " + temp);
  }
  fs::rename(temp, file);
}

// Reads the whole file at once and decodes from memory: thousands of cursors load in a few
// milliseconds, which is most of a rescan of an unchanged tree.
class byte_reader {
 public:
  explicit byte_reader(std::string data) : data_(std::move(data)) {}
  bool u64(std::uint64_t& v) {
    if (pos_ + 8 > data_.size()) return false;
    std::memcpy(&v, data_.data() + pos_, 8);
    pos_ += 8;
    return true;
  }
  bool str(std::string& s) {
    std::uint64_t n = 0;
    if (!u64(n) || n > data_.size() - pos_) return false;
    s.assign(data_.data() + pos_, n);
    pos_ += n;
    return true;
  }

 private:
  std::string data_;
  std::size_t pos_ = 0;
};

std::unordered_map<std::string, cursor> load_cursors(const fs::path& file) {
  std::unordered_map<std::string, cursor> cursors;
  std::ifstream stream(file, std::ios::binary | std::ios::ate);
  if (!stream) return {};
  std::string bytes(static_cast<std::size_t>(stream.tellg()), '\0');
  stream.seekg(0);
  if (!stream.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) return {};
  byte_reader in(std::move(bytes));
  std::uint64_t magic = 0, count = 0;
  if (!in.u64(magic) || magic != cursor_magic || !in.u64(count)) return {};
  cursors.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string path;
    cursor c;
    std::uint64_t mtime = 0, flags = 0, metas = 0;
    if (!in.str(path) || !in.u64(c.id.dev) || !in.u64(c.id.ino) || !in.u64(c.id.size) ||
        !in.u64(mtime) || !in.u64(c.offset) || !in.u64(c.tail_hash))
      return {};
    c.id.mtime_ns = static_cast<std::int64_t>(mtime);
    for (auto* s : {&c.ctx.model, &c.ctx.vendor, &c.ctx.session, &c.ctx.project, &c.ctx.agent,
                    &c.ctx.task, &c.ctx.replay_second})
      if (!in.str(*s)) return {};
    for (auto& v : c.ctx.prev_total) {
      std::uint64_t u = 0;
      if (!in.u64(u)) return {};
      v = static_cast<std::int64_t>(u);
    }
    if (!in.u64(flags) || !in.u64(metas)) return {};
    c.ctx.has_prev = (flags & 1u) != 0;
    c.ctx.forked = (flags & 2u) != 0;
    c.ctx.session_metas = static_cast<std::uint32_t>(metas);
    cursors.emplace(std::move(path), std::move(c));
  }
  return cursors;
}

// A fingerprint of what was read: the first and the last kilobyte before `offset`. An append
// leaves both alone; a rewrite changes at least one of them in practice.
std::uint64_t tail_hash(const std::string& path, std::uint64_t offset) {
  if (offset == 0) return 0;
  const std::uint64_t n = std::min<std::uint64_t>(offset, 1024);
  std::ifstream in(path, std::ios::binary);
  std::string head(n, '\0'), tail(n, '\0');
  if (!in.read(head.data(), static_cast<std::streamsize>(n))) return 1;  // unreadable: differs
  in.seekg(static_cast<std::streamoff>(offset - n));
  if (!in.read(tail.data(), static_cast<std::streamsize>(n))) return 1;
  return detail::hash_bytes(tail, detail::hash_bytes(head, 0x7a11));
}

// ---- reading one file ----

job_result run_job(const job& j, local_source source, detail::line_reader& reader,
                   simdjson::ondemand::parser& parser) {
  job_result r;
  r.ctx = j.ctx;
  file_info info;
  info.path = j.file->path;
  info.stem = stem_of(j.file->path);
  info.agent = j.file->agent;
  info.mtime_us = j.file->id.mtime_ns / 1000;
  info.codex_home = j.file->codex_home;
  if (source == local_source::openclaw) {
    r.ctx.agent = j.file->agent;
    r.ctx.task = j.file->task;
  }
  // An OpenClaw agent's Codex app-server rollout is read as Codex writes it.
  const local_source format = j.file->codex_rollout ? local_source::codex : source;
  auto on_line = [&](std::string_view line, std::uint64_t offset) {
    switch (format) {
      case local_source::claude:
        detail::parse_claude_line(line, offset, info, r.ctx, r.batch, parser);
        break;
      case local_source::codex:
        detail::parse_codex_line(line, offset, info, r.ctx, r.batch, parser);
        break;
      case local_source::openclaw:
        detail::parse_openclaw_line(line, offset, info, r.ctx, r.batch, parser);
        break;
      case local_source::gemini:
        detail::parse_gemini_line(line, offset, info, r.ctx, r.batch, parser);
        break;
    }
  };
  switch (j.file->kind) {
    case file_kind::jsonl: {
      const auto rr = reader.read(j.file->path, j.offset, detail::usage_marker(source), on_line);
      r.ok = rr.ok;
      r.end_offset = rr.end_offset;
      r.bytes = rr.bytes_read;
      break;
    }
    case file_kind::zstd: {
      const auto rr = reader.read_zstd(j.file->path, detail::usage_marker(source), on_line);
      r.ok = rr.ok;
      r.end_offset = rr.end_offset;
      r.bytes = rr.bytes_read;
      break;
    }
    case file_kind::sqlite: {
      std::string err;
      r.ok = detail::read_openclaw_sqlite(j.file->path, info, r.batch, parser, err);
      r.end_offset = j.file->id.size;
      r.bytes = j.file->id.size;
      break;
    }
    case file_kind::json: {
      std::ifstream in(j.file->path, std::ios::binary);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      r.bytes = text.size();
      r.end_offset = text.size();
      const std::size_t size = text.size();
      text.append(simdjson::SIMDJSON_PADDING, ' ');
      detail::parse_gemini_document(std::string_view(text.data(), size), info, r.batch, parser);
      break;
    }
  }
  if (j.file->codex_rollout) {  // an OpenClaw agent's call, though Codex wrote it down
    const std::uint32_t agent = r.batch.intern(j.file->agent);
    for (auto& e : r.batch.entries) {
      e.source = local_source::openclaw;
      e.agent = agent;
    }
  }
  return r;
}

void merge_batch(local_ledger& ledger, const file_batch& batch, scan_stats& stats) {
  std::vector<std::uint32_t> remap(batch.strings().size());
  for (std::size_t i = 0; i < remap.size(); ++i) remap[i] = ledger.intern(batch.strings()[i]);
  for (local_entry e : batch.entries) {
    for (std::uint32_t* id : {&e.raw_model, &e.vendor, &e.agent, &e.project, &e.session, &e.task})
      *id = remap[*id];
    const int outcome = ledger.merge(e);
    stats.new_entries += outcome == 1;
    stats.replaced_entries += outcome == 2;
  }
  stats.lines_parsed += batch.lines_parsed;
  stats.malformed += batch.malformed;
}

// One source's files and what is remembered about them.
struct source_scan {
  local_source source = local_source::claude;
  fs::path cursor_file;
  std::unordered_map<std::string, cursor> cursors;
  std::vector<found_file> files;
  bool changed = false;
};

// Plans the reads of one source: unchanged files are skipped, appended ones resumed.
void plan(source_scan& src, std::vector<job>& jobs) {
  for (const auto& f : src.files) {
    job j;
    j.file = &f;
    j.source = src.source;
    j.owner = &src;
    const auto it = src.cursors.find(f.path);
    if (it != src.cursors.end()) {
      const cursor& c = it->second;
      if (c.id == f.id) continue;  // unchanged: not even opened
      const bool same_file = c.id.dev == f.id.dev && c.id.ino == f.id.ino;
      if (f.kind == file_kind::jsonl && same_file && f.id.size >= c.offset &&
          tail_hash(f.path, c.offset) == c.tail_hash) {
        j.offset = c.offset;  // appended: resume where the last complete line ended
        j.ctx = c.ctx;
      }
    }
    jobs.push_back(std::move(j));
  }
}

// Reads every planned file on a pool of threads; merges them in plan order (source, then path)
// so the result never depends on which thread finished first.
void run_jobs(const std::vector<job>& jobs, const scan_options& options, local_ledger& ledger,
              scan_stats& stats) {
  if (jobs.empty()) return;
  std::uint64_t total_bytes = 0, done_bytes = 0;
  for (const auto& j : jobs) total_bytes += j.file->id.size - std::min(j.offset, j.file->id.size);
  const unsigned thread_count = std::max(
      1u,
      std::min<unsigned>(options.threads ? options.threads : std::thread::hardware_concurrency(),
                         static_cast<unsigned>(jobs.size())));
  std::vector<std::optional<job_result>> results(jobs.size());
  std::mutex mutex;
  std::condition_variable ready;
  std::atomic<std::size_t> next{0};
  std::size_t merged = 0;
  constexpr std::size_t window = 64;  // how far workers may run ahead of the merge
  std::exception_ptr failure;
  auto worker = [&] {
    detail::line_reader reader;
    simdjson::ondemand::parser parser;
    for (;;) {
      std::size_t i;
      {
        std::unique_lock<std::mutex> lock(mutex);
        ready.wait(lock,
                   [&] { return next.load() < merged + window || next.load() >= jobs.size(); });
        i = next.fetch_add(1);
      }
      if (i >= jobs.size()) return;
      std::optional<job_result> r;
      try {
        r = run_job(jobs[i], jobs[i].source, reader, parser);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        failure = std::current_exception();
        r = job_result{};
        r->ok = false;
      }
      {
        std::lock_guard<std::mutex> lock(mutex);
        results[i] = std::move(r);
      }
      ready.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < thread_count; ++t) pool.emplace_back(worker);
  for (; merged < jobs.size();) {
    job_result r;
    {
      std::unique_lock<std::mutex> lock(mutex);
      ready.wait(lock, [&] { return results[merged].has_value(); });
      r = std::move(*results[merged]);
      results[merged].reset();
    }
    const job& j = jobs[merged];
    merge_batch(ledger, r.batch, stats);
    stats.files_read += 1;
    stats.bytes_read += r.bytes;
    done_bytes += j.file->id.size - std::min(j.offset, j.file->id.size);
    if (options.progress) options.progress(done_bytes, total_bytes);
    j.owner->changed = true;
    if (r.ok) {
      cursor c;
      c.id = j.file->id;
      c.offset = r.end_offset;
      c.tail_hash = j.file->kind == file_kind::jsonl ? tail_hash(j.file->path, r.end_offset) : 0;
      c.ctx = std::move(r.ctx);
      j.owner->cursors[j.file->path] = std::move(c);
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      ++merged;
    }
    ready.notify_all();
  }
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

// Files that are gone lose their cursor, never their calls: history outlives transcripts.
void forget_missing(source_scan& src) {
  for (auto it = src.cursors.begin(); it != src.cursors.end();) {
    const bool found = std::binary_search(
        src.files.begin(), src.files.end(), it->first, [](const auto& a, const auto& b) {
          if constexpr (std::is_same_v<std::decay_t<decltype(a)>, found_file>)
            return a.path < b;
          else
            return a < b.path;
        });
    if (found) {
      ++it;
    } else {
      it = src.cursors.erase(it);
      src.changed = true;
    }
  }
}

}  // namespace

std::vector<fs::path> local_roots(local_source source) {
  std::vector<fs::path> roots;
  const fs::path home = home_dir();
  auto keep = [&](const fs::path& p) {
    if (is_dir(p) && std::find(roots.begin(), roots.end(), p) == roots.end()) roots.push_back(p);
  };
  switch (source) {
    case local_source::claude: {
      const auto listed = split_env("CLAUDE_CONFIG_DIR");
      if (!listed.empty()) {
        for (const fs::path p : listed) keep(p.filename() == "projects" ? p : p / "projects");
      } else {
        const fs::path config =
            env("XDG_CONFIG_HOME") ? fs::path(*env("XDG_CONFIG_HOME")) : home / ".config";
        keep(config / "claude" / "projects");
        keep(home / ".claude" / "projects");
      }
      break;
    }
    case local_source::codex: {
      auto listed = split_env("CODEX_HOME");
      if (listed.empty()) listed.push_back((home / ".codex").string());
      for (const fs::path p : listed)
        if (is_dir(p / "sessions") || is_dir(p / "archived_sessions")) keep(p);
      break;
    }
    case local_source::openclaw: {
      auto listed = split_env("OPENCLAW_STATE_DIR");
      if (listed.empty()) listed.push_back((home / ".openclaw").string());
      for (const char* legacy : {".clawdbot", ".moltbot", ".moldbot"})
        listed.push_back((home / legacy).string());
      for (const fs::path p : listed)
        if (is_dir(p / "agents")) keep(p);
      break;
    }
    case local_source::gemini: {
      auto listed = split_env("GEMINI_DATA_DIR");
      if (listed.empty()) listed.push_back((home / ".gemini" / "tmp").string());
      for (const fs::path p : listed) keep(p);
      break;
    }
  }
  return roots;
}

local_ledger local_ledger::scan(const scan_options& options, scan_stats* stats) {
  scan_stats local_stats;
  scan_stats& s = stats ? *stats : local_stats;
  std::vector<local_source> sources = options.sources;
  if (sources.empty()) sources.assign(std::begin(all_local_sources), std::end(all_local_sources));
  // One order for taking the agents' locks, so two scans never wait on each other in a circle.
  std::sort(sources.begin(), sources.end());
  sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
  const bool stateful = !options.state_dir.empty();
  std::deque<detail::state_lock> locks;  // never moved: a deque grows in place
  local_ledger ledger;
  std::vector<source_scan> scans(sources.size());
  // Earlier versions kept every agent in one ledger.bin: an agent without its own file yet
  // starts from its part of that one, so history whose transcripts are gone is kept.
  const fs::path legacy_file = options.state_dir / "ledger.bin";
  std::optional<local_ledger> legacy;
  bool legacy_read = false;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    source_scan& src = scans[i];
    src.source = sources[i];
    const std::string name = to_string(src.source);
    src.cursor_file = options.state_dir / (name + ".cursors");
    if (stateful) {
      locks.emplace_back(options.state_dir, name);
      local_ledger own;
      std::string why;
      bool loaded = own.load(options.state_dir / (name + ".ledger"), &why);
      if (loaded) {
        ledger.take(own, src.source);
      } else if (why.empty()) {
        if (!legacy_read) {
          legacy_read = true;
          local_ledger old;
          if (old.load(legacy_file)) legacy = std::move(old);
        }
        if (legacy) {
          ledger.take(*legacy, src.source);
          loaded = true;
          src.changed = true;  // written to its own file at the end of this scan
        }
      } else {
        s.ledger_rebuilt += (s.ledger_rebuilt.empty() ? "" : "; ") + why;
      }
      if (loaded) src.cursors = load_cursors(src.cursor_file);
    }
    src.files = discover(src.source);
    s.files_seen += src.files.size();
  }
  std::vector<job> jobs;
  for (auto& src : scans) plan(src, jobs);  // after every discover: jobs point into files
  run_jobs(jobs, options, ledger, s);
  if (!stateful) return ledger;
  // Each agent whose files changed rewrites its own ledger, then the cursors that point past
  // what it holds: a crash in between re-reads a little, and the keys make that harmless.
  for (auto& src : scans) {
    forget_missing(src);
    if (!src.changed) continue;
    const std::string name = to_string(src.source);
    ledger.part(src.source).save(options.state_dir / (name + ".ledger"));
    save_cursors(src.cursor_file, src.cursors);
  }
  // The old single ledger goes once every agent it holds has a file of its own.
  if (legacy) {
    bool all_moved = true;
    std::error_code ec;
    for (const auto source : all_local_sources) {
      const bool held = std::any_of(legacy->entries().begin(), legacy->entries().end(),
                                    [&](const local_entry& e) { return e.source == source; });
      if (held && !fs::exists(options.state_dir / (std::string(to_string(source)) + ".ledger"), ec))
        all_moved = false;
    }
    if (all_moved) fs::remove(legacy_file, ec);
  }
  return ledger;
}

}  // namespace costs
