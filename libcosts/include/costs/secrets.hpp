// costs/secrets.hpp: keeping credentials out of everything we print or store.
#pragma once

#include <string>
#include <string_view>

namespace costs {

/// A URL fit to print: the password of "scheme://user:password@host" becomes "***".
///     costs::redact_url("postgresql://svc:hunter2@db/x")  // "postgresql://svc:***@db/x"
std::string redact_url(std::string_view url);

/// `text` with every occurrence of `secret` replaced by "***" (no-op for empty secrets).
std::string redact(std::string_view text, std::string_view secret);

}  // namespace costs
