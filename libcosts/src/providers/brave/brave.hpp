// Private: the brave provider's factory, listed in providers/registry.cpp.
#pragma once

#include <memory>

#include "costs/provider.hpp"

namespace costs::detail {

std::unique_ptr<provider> make_brave_provider();

}  // namespace costs::detail
