// claude_local: the claude agent's logs on this machine (parse.cpp reads its lines).
#include "providers/claude_local/claude_local.hpp"

#include "providers/local_provider.hpp"

namespace costs::detail {

std::unique_ptr<provider> make_claude_local_provider() {
  return make_local_provider(local_source::claude);
}

}  // namespace costs::detail
