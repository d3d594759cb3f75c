// gemini_local: the gemini agent's logs on this machine (parse.cpp reads its lines).
#include "providers/gemini_local/gemini_local.hpp"

#include "providers/local_provider.hpp"

namespace costs::detail {

std::unique_ptr<provider> make_gemini_local_provider() {
  return make_local_provider(local_source::gemini);
}

}  // namespace costs::detail
