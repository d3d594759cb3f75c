// costs/paths.hpp: where state and shipped data live.
//
// Installed binaries find their data at <prefix>/share/costs beside <prefix>/bin; binaries run
// from a build tree find it in the source tree. Environment variables override both.
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

/// The directory of shipped data (prices.json, migrations/): $COSTS_DATA_DIR, else
/// <exe>/../share/costs, else the source tree's locations. nullopt when none exists.
std::optional<std::filesystem::path> data_dir();

/// The migrations directory: $COSTS_MIGRATIONS_DIR, else data_dir()/migrations, else the
/// source tree's supabase/migrations. nullopt when none exists.
std::optional<std::filesystem::path> migrations_dir();

/// The shipped price table: $COSTS_PRICES_FILE, else data_dir()/prices.json, else the source
/// tree's libcosts/data/prices.json. nullopt when none exists.
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

}  // namespace costs
