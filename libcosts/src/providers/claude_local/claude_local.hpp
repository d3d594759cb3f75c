// Private: the claude_local provider's factory, listed in providers/registry.cpp.
#pragma once

#include <memory>

#include "costs/provider.hpp"

namespace costs::detail {

std::unique_ptr<provider> make_claude_local_provider();

}  // namespace costs::detail
