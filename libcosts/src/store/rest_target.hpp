// Private: costs::target over Supabase's REST API (PostgREST), opened by costs::open_target.
#pragma once

#include <memory>
#include <string>

#include "costs/target.hpp"

namespace costs::detail {

/// @throws costs::config_error without a key.
std::unique_ptr<target> open_rest_target(const std::string& base, const std::string& key);

}  // namespace costs::detail
