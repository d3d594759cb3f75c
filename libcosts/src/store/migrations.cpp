#include "costs/migrations.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <pqxx/pqxx>

#include "costs/error.hpp"
#include "data/embedded.hpp"
#include "store/pg_error.hpp"

namespace costs {
namespace fs = std::filesystem;
namespace {

// Any constant works; it only has to be the same for every migrator.
constexpr long long migrate_lock_key = 0x636f737473;  // "costs"

bool valid_name(const std::string& stem, std::string& version, std::string& name) {
  if (stem.size() < 16 || stem[14] != '_') return false;
  version = stem.substr(0, 14);
  name = stem.substr(15);
  if (!std::all_of(version.begin(), version.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

std::vector<migration> shipped_migrations() {
  std::vector<migration> out;
  for (const auto& file : detail::embedded_migrations()) {
    migration m;
    const std::string name(file.name);
    if (!valid_name(name.substr(0, name.size() - 4), m.version, m.name))
      throw config_error("migrate.bad_name", "built-in migration " + name + " is misnamed");
    m.sql = std::string(file.text);
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<migration> load_migrations(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw config_error("migrate.no_dir", "migrations directory not found: " + dir.string());
  std::vector<migration> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".sql") continue;
    migration m;
    if (!valid_name(entry.path().stem().string(), m.version, m.name))
      throw config_error("migrate.bad_name",
                         "migration file " + entry.path().filename().string() +
                             " is not named <14-digit UTC timestamp>_<name>.sql");
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    m.sql = buf.str();
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(),
            [](const migration& a, const migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version)
      throw config_error("migrate.duplicate", "two migrations share version " + out[i].version);
  }
  return out;
}

migrate_result apply_migrations(const std::string& database_url,
                                const std::vector<migration>& migrations) {
  migrate_result result;
  std::string current = "connecting";
  try {
    pqxx::connection conn(database_url);
    {
      pqxx::nontransaction lock(conn);
      lock.exec("select pg_advisory_lock(" + std::to_string(migrate_lock_key) + ")");
    }
    {
      pqxx::work setup(conn);
      setup.exec(
          "create schema if not exists supabase_migrations;"
          "create table if not exists supabase_migrations.schema_migrations"
          " (version text not null primary key, statements text[], name text)");
      setup.commit();
    }
    std::set<std::string> applied;
    {
      pqxx::read_transaction read(conn);
      for (const auto& row : read.exec("select version from supabase_migrations.schema_migrations"))
        applied.insert(row[0].as<std::string>());
    }
    for (const auto& m : migrations) {
      if (applied.count(m.version) != 0) {
        ++result.already_applied;
        continue;
      }
      current = "applying migration " + m.version + "_" + m.name;
      pqxx::work tx(conn);
      tx.exec(m.sql);
      tx.exec_params(
          "insert into supabase_migrations.schema_migrations (version, name, statements)"
          " values ($1, $2, array[$3])",
          m.version, m.name, m.sql);
      tx.commit();
      result.applied.push_back(m.version);
    }
    // Closing the connection releases the advisory lock.
    return result;
  } catch (const pqxx::failure& e) {
    throw detail::to_store_error(e, current);
  }
}

}  // namespace costs
