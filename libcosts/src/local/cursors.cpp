#include "local/cursors.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <string_view>

#include "costs/error.hpp"
#include "local/hash.hpp"

namespace costs::detail {
namespace {

namespace fs = std::filesystem;

void put_u64(std::ostream& out, std::uint64_t v) {
  out.write(reinterpret_cast<const char*>(&v), 8);
}
void put_str(std::ostream& out, const std::string& s) {
  put_u64(out, s.size());
  out.write(s.data(), static_cast<std::streamsize>(s.size()));
}

constexpr std::uint64_t cursor_magic = 0x3273726f73727563ULL;  // "cursors2"

// Reads the whole file at once and decodes from memory: thousands of cursors load in a few
// milliseconds, which is most of a rescan of an unchanged tree.
class byte_reader {
 public:
  explicit byte_reader(std::string_view data) : data_(data) {}
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
  std::string_view data_;  // owned by the caller
  std::size_t pos_ = 0;
};

}  // namespace

void save_cursors(const fs::path& file, const cursor_map& cursors) {
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

cursor_map load_cursors(const fs::path& file) {
  cursor_map cursors;
  std::ifstream stream(file, std::ios::binary | std::ios::ate);
  if (!stream) return {};
  std::string bytes(static_cast<std::size_t>(stream.tellg()), '\0');
  stream.seekg(0);
  if (!stream.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) return {};
  byte_reader in(bytes);
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

std::uint64_t tail_hash(const std::string& path, std::uint64_t offset) {
  if (offset == 0) return 0;
  const std::uint64_t n = std::min<std::uint64_t>(offset, 1024);
  std::ifstream in(path, std::ios::binary);
  std::string head(n, '\0'), tail(n, '\0');
  if (!in.read(head.data(), static_cast<std::streamsize>(n))) return 1;  // unreadable: differs
  in.seekg(static_cast<std::streamoff>(offset - n));
  if (!in.read(tail.data(), static_cast<std::streamsize>(n))) return 1;
  return hash_bytes(tail, hash_bytes(head, 0x7a11));
}

}  // namespace costs::detail
