// Private: the azure provider's factory, listed in providers/registry.cpp.
#pragma once

#include <memory>

#include "costs/provider.hpp"

namespace costs::detail {

std::unique_ptr<provider> make_azure_provider();

}  // namespace costs::detail
