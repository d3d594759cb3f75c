// costs/migrations.hpp: applying supabase/migrations to a plain Postgres.
//
// Files are named <UTC timestamp>_<name>.sql, as the Supabase CLI wants, and applied in name
// order. What was applied is recorded in supabase_migrations.schema_migrations, the table the
// Supabase CLI itself keeps, so `supabase db push` and `costs-sync db migrate` agree.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace costs {

struct migration {
  std::string version;  ///< "20261122000100"
  std::string name;     ///< "create_usage_snapshots"
  std::string sql;
};

/// The migrations built into this binary (supabase/migrations when it was built), in order.
std::vector<migration> shipped_migrations();

/// Reads every *.sql in `dir`, in version order.
/// @throws costs::config_error if the directory is missing or a file is misnamed.
std::vector<migration> load_migrations(const std::filesystem::path& dir);

struct migrate_result {
  std::vector<std::string> applied;  ///< versions applied by this call
  std::size_t already_applied = 0;
};

/// Applies what is not yet recorded, each migration in its own transaction with its record.
/// Concurrent callers serialise on an advisory lock. A second call is a no-op.
/// @throws costs::store_error naming the migration that failed.
migrate_result apply_migrations(const std::string& database_url,
                                const std::vector<migration>& migrations);

}  // namespace costs
