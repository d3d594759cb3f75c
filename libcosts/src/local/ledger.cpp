// The ledger: every deduplicated call, an open-addressing index by key, and its file format.
#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <fstream>

#include "costs/error.hpp"
#include "costs/local_usage.hpp"

namespace costs {
namespace {

constexpr char magic[8] = {'c', 'o', 's', 't', 'l', 'e', 'd', '4'};
// Version 3 had the same layout without `file` (padding then): read, with no transcript known.
constexpr char magic_without_files = '3';

// The entries are stored as their bytes, so the file says the layout it was written with: a
// build whose local_entry differs (a field added, reordered, another ABI or byte order) sets
// the file aside and rebuilds it rather than misread it.
struct layout {
  std::uint32_t byte_order = 0x01020304;
  std::uint32_t entry_size = sizeof(local_entry);
  std::uint32_t tokens_size = sizeof(token_counts);
  std::uint32_t tokens_at = offsetof(local_entry, tokens);
  std::uint32_t reported_at = offsetof(local_entry, reported_pico);
  std::uint32_t source_at = offsetof(local_entry, source);
  std::uint32_t flags_at = offsetof(local_entry, flags);
  std::uint32_t alignment = alignof(local_entry);
  bool operator==(const layout& o) const {
    return byte_order == o.byte_order && entry_size == o.entry_size &&
           tokens_size == o.tokens_size && tokens_at == o.tokens_at &&
           reported_at == o.reported_at && source_at == o.source_at && flags_at == o.flags_at &&
           alignment == o.alignment;
  }
};

std::size_t slot_of(std::uint64_t key, std::size_t mask) {
  return (key ^ (key >> 29)) & mask;
}

std::int64_t total_of(const local_entry& e) {
  return e.tokens.total();
}

// Claude's rule (local-formats.md 2.5): the parent beats a sidechain replay, then the larger
// total (the final streamed line), then, on a tie, the copy that says its speed.
bool claude_should_replace(const local_entry& stored, const local_entry& incoming) {
  const bool stored_side = (stored.flags & local_entry::sidechain) != 0;
  const bool incoming_side = (incoming.flags & local_entry::sidechain) != 0;
  if (stored_side != incoming_side) return stored_side;
  if (total_of(incoming) != total_of(stored)) return total_of(incoming) > total_of(stored);
  return (incoming.flags & local_entry::has_speed) != 0 &&
         (stored.flags & local_entry::has_speed) == 0;
}

template <typename T>
void put(std::ostream& out, const T& v) {
  out.write(reinterpret_cast<const char*>(&v), sizeof v);
}
template <typename T>
bool get(std::istream& in, T& v) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(&v), sizeof v));
}

}  // namespace

const char* to_string(local_source source) noexcept {
  switch (source) {
    case local_source::claude: return "claude";
    case local_source::codex: return "codex";
    case local_source::openclaw: return "openclaw";
    case local_source::gemini: return "gemini";
  }
  return "claude";
}

const char* provider_key(local_source source) noexcept {
  switch (source) {
    case local_source::claude: return "claude_local";
    case local_source::codex: return "codex_local";
    case local_source::openclaw: return "openclaw_local";
    case local_source::gemini: return "gemini_local";
  }
  return "claude_local";
}

local_source parse_local_source(std::string_view word) {
  for (auto s : all_local_sources)
    if (word == to_string(s) || word == provider_key(s)) return s;
  throw config_error("cli.unknown_source", "unknown source '" + std::string(word) +
                                               "'; use claude, codex, openclaw or gemini");
}

std::uint32_t local_ledger::intern(std::string_view s) {
  if (s.empty()) return 0;
  auto it = string_ids_.find(std::string(s));
  if (it != string_ids_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(strings_.size());
  strings_.emplace_back(s);
  string_ids_.emplace(strings_.back(), id);
  return id;
}

std::int64_t local_ledger::find(std::uint64_t key) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = slot_of(key, mask);; i = (i + 1) & mask) {
    const std::uint32_t s = slots_[i];
    if (s == 0) return -1;
    if (entries_[s - 1].key == key) return s - 1;
  }
}

