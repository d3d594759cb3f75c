// Private: the data shipped inside the library (cmake/embed_data.cmake writes the definitions at
// build time from libcosts/data/prices.json and supabase/migrations/*.sql).
#pragma once

#include <string_view>
#include <vector>

namespace costs::detail {

struct embedded_file {
  std::string_view name;  ///< "20261122000100_create_roles.sql"
  std::string_view text;
};

/// The price table this build shipped with.
std::string_view embedded_prices();

/// The migrations this build shipped with, in name order.
const std::vector<embedded_file>& embedded_migrations();

}  // namespace costs::detail
