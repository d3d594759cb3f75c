// openclaw_local: the openclaw agent's logs on this machine (parse.cpp reads its lines).
#include "providers/openclaw_local/openclaw_local.hpp"

#include "providers/local_provider.hpp"

namespace costs::detail {

std::unique_ptr<provider> make_openclaw_local_provider() {
  return make_local_provider(local_source::openclaw);
}

}  // namespace costs::detail