void local_ledger::index(std::size_t position) {
  index_key(entries_[position].key, position);
  if (const std::uint64_t alt = entries_[position].alt_key; alt != 0) {
    const std::size_t mask = alt_slots_.size() - 1;
    for (std::size_t i = slot_of(alt, mask);; i = (i + 1) & mask) {
      if (alt_slots_[i] == 0) {
        alt_slots_[i] = static_cast<std::uint32_t>(position + 1);
        break;
      }
      if (entries_[alt_slots_[i] - 1].alt_key == alt) break;  // first copy of a message id stays
    }
  }
}

void local_ledger::index_key(std::uint64_t key, std::size_t position) {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = slot_of(key, mask);; i = (i + 1) & mask) {
    if (slots_[i] == 0) {
      slots_[i] = static_cast<std::uint32_t>(position + 1);
      break;
    }
  }
}

void local_ledger::rebuild_index() {
  replaced_ = 0;
  std::size_t size = 1024;
  while (size < entries_.size() * 2 + 16) size *= 2;
  slots_.assign(size, 0);
  alt_slots_.assign(size, 0);
  for (std::size_t i = 0; i < entries_.size(); ++i) index(i);
}

int local_ledger::merge(const local_entry& entry) {
  // Twice the entries, and room for the extra slots that replacements add.
  if (slots_.empty() || (entries_.size() + replaced_) * 2 + 2 > slots_.size()) rebuild_index();
  std::int64_t at = find(entry.key);
  if (at < 0 && entry.alt_key != 0) {
    // A sidechain replay of a parent's response has the same message id and another request
    // id: the same call, when either copy is a sidechain.
    const std::size_t mask = alt_slots_.size() - 1;
    for (std::size_t i = slot_of(entry.alt_key, mask);; i = (i + 1) & mask) {
      const std::uint32_t s = alt_slots_[i];
      if (s == 0) break;
      const local_entry& other = entries_[s - 1];
      if (other.alt_key == entry.alt_key) {
        if (((other.flags | entry.flags) & local_entry::sidechain) != 0) at = s - 1;
        break;
      }
    }
  }
  if (at < 0) {
    entries_.push_back(entry);
    index(entries_.size() - 1);
    return 1;
  }
  local_entry& stored = entries_[static_cast<std::size_t>(at)];
  bool replace = false;
  switch (entry.source) {
    case local_source::claude: replace = claude_should_replace(stored, entry); break;
    case local_source::gemini: replace = true; break;  // the last record of an id wins
    case local_source::codex:
    case local_source::openclaw: replace = false; break;  // identical copies: the first stays
  }
  if (!replace) return 0;
  // The winning copy's key must find the entry from now on (a parent's later streamed lines
  // carry it), so index it too; the loser's slot no longer matches and is passed over.
  const std::uint64_t alt = stored.alt_key;
  const bool new_key = stored.key != entry.key;
  stored = entry;
  stored.alt_key = alt;
  if (new_key) {
    index_key(entry.key, static_cast<std::size_t>(at));
    ++replaced_;
  }
  return 2;
}

void local_ledger::take(const local_ledger& other, local_source source) {
  constexpr std::uint32_t unseen = 0xFFFFFFFF;
  std::vector<std::uint32_t> remap(other.strings_.size(), unseen);
  auto id = [&](std::uint32_t s) {
    if (remap[s] == unseen) remap[s] = intern(other.strings_[s]);
    return remap[s];
  };
  for (local_entry e : other.entries_) {
    if (e.source != source) continue;
    for (std::uint32_t* s :
         {&e.raw_model, &e.vendor, &e.agent, &e.project, &e.session, &e.task, &e.file})
      *s = id(*s);
    entries_.push_back(e);
  }
  slots_.clear();  // indexed again on the next merge
  alt_slots_.clear();
}

local_ledger local_ledger::part(local_source source) const {
  local_ledger p;
  p.take(*this, source);
  return p;
}

void local_ledger::save(const std::filesystem::path& file) const {
  const auto temp = file.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw error("local.state", "cannot write " + temp);
    out.write(magic, sizeof magic);
    put(out, layout{});
    put(out, static_cast<std::uint64_t>(strings_.size()));
    for (const auto& s : strings_) {
      put(out, static_cast<std::uint32_t>(s.size()));
      out.write(s.data(), static_cast<std::streamsize>(s.size()));
    }
    put(out, static_cast<std::uint64_t>(entries_.size()));
    out.write(reinterpret_cast<const char*>(entries_.data()),
              static_cast<std::streamsize>(entries_.size() * sizeof(local_entry)));
    if (!out.flush()) throw error("local.state", "cannot write " + temp);
  }
  std::filesystem::rename(temp, file);  // readers see the old ledger or the new, never half
}

