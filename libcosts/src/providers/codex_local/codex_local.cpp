// codex_local: the codex agent's logs on this machine (parse.cpp reads its lines).
#include "providers/codex_local/codex_local.hpp"

#include "providers/local_provider.hpp"

namespace costs::detail {

std::unique_ptr<provider> make_codex_local_provider() {
  return make_local_provider(local_source::codex);
}

}  // namespace costs::detail
