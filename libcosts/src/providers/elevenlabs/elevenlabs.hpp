// Private: the elevenlabs provider's factory, listed in providers/registry.cpp.
#pragma once

#include <memory>

#include "costs/provider.hpp"

namespace costs::detail {

std::unique_ptr<provider> make_elevenlabs_provider();

}  // namespace costs::detail