bool local_ledger::load(const std::filesystem::path& file, std::string* why) {
  local_ledger loaded;
  if (!loaded.load_more(file, why)) return false;
  *this = std::move(loaded);  // the index is built on the first merge: a report never needs it
  return true;
}

void local_ledger::reserve(std::size_t entries) {
  entries_.reserve(entries);
}

std::size_t local_ledger::erase_if(const std::function<bool(const local_entry&)>& drop) {
  const auto kept = std::remove_if(entries_.begin(), entries_.end(), drop);
  const auto removed = static_cast<std::size_t>(entries_.end() - kept);
  if (removed == 0) return 0;
  entries_.erase(kept, entries_.end());
  rebuild_index();  // positions moved
  return removed;
}

bool local_ledger::load_more(const std::filesystem::path& file, std::string* why) {
  const std::size_t before = entries_.size();
  auto refuse = [&](const char* reason) {
    entries_.resize(before);  // nothing of a refused file stays
    if (why != nullptr) *why = reason;
    return false;
  };
  if (why != nullptr) why->clear();
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;  // none yet: nothing to say
  char head[sizeof magic];
  if (!in.read(head, sizeof head) || std::string_view(head, 7) != std::string_view(magic, 7))
    return refuse("not a ledger file");
  const bool without_files = head[7] == magic_without_files;
  if (head[7] != magic[7] && !without_files) return refuse("written by another version of costs");
  layout stored;
  if (!get(in, stored)) return refuse("damaged (cut short)");
  if (!(stored == layout{})) return refuse("written with another layout of its entries");
  std::uint64_t count = 0;
  if (!get(in, count) || count == 0 || count > (1u << 31)) return refuse("damaged (string table)");
  std::vector<std::string> names;
  names.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint32_t size = 0;
    if (!get(in, size) || size > (1u << 24)) return refuse("damaged (string table)");
    std::string s(size, '\0');
    if (!in.read(s.data(), size)) return refuse("damaged (cut short)");
    names.push_back(std::move(s));
  }
  if (!get(in, count) || count > (1u << 31)) return refuse("damaged (cut short)");
  // The file's string ids become this ledger's (the same when this ledger was empty).
  std::vector<std::uint32_t> remap(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) remap[i] = intern(names[i]);
  // Read in slices straight behind the vector's end: no zero-fill of memory about to be
  // overwritten (it was a sixth of a rescan). Growing the vector faults in fresh pages, which
  // are dear on a VM: callers loading several files reserve() for all of them first.
  if (entries_.capacity() < before + count) entries_.reserve(before + count);
  std::vector<local_entry> slice(2048);
  const auto strings = static_cast<std::uint32_t>(names.size());
  std::uint64_t read = 0;
  while (read < count) {
    const std::size_t n = std::min<std::size_t>(slice.size(), count - read);
    if (!in.read(reinterpret_cast<char*>(slice.data()),
                 static_cast<std::streamsize>(n * sizeof(local_entry))))
      return refuse("damaged (cut short)");
    for (std::size_t i = 0; i < n; ++i) {
      local_entry& e = slice[i];
      if (without_files) e.file = 0;  // padding bytes then, not a string id
      for (std::uint32_t* id :
           {&e.raw_model, &e.vendor, &e.agent, &e.project, &e.session, &e.task, &e.file}) {
        if (*id >= strings) return refuse("damaged (an entry names no string)");
        *id = remap[*id];
      }
      if (static_cast<unsigned>(e.source) > static_cast<unsigned>(local_source::gemini))
        return refuse("damaged (an entry names no string)");
    }
    entries_.insert(entries_.end(), slice.begin(), slice.begin() + static_cast<std::ptrdiff_t>(n));
    read += n;
  }
  if (in.peek() != std::char_traits<char>::eof()) return refuse("damaged (bytes after the end)");
  slots_.clear();  // indexed again on the next merge
  alt_slots_.clear();
  return true;
}

}  // namespace costs
