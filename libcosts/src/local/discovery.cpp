#include "local/discovery.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <sstream>

#include "costs/paths.hpp"

namespace costs::detail {

std::vector<std::string> env_dirs(const char* name) {
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

bool is_dir(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_directory(p, ec);
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string stem_of(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  if (auto pos = name.find(".jsonl"); pos != std::string::npos) return name.substr(0, pos);
  if (auto pos = name.rfind('.'); pos != std::string::npos) return name.substr(0, pos);
  return name;
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

void keep_root(std::vector<std::filesystem::path>& roots, const std::filesystem::path& p) {
  if (is_dir(p) && std::find(roots.begin(), roots.end(), p) == roots.end()) roots.push_back(p);
}

bool file_list::add(const std::filesystem::path& p, file_kind kind, std::string agent,
                    std::string task) {
  found_file f;
  f.path = p.string();
  f.kind = kind;
  f.agent = std::move(agent);
  f.task = std::move(task);
  if (!stat_file(f.path, f.id)) return false;
  files_.push_back(std::move(f));
  return true;
}

}  // namespace costs::detail
