#include "store/pg_error.hpp"

namespace costs::detail {
namespace {

std::string first_line(const char* text) {
  std::string s(text);
  if (auto nl = s.find('\n'); nl != std::string::npos) s.erase(nl);
  if (s.rfind("ERROR:  ", 0) == 0) s.erase(0, 8);
  return s;
}

}  // namespace

store_error to_store_error(const pqxx::failure& e, const std::string& doing) {
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    // libpqxx 6.4 leaves sqlstate() empty on some paths but always throws the subclass.
    std::string hint;
    if (dynamic_cast<const pqxx::undefined_table*>(&e) != nullptr ||
        dynamic_cast<const pqxx::undefined_column*>(&e) != nullptr) {
      hint =
          "; the schema is older than this program: run `costs-sync db migrate` "
          "(or `supabase db push`)";
    } else if (dynamic_cast<const pqxx::insufficient_privilege*>(&e) != nullptr) {
      hint = "; the database role lacks this privilege (the sync writes as the service role)";
    }
    const std::string state = sql->sqlstate();
    // Class 22 (numeric overflow, bad text for a type, ...): the value was wrong, not the
    // database, so a server can answer 400 rather than 500.
    if (dynamic_cast<const pqxx::data_exception*>(&e) != nullptr || state.rfind("22", 0) == 0)
      return store_error("store.bad_value",
                         doing + " failed: a value is out of range: " + first_line(sql->what()));
    // Class 23 (a check, not-null or foreign-key rule): the row was wrong, not the database.
    if (dynamic_cast<const pqxx::integrity_constraint_violation*>(&e) != nullptr ||
        state.rfind("23", 0) == 0)
      return store_error(
          "store.bad_value",
          doing + " failed: a value breaks a rule of the table: " + first_line(sql->what()));
    return store_error("store.query", doing + " failed: " + first_line(sql->what()) +
                                          (state.empty() ? "" : " (SQLSTATE " + state + ")") +
                                          hint);
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) {
    return store_error("store.unavailable",
                       doing + " failed: cannot reach the database: " + first_line(e.what()) +
                           "; check the target URL and that the server is up");
  }
  return store_error("store.query", doing + " failed: " + first_line(e.what()));
}

}  // namespace costs::detail
