// Helpers every local parser shares.
#include "costs/calendar.hpp"
#include "costs/model_names.hpp"
#include "local/parsers.hpp"

namespace costs::detail {

std::uint32_t file_batch::intern(std::string_view s) {
  if (s.empty()) return 0;
  // A file repeats the same few strings (session, project, model) line after line.
  for (std::uint32_t id : recent_)
    if (id != 0 && strings_[id] == s) return id;
  const std::uint32_t id = lookup(s);
  recent_[next_recent_++ % recent_.size()] = id;
  return id;
}

std::uint32_t file_batch::lookup(std::string_view s) {
  auto it = ids_.find(std::string(s));
  if (it != ids_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(strings_.size());
  strings_.emplace_back(s);
  ids_.emplace(strings_.back(), id);
  return id;
}

std::uint32_t file_batch::vendor_of(std::string_view model) {
  if (model != last_model_ || last_model_.empty()) {
    last_model_.assign(model);
    last_vendor_ = intern(detect_vendor(model));
  }
  return last_vendor_;
}

std::int64_t iso_to_us(std::string_view iso) {
  try {
    return parse_timestamp(iso).time_since_epoch().count();
  } catch (const std::exception&) {
    return -1;
  }
}

simdjson::padded_string_view padded(std::string_view line) {
  // The reader guarantees simdjson::SIMDJSON_PADDING readable bytes after every line it hands out.
  return simdjson::padded_string_view(line.data(), line.size(),
                                      line.size() + simdjson::SIMDJSON_PADDING);
}

}  // namespace costs::detail
