// costs/paths.hpp: where state and shipped data live.
//
// Shipped data (prices.json, the migrations) is built into the binary, so a moved checkout or an
// installed copy reads what it was built with; environment variables may point elsewhere.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace costs {

/// $COSTS_HOME, else ~/.local/share/costs. Not created here.
std::filesystem::path costs_home();

/// The user's config directory: $XDG_CONFIG_HOME/costs, else ~/.config/costs. Not created here.
std::filesystem::path config_dir();

/// The user's home: $HOME (or the password database).
std::filesystem::path home_dir();

/// The running program's own path (resolved), or nullopt where the system cannot say.
std::optional<std::filesystem::path> executable_path();

/// A migrations directory to use instead of the ones built in: $COSTS_MIGRATIONS_DIR, else
/// nullopt (the binary carries its own: see shipped_migrations()).
std::optional<std::filesystem::path> migrations_dir();

/// A price table to use instead of the one built in: $COSTS_PRICES_FILE, else nullopt (the
/// binary carries the prices.json it was built with).
std::optional<std::filesystem::path> shipped_prices_file();

/// The user's price overrides, config_dir()/prices.json, when that file exists.
std::optional<std::filesystem::path> user_prices_file();

/// An environment variable, or nullopt when unset or empty.
std::optional<std::string> env(const char* name);

/// The hand-edited config file: $COSTS_CONFIG, else config_dir()/config. Lines are
/// `NAME = value` with the same names as the environment variables (COSTS_TARGET,
/// OPENROUTER_API_KEY, ...); `#` starts a comment; values may be quoted.
std::filesystem::path config_file();

/// A value from the config file, or nullopt. @throws costs::config_error naming the file and
/// line when a line is neither blank, a comment, nor NAME = value.
std::optional<std::string> config_value(const std::string& name);

/// Every config-file entry whose name starts with `prefix`, in file order of names (sorted).
std::vector<std::pair<std::string, std::string>> config_values_with_prefix(
    const std::string& prefix);

/// A setting: the environment variable, else the config file (flags, checked by the caller,
/// come before both).
std::optional<std::string> setting(const char* name);

/// A whole-number setting from `min` to `max` (`unit` names it in the error), `fallback` when
/// unset. @throws costs::config_error naming the setting and the value it holds otherwise.
long whole_number_setting(const char* name, long fallback, long min, long max, const char* unit);

}  // namespace costs
