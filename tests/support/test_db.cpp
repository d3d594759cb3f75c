#include "support/test_db.hpp"

#include <atomic>
#include <random>
#include <stdexcept>

#include "costs/migrations.hpp"
#include "costs/paths.hpp"

namespace costs::test {

std::string admin_url() {
  auto url = costs::env("DATABASE_URL");
  if (!url)
    throw std::runtime_error(
        "DATABASE_URL is not set: run the tests through scripts/test, which starts Postgres");
  return *url;
}

std::string with_database(const std::string& url, const std::string& dbname) {
  const auto authority = url.find("://");
  const auto slash = url.find('/', authority + 3);
  const auto query = url.find('?', authority + 3);
  std::string out = url.substr(0, slash == std::string::npos ? query : slash);
  out += "/" + dbname;
  if (query != std::string::npos) out += url.substr(query);
  return out;
}

std::string as_role(const std::string& url, const std::string& role) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-c%20role%3D" + role;
}

test_database::test_database() {
  std::random_device rd;
  name_ = "costs_test_" + std::to_string(rd()) + std::to_string(rd() % 1000);
  url_ = with_database(admin_url(), name_);
  pqxx::connection admin(admin_url());
  pqxx::nontransaction tx(admin);
  tx.exec("create database " + tx.quote_name(name_));
}

test_database::~test_database() {
  try {
    pqxx::connection admin(admin_url());
    pqxx::nontransaction tx(admin);
    tx.exec("drop database if exists " + tx.quote_name(name_) + " with (force)");
  } catch (...) {
    // A leftover database in a throwaway cluster is harmless; the test's verdict stands.
  }
}

void test_database::migrate() const {
  costs::apply_migrations(url_, costs::load_migrations(COSTS_MIGRATIONS_SOURCE));
}

}  // namespace costs::test
