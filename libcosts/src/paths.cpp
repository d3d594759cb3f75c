#include "costs/paths.hpp"

#include "costs/error.hpp"

#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <system_error>

#if defined(__APPLE__)
#include <mach-o/dyld.h>
#endif
#if !defined(_WIN32)
#include <pwd.h>
#include <unistd.h>
#endif

namespace costs {
namespace fs = std::filesystem;

std::optional<fs::path> executable_path() {
#if defined(__linux__)
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) return exe;
#elif defined(__APPLE__)
  char buf[4096];
  std::uint32_t size = sizeof buf;
  if (_NSGetExecutablePath(buf, &size) == 0) {
    std::error_code ec;
    const fs::path exe = fs::canonical(buf, ec);
    if (!ec) return exe;
  }
#endif
  return std::nullopt;
}

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

fs::path config_file() {
  if (auto file = env("COSTS_CONFIG")) return *file;
  return config_dir() / "config";
}

namespace {

// Read once per process: a run reads many settings.
const std::map<std::string, std::string>& config_values() {
  static std::mutex mutex;
  static std::optional<std::map<std::string, std::string>> values;
  std::lock_guard<std::mutex> lock(mutex);
  if (!values) {
    values.emplace();
    const fs::path file = config_file();
    std::ifstream in(file);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      const auto first = line.find_first_not_of(" \t\r");
      if (first == std::string::npos || line[first] == '#') continue;
      const auto eq = line.find('=');
      if (eq == std::string::npos)
        throw config_error("config.bad_line", file.string() + ":" + std::to_string(number) +
                                                  ": expected NAME = value");
      auto trim = [](std::string t) {
        t.erase(0, t.find_first_not_of(" \t\r"));
        t.erase(t.find_last_not_of(" \t\r") + 1);
        return t;
      };
      std::string key = trim(line.substr(0, eq));
      std::string value = trim(line.substr(eq + 1));
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
          value.back() == value.front())
        value = value.substr(1, value.size() - 2);
      else if (const auto hash = value.find(" #"); hash != std::string::npos)
        value = trim(value.substr(0, hash));  // a trailing comment
      if (key.empty() ||
          key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos)
        throw config_error("config.bad_line",
                           file.string() + ":" + std::to_string(number) + ": '" + key +
                               "' is not a setting name (use the environment variable's name)");
      (*values)[key] = value;
    }
  }
  return *values;
}

}  // namespace

std::optional<std::string> config_value(const std::string& name) {
  const auto& values = config_values();
  auto it = values.find(name);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::vector<std::pair<std::string, std::string>> config_values_with_prefix(
    const std::string& prefix) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : config_values())
    if (k.rfind(prefix, 0) == 0 && !v.empty()) out.emplace_back(k, v);
  return out;
}

std::optional<std::string> setting(const char* name) {
  if (auto v = env(name)) return v;
  return config_value(name);
}

long whole_number_setting(const char* name, long fallback, long min, long max, const char* unit) {
  const auto v = setting(name);
  if (!v) return fallback;
  try {
    std::size_t used = 0;
    const long n = std::stol(*v, &used);
    if (used == v->size() && n >= min && n <= max) return n;
  } catch (const std::exception&) {  // not a number: the same error as one out of range
  }
  throw config_error("config.bad_number", std::string(name) + " must be a whole number of " + unit +
                                              " from " + std::to_string(min) + " to " +
                                              std::to_string(max) + ", not '" + *v + "'");
}

fs::path home_dir() {
  if (auto home = env("HOME")) return *home;
#if !defined(_WIN32)
  if (const passwd* pw = getpwuid(getuid()); pw != nullptr && pw->pw_dir != nullptr)
    return pw->pw_dir;
#endif
  return fs::current_path();
}

fs::path costs_home() {
  if (auto dir = setting("COSTS_HOME")) return *dir;
  return home_dir() / ".local" / "share" / "costs";
}

fs::path config_dir() {
  if (auto dir = env("XDG_CONFIG_HOME")) return fs::path(*dir) / "costs";
  return home_dir() / ".config" / "costs";
}

std::optional<fs::path> migrations_dir() {
  if (auto dir = env("COSTS_MIGRATIONS_DIR")) return fs::path(*dir);
  return std::nullopt;
}

std::optional<fs::path> shipped_prices_file() {
  if (auto file = env("COSTS_PRICES_FILE")) return fs::path(*file);
  return std::nullopt;
}

std::optional<fs::path> user_prices_file() {
  const fs::path file = config_dir() / "prices.json";
  std::error_code ec;
  if (fs::exists(file, ec)) return file;
  return std::nullopt;
}

}  // namespace costs
