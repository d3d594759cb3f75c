// Private: the provider behind claude_local, codex_local, openclaw_local and gemini_local.
// Each scans its agent's logs into the shared ledger and reports daily rows and a snapshot.
#pragma once

#include <memory>

#include "costs/local_usage.hpp"
#include "costs/provider.hpp"

namespace costs::detail {

std::unique_ptr<provider> make_local_provider(local_source source);

}  // namespace costs::detail
