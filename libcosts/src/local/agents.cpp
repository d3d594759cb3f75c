// The local agents, one line each. A new agent is a folder under providers/ with its
// agent.cpp, a line here, and its entries in the registry and the local_source enum.
#include "local/agent.hpp"

namespace costs::detail {

const local_agent& agent_of(local_source source) {
  switch (source) {
    case local_source::claude: return claude_agent;
    case local_source::codex: return codex_agent;
    case local_source::openclaw: return openclaw_agent;
    case local_source::gemini: return gemini_agent;
  }
  return claude_agent;
}

}  // namespace costs::detail

namespace costs {

std::vector<std::filesystem::path> local_roots(local_source source) {
  return detail::agent_of(source).roots();
}

}  // namespace costs
