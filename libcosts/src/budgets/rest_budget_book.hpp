// Private: the budget book over Supabase's REST API.
#pragma once

#include <memory>
#include <string>

#include "costs/budgets.hpp"
#include "store/postgrest_client.hpp"

namespace costs::detail {

std::unique_ptr<budget_book> open_rest_budget_book(const std::string& base, const std::string& key);

}  // namespace costs::detail
