// Options shared by several subcommands, defined once.
#pragma once

#include <string>
#include <vector>

#include <boost/program_options.hpp>

// is_postgres_url comes with the store: one place decides what a target is.
#include "costs/batch.hpp"

namespace costs::sync {

namespace po = boost::program_options;

/// Adds --target URL; `reads` says "read from" in the help for commands that only read.
void add_target_option(po::options_description& options, std::string& target, bool reads = false);

/// The target: the flag, else COSTS_TARGET (environment, then config file), else the local
/// database scripts/run made under COSTS_HOME/pg. Empty when there is none of these.
std::string resolve_target(const std::string& flag);

/// resolve_target, or @throws costs::config_error saying how to name one. When `reading` and the
/// target is the local cluster, also throws if that cluster is not running (a write would spool
/// for the next run instead).
std::string require_target(const std::string& flag, bool reading = true);

/// postgresql://postgres@/costs?host=COSTS_HOME/pg/sock when scripts/run made that cluster.
std::string local_target();

/// Parses `args` into `vm`; returns false after printing help when --help was given.
/// @throws po::error on unknown or malformed options.
bool parse_options(const std::vector<std::string>& args, const po::options_description& options,
                   po::variables_map& vm, const std::string& usage,
                   const po::positional_options_description* positional = nullptr,
                   const po::options_description* hidden = nullptr);

/// For commands with actions ("db migrate", "prices show"): parses `args`, whose first word is
/// the action, and returns it; returns "" when --help was printed instead.
/// @throws costs::config_error when the action is missing or not one of `actions`.
std::string parse_action(const std::vector<std::string>& args,
                         const po::options_description& options, po::variables_map& vm,
                         const std::string& command, const std::vector<std::string>& actions,
                         const std::string& usage);

}  // namespace costs::sync
