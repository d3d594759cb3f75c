// Private: turns libpqxx exceptions into one actionable costs::store_error line, in the codes
// costs/target.hpp names: store.unavailable, store.bad_value, store.query.
#pragma once

#include <string>

#include <pqxx/except>

#include "costs/error.hpp"

namespace costs::detail {

store_error to_store_error(const pqxx::failure& e, const std::string& doing);

}  // namespace costs::detail
