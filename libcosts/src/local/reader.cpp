#include "local/reader.hpp"

#include "local/find.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

#include <algorithm>

#include <simdjson.h>
#include <zstd.h>

namespace costs::detail {
namespace {

constexpr std::size_t chunk_size = 1 << 20;
constexpr std::size_t padding = simdjson::SIMDJSON_PADDING;

class fd_guard {
 public:
  explicit fd_guard(int fd) : fd_(fd) {}
  ~fd_guard() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

line_reader::line_reader() = default;

void line_reader::scan_lines(const char* data, std::size_t begin, std::size_t end,
                             std::size_t readable, std::uint64_t base, std::string_view marker,
                             const line_callback& on_line) {
  auto emit = [&](std::size_t line_start, std::size_t line_end) {
    std::string_view line(data + line_start, line_end - line_start);
    if (line_end + padding > readable) {  // too near the end of the mapping to read past it
      padded_.assign(line);
      padded_.append(padding, ' ');
      line = std::string_view(padded_.data(), line.size());
    }
    on_line(line, base + line_start);
  };
  std::size_t pos = begin;
  while (pos < end) {
    if (!marker.empty()) {
      // Jump to the next marker; the line around it is the only one worth parsing.
      const std::size_t found = find_marker(std::string_view(data + pos, end - pos), marker);
      if (found == std::string_view::npos) return;
      const std::size_t at = pos + found;
      const void* nl_before = at > pos ? memrchr(data + pos, '\n', at - pos) : nullptr;
      const std::size_t line_start =
          nl_before ? static_cast<std::size_t>(static_cast<const char*>(nl_before) - data) + 1
                    : pos;
      const void* nl = std::memchr(data + at, '\n', end - at);
      const std::size_t line_end =
          nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - data) : end;
      emit(line_start, line_end);
      pos = line_end + 1;
    } else {
      const void* nl = std::memchr(data + pos, '\n', end - pos);
      const std::size_t line_end =
          nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - data) : end;
      if (line_end > pos) emit(pos, line_end);
      pos = line_end + 1;
    }
  }
}

read_result line_reader::read(const std::filesystem::path& path, std::uint64_t offset,
                              std::string_view marker, const line_callback& on_line) {
  read_result result;
  result.end_offset = offset;
  fd_guard fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    result.ok = false;
    result.error = std::strerror(errno);
    return result;
  }
#if defined(POSIX_FADV_SEQUENTIAL)
  posix_fadvise(fd.get(), static_cast<off_t>(offset), 0, POSIX_FADV_SEQUENTIAL);
#endif
  // Reading into one reused buffer measured faster here than mapping windows of the file.
  if (buffer_.size() < chunk_size + padding) buffer_.resize(chunk_size + padding);
  std::size_t filled = 0;       // bytes in buffer_ not yet handed out
  std::uint64_t base = offset;  // file offset of buffer_[0]
  for (;;) {
    if (filled == buffer_.size() - padding) buffer_.resize(buffer_.size() * 2);  // a huge line
    const ssize_t n = ::pread(fd.get(), buffer_.data() + filled, buffer_.size() - padding - filled,
                              static_cast<off_t>(base + filled));
    if (n < 0) {
      if (errno == EINTR) continue;
      result.ok = false;
      result.error = std::strerror(errno);
      return result;
    }
    if (n == 0) break;
    result.bytes_read += static_cast<std::uint64_t>(n);
    filled += static_cast<std::size_t>(n);
    const void* last_nl = memrchr(buffer_.data(), '\n', filled);
    if (last_nl == nullptr) continue;  // no complete line yet: read more
    const std::size_t complete =
        static_cast<std::size_t>(static_cast<const char*>(last_nl) - buffer_.data()) + 1;
    // The '\n' itself is not part of the line; the buffer's padding keeps reads past it legal.
    scan_lines(buffer_.data(), 0, complete - 1, buffer_.size(), base, marker, on_line);
    result.end_offset = base + complete;
    std::memmove(buffer_.data(), buffer_.data() + complete, filled - complete);
    filled -= complete;
    base += complete;
  }
  // A last line without '\n' may still be being written: leave it for the next scan.
  return result;
}

read_result line_reader::read_zstd(const std::filesystem::path& path, std::string_view marker,
                                   const line_callback& on_line) {
  read_result result;
  fd_guard fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    result.ok = false;
    result.error = std::strerror(errno);
    return result;
  }
  if (buffer_.size() < chunk_size + padding) buffer_.resize(chunk_size + padding);
  ZSTD_DStream* stream = ZSTD_createDStream();
  ZSTD_initDStream(stream);
  std::vector<char> in(ZSTD_DStreamInSize());
  std::size_t filled = 0;
  std::uint64_t base = 0;
  std::uint64_t file_bytes = 0;
  bool eof = false;
  while (!eof) {
    const ssize_t n = ::read(fd.get(), in.data(), in.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      result.ok = false;
      result.error = std::strerror(errno);
      break;
    }
    if (n == 0) eof = true;
    file_bytes += static_cast<std::uint64_t>(n);
    ZSTD_inBuffer input{in.data(), static_cast<std::size_t>(n), 0};
    while (input.pos < input.size || (eof && filled > 0)) {
      if (filled == buffer_.size() - padding) buffer_.resize(buffer_.size() * 2);
      ZSTD_outBuffer output{buffer_.data() + filled, buffer_.size() - padding - filled, 0};
      if (input.pos < input.size) {
        const std::size_t rc = ZSTD_decompressStream(stream, &output, &input);
        if (ZSTD_isError(rc)) {
          result.ok = false;
          result.error = ZSTD_getErrorName(rc);
          ZSTD_freeDStream(stream);
          return result;
        }
      }
      filled += output.pos;
      const void* last_nl = memrchr(buffer_.data(), '\n', filled);
      const bool flush_all = eof && input.pos >= input.size;
      std::size_t complete = last_nl ? static_cast<const char*>(last_nl) - buffer_.data() + 1 : 0;
      if (flush_all) complete = filled;  // an archive is finished: its last line counts too
      if (complete > 0) {
        const std::size_t end = buffer_[complete - 1] == '\n' ? complete - 1 : complete;
        scan_lines(buffer_.data(), 0, end, buffer_.size(), base, marker, on_line);
        std::memmove(buffer_.data(), buffer_.data() + complete, filled - complete);
        filled -= complete;
        base += complete;
      }
      if (flush_all) break;
    }
  }
  ZSTD_freeDStream(stream);
  result.bytes_read = file_bytes;
  result.end_offset = file_bytes;
  return result;
}

}  // namespace costs::detail
