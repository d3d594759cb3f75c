#include "costs/error.hpp"

namespace costs {

error::error(std::string code, const std::string& message)
    : std::runtime_error("[" + code + "] " + message), code_(std::move(code)), message_(message) {}

}  // namespace costs
