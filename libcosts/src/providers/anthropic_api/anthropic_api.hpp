// Private: the anthropic_api provider's factory, listed in providers/registry.cpp.
#pragma once

#include <memory>

#include "costs/provider.hpp"

namespace costs::detail {

std::unique_ptr<provider> make_anthropic_api_provider();

}  // namespace costs::detail
