// Private: the x_api provider's factory, listed in providers/registry.cpp.
#pragma once

#include <memory>

#include "costs/provider.hpp"

namespace costs::detail {

std::unique_ptr<provider> make_x_api_provider();

}  // namespace costs::detail
