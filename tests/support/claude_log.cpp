#include "support/claude_log.hpp"

#include <nlohmann/json.hpp>

namespace costs::test {

std::string claude_line(const claude_call& c) {
  return nlohmann::json{{"type", "assistant"},
                        {"sessionId", c.session},
                        {"cwd", "/home/dev/acme-api"},
                        {"isSidechain", false},
                        {"requestId", "req_" + c.id},
                        {"timestamp", c.time},
                        {"message",
                         {{"id", "msg_" + c.id},
                          {"model", c.model},
                          {"role", "assistant"},
                          {"type", "message"},
                          {"usage",
                           {{"input_tokens", c.input},
                            {"output_tokens", c.output},
                            {"cache_creation_input_tokens", c.cache_write},
                            {"cache_read_input_tokens", c.cache_read}}}}}}
             .dump() +
         "\n";
}

}  // namespace costs::test
