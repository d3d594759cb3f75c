// Throwaway databases on the Postgres that scripts/test started (DATABASE_URL): each test gets
// its own, migrated or not, dropped afterwards. Objects are named costs_test_*.
#pragma once

#include <string>

#include <pqxx/pqxx>

namespace costs::test {

/// $DATABASE_URL. @throws std::runtime_error when unset: these tests never skip silently.
std::string admin_url();

/// `url` with its database replaced by `dbname`.
std::string with_database(const std::string& url, const std::string& dbname);

/// `url` that logs in as before and then acts as `role` (libpq options=-c role=...).
std::string as_role(const std::string& url, const std::string& role);

class test_database {
 public:
  test_database();
  ~test_database();
  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  /// Applies supabase/migrations from the source tree.
  void migrate() const;
  /// A superuser connection to this database.
  pqxx::connection connect() const { return pqxx::connection(url_); }

 private:
  std::string name_;
  std::string url_;
};

}  // namespace costs::test
