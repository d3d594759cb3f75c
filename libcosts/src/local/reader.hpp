// Private: reading JSONL files in fixed-size chunks, line by line, from a byte offset.
//
// Only complete lines are handed out; the end offset of the last complete line is returned so
// the next scan resumes there (an agent may be mid-write). Memory stays at one chunk however
// large the file. Lines reach the callback with simdjson::SIMDJSON_PADDING readable bytes after
// them. `marker`, when given, skips every line that does not contain it without looking at its
// bytes twice: the scan jumps from marker to marker.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace costs::detail {

struct read_result {
  std::uint64_t end_offset = 0;  ///< just past the last complete line
  std::uint64_t bytes_read = 0;
  bool ok = true;
  std::string error;
};

using line_callback = std::function<void(std::string_view line, std::uint64_t line_offset)>;

class line_reader {
 public:
  line_reader();
  /// Reads `path` from `offset`; calls `on_line` for each complete line (that contains
  /// `marker`, when it is not empty).
  read_result read(const std::filesystem::path& path, std::uint64_t offset, std::string_view marker,
                   const line_callback& on_line);
  /// The same for a zstd-compressed file, always from its start.
  read_result read_zstd(const std::filesystem::path& path, std::string_view marker,
                        const line_callback& on_line);

 private:
  // Hands out the lines of data[begin, end); `readable` bytes of data may be read.
  void scan_lines(const char* data, std::size_t begin, std::size_t end, std::size_t readable,
                  std::uint64_t base, std::string_view marker, const line_callback& on_line);
  std::vector<char> buffer_;
  std::string padded_;  // a copy of a line with padding, when the buffer has none to spare
};

}  // namespace costs::detail
