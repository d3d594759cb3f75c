#include "costs/paths.hpp"

#include <cstdlib>
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
namespace {

std::optional<fs::path> executable_dir() {
#if defined(__linux__)
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) return exe.parent_path();
#elif defined(__APPLE__)
  char buf[4096];
  std::uint32_t size = sizeof buf;
  if (_NSGetExecutablePath(buf, &size) == 0) {
    std::error_code ec;
    const fs::path exe = fs::canonical(buf, ec);
    if (!ec) return exe.parent_path();
  }
#endif
  return std::nullopt;
}

bool path_exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

}  // namespace

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
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
  if (auto dir = env("COSTS_HOME")) return *dir;
  return home_dir() / ".local" / "share" / "costs";
}

fs::path config_dir() {
  if (auto dir = env("XDG_CONFIG_HOME")) return fs::path(*dir) / "costs";
  return home_dir() / ".config" / "costs";
}

std::optional<fs::path> data_dir() {
  if (auto dir = env("COSTS_DATA_DIR")) return fs::path(*dir);
  if (auto exe = executable_dir()) {
    const fs::path installed = *exe / ".." / COSTS_INSTALL_DATADIR_REL;
    if (path_exists(installed / "prices.json")) return installed.lexically_normal();
  }
  return std::nullopt;
}

std::optional<fs::path> migrations_dir() {
  if (auto dir = env("COSTS_MIGRATIONS_DIR")) return fs::path(*dir);
  if (auto dir = data_dir(); dir && path_exists(*dir / "migrations")) return *dir / "migrations";
  const fs::path source = fs::path(COSTS_SOURCE_DIR) / "supabase" / "migrations";
  if (path_exists(source)) return source;
  return std::nullopt;
}

std::optional<fs::path> shipped_prices_file() {
  if (auto file = env("COSTS_PRICES_FILE")) return fs::path(*file);
  if (auto dir = data_dir(); dir && path_exists(*dir / "prices.json")) return *dir / "prices.json";
  const fs::path source = fs::path(COSTS_SOURCE_DIR) / "libcosts" / "data" / "prices.json";
  if (path_exists(source)) return source;
  return std::nullopt;
}

std::optional<fs::path> user_prices_file() {
  const fs::path file = config_dir() / "prices.json";
  if (path_exists(file)) return file;
  return std::nullopt;
}

}  // namespace costs
