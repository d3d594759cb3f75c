// Scanning the local agents: find each agent's files, read only what changed since the last
// scan, and merge their calls into the ledger.
//
// The agents themselves are entries of one table (local/agent.hpp); this file names none of
// them. Per agent, the state directory holds <agent>.ledger (every call seen) and
// <agent>.cursors (local/cursors.hpp), so a scan reads appended bytes only and an unchanged tree
// is never opened. Files are read on a pool of threads (local/ordered_pool.hpp); their calls join
// the ledger in path order, so results do not depend on thread timing.
#include <algorithm>
#include <deque>
#include <optional>
#include <thread>
#include <unordered_set>

#include "costs/error.hpp"
#include "costs/local_usage.hpp"
#include "local/agent.hpp"
#include "local/cursors.hpp"
#include "local/discovery.hpp"
#include "local/lock.hpp"
#include "local/ordered_pool.hpp"
#include "local/parsers.hpp"
#include "local/reader.hpp"

namespace costs {
namespace fs = std::filesystem;
using detail::cursor;
using detail::file_batch;
using detail::file_context;
using detail::file_info;
using detail::file_kind;
using detail::found_file;
using detail::local_agent;

namespace {

struct source_scan;

struct job {
  const found_file* file = nullptr;
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

// Every file of one agent, under each of its roots, once each, in path order.
std::vector<found_file> discover(const detail::local_agent& agent) {
  detail::file_list list;
  for (const auto& root : agent.roots()) agent.discover(root, list);
  std::vector<found_file>& files = list.files();
  std::sort(files.begin(), files.end(),
            [](const found_file& a, const found_file& b) { return a.path < b.path; });
  files.erase(
      std::unique(files.begin(), files.end(),
                  [](const found_file& a, const found_file& b) { return a.path == b.path; }),
      files.end());
  return std::move(files);
}

// ---- reading one file ----

// What a worker thread keeps between files.
struct worker_state {
  detail::line_reader reader;
  simdjson::ondemand::parser parser;
};

job_result run_job(const job& j, const local_agent& owner, worker_state& w) {
  job_result r;
  r.ctx = j.ctx;
  const found_file& f = *j.file;
  file_info info;
  info.path = f.path;
  info.stem = detail::stem_of(f.path);
  info.agent = f.agent;
  info.mtime_us = f.id.mtime_ns / 1000;
  info.mirrored = f.mirrored;
  if (!f.agent.empty()) {  // the agent's own names for who and what, from its discovery
    r.ctx.agent = f.agent;
    r.ctx.task = f.task;
  }
  // A file in another agent's format is read with that agent's parser.
  const local_agent& format = f.format != nullptr ? *f.format : owner;
  auto on_line = [&](std::string_view line, std::uint64_t offset) {
    format.parse_line(line, offset, info, r.ctx, r.batch, w.parser);
  };
  switch (f.kind) {
    case file_kind::jsonl:
    case file_kind::zstd: {
      const auto rr = f.kind == file_kind::jsonl
                          ? w.reader.read(f.path, j.offset, format.usage_marker, on_line)
                          : w.reader.read_zstd(f.path, format.usage_marker, on_line);
      r.ok = rr.ok;
      r.end_offset = rr.end_offset;
      r.bytes = rr.bytes_read;
      break;
    }
    case file_kind::sqlite:
    case file_kind::json: {
      std::string err;
      r.ok =
          format.read_document != nullptr && format.read_document(f, info, r.batch, w.parser, err);
      r.end_offset = f.id.size;
      r.bytes = f.id.size;
      break;
    }
  }
  // The owner's call, though another agent wrote it down; a file of no one agent (the gateway
  // log) keeps the agent each record names.
  // Each call names the transcript it came from (the gateway log is no session's transcript).
  const std::uint32_t file = r.batch.entries.empty() ? 0 : r.batch.intern(f.path);
  for (auto& e : r.batch.entries)
    if ((e.flags & local_entry::from_gateway_log) == 0) e.file = file;
  if (f.format != nullptr) {
    const std::uint32_t agent = r.batch.intern(f.agent);
    for (auto& e : r.batch.entries) {
      e.source = owner.source;
      if (!f.agent.empty()) e.agent = agent;
    }
  }
  return r;
}

void merge_batch(local_ledger& ledger, const file_batch& batch, scan_stats& stats) {
  std::vector<std::uint32_t> remap(batch.strings().size());
  for (std::size_t i = 0; i < remap.size(); ++i) remap[i] = ledger.intern(batch.strings()[i]);
  for (local_entry e : batch.entries) {
    for (std::uint32_t* id :
         {&e.raw_model, &e.vendor, &e.agent, &e.project, &e.session, &e.task, &e.file})
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
  const local_agent* agent = nullptr;
  fs::path cursor_file;
  detail::cursor_map cursors;
  std::vector<found_file> files;
  bool changed = false;
};

// Plans the reads of one source: unchanged files are skipped, appended ones resumed.
void plan(source_scan& src, std::vector<job>& jobs) {
  for (const auto& f : src.files) {
    job j;
    j.file = &f;
    j.owner = &src;
    const auto it = src.cursors.find(f.path);
    if (it != src.cursors.end()) {
      const cursor& c = it->second;
      if (c.id == f.id) continue;  // unchanged: not even opened
      const bool same_file = c.id.dev == f.id.dev && c.id.ino == f.id.ino;
      if (f.kind == file_kind::jsonl && same_file && f.id.size >= c.offset &&
          detail::tail_hash(f.path, c.offset) == c.tail_hash) {
        j.offset = c.offset;  // appended: resume where the last complete line ended
        j.ctx = c.ctx;
      }
    }
    jobs.push_back(std::move(j));
  }
}

// Reads every planned file on a pool of threads; merges them in plan order (agent, then path)
// so the result never depends on which thread finished first.
void run_jobs(const std::vector<job>& jobs, const scan_options& options, local_ledger& ledger,
              scan_stats& stats) {
  std::uint64_t total_bytes = 0, done_bytes = 0;
  for (const auto& j : jobs) total_bytes += j.file->id.size - std::min(j.offset, j.file->id.size);
  detail::run_in_order<worker_state>(
      jobs.size(), options.threads ? options.threads : std::thread::hardware_concurrency(),
      [&](std::size_t i, worker_state& w) { return run_job(jobs[i], *jobs[i].owner->agent, w); },
      [&](std::size_t i, job_result* done) {
        job_result failed;
        failed.ok = false;
        job_result& r = done != nullptr ? *done : failed;
        const job& j = jobs[i];
        merge_batch(ledger, r.batch, stats);
        stats.files_read += 1;
        stats.bytes_read += r.bytes;
        done_bytes += j.file->id.size - std::min(j.offset, j.file->id.size);
        if (options.progress) options.progress(done_bytes, total_bytes);
        j.owner->changed = true;
        if (!r.ok) return;  // read again next time
        cursor c;
        c.id = j.file->id;
        c.offset = r.end_offset;
        c.tail_hash =
            j.file->kind == file_kind::jsonl ? detail::tail_hash(j.file->path, r.end_offset) : 0;
        c.ctx = std::move(r.ctx);
        j.owner->cursors[j.file->path] = std::move(c);
      });
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
  if (stateful) {  // room for every agent's calls at once: the ledger grows once
    std::uintmax_t bytes = 0;
    for (const auto source : sources) {
      std::error_code ec;
      const auto size =
          fs::file_size(options.state_dir / (std::string(to_string(source)) + ".ledger"), ec);
      if (!ec) bytes += size;
    }
    ledger.reserve(static_cast<std::size_t>(bytes / sizeof(local_entry)));
  }
  for (std::size_t i = 0; i < sources.size(); ++i) {
    source_scan& src = scans[i];
    src.agent = &detail::agent_of(sources[i]);
    const std::string name = to_string(sources[i]);
    src.cursor_file = options.state_dir / (name + ".cursors");
    if (stateful) {
      locks.emplace_back(options.state_dir, name);
      std::string why;
      bool loaded = ledger.load_more(options.state_dir / (name + ".ledger"), &why);
      if (!loaded && why.empty()) {
        if (!legacy_read) {
          legacy_read = true;
          local_ledger old;
          if (old.load(legacy_file)) legacy = std::move(old);
        }
        if (legacy) {
          ledger.take(*legacy, sources[i]);
          loaded = true;
          src.changed = true;  // written to its own file at the end of this scan
        }
      } else if (!loaded) {
        s.ledger_rebuilt += (s.ledger_rebuilt.empty() ? "" : "; ") + why;
      }
      if (loaded) src.cursors = detail::load_cursors(src.cursor_file);
    }
    src.files = discover(*src.agent);
    s.files_seen += src.files.size();
  }
  std::vector<job> jobs;
  for (auto& src : scans) plan(src, jobs);  // after every discover: jobs point into files
  run_jobs(jobs, options, ledger, s);
  // A gateway-log call whose session has a transcript is in the transcript too, with its entry
  // id: the transcript counts it. Done over the whole ledger each scan, so it holds whichever
  // of the two was read first.
  auto logged = [](const local_entry& e) {
    return e.source == local_source::openclaw && (e.flags & local_entry::from_gateway_log) != 0;
  };
  if (std::any_of(ledger.entries().begin(), ledger.entries().end(), logged)) {
    std::unordered_set<std::uint32_t> transcribed;
    for (const local_entry& e : ledger.entries())
      if (e.source == local_source::openclaw && !logged(e)) transcribed.insert(e.session);
    const std::size_t dropped = ledger.erase_if([&](const local_entry& e) {
      return logged(e) && e.session != 0 && transcribed.count(e.session) != 0;
    });
    s.logged_in_transcripts += dropped;
    if (dropped != 0)
      for (auto& src : scans)
        if (src.agent->source == local_source::openclaw) src.changed = true;
  }
  if (!stateful) return ledger;
  // Each agent whose files changed rewrites its own ledger, then the cursors that point past
  // what it holds: a crash in between re-reads a little, and the keys make that harmless.
  for (auto& src : scans) {
    forget_missing(src);
    if (!src.changed) continue;
    const local_source source = src.agent->source;
    ledger.part(source).save(options.state_dir / (std::string(to_string(source)) + ".ledger"));
    detail::save_cursors(src.cursor_file, src.cursors);
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
