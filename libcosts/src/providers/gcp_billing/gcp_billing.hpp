// Private: the gcp_billing provider's factory, listed in providers/registry.cpp.
#pragma once

#include <memory>

#include "costs/provider.hpp"

namespace costs::detail {

std::unique_ptr<provider> make_gcp_billing_provider();

}  // namespace costs::detail
