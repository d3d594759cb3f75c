// A small libcurl client for talking to the real server in tests.
#pragma once

#include <map>
#include <string>

namespace costs::test {

struct http_response {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  ///< names lowercased
};

/// GET `url`. @throws std::runtime_error when no response arrives at all.
http_response http_get(const std::string& url,
                       const std::map<std::string, std::string>& headers = {},
                       long timeout_ms = 30'000);

/// Any method, with a body. @throws std::runtime_error when no response arrives at all.
http_response http_send(const std::string& method, const std::string& url, const std::string& body,
                        const std::map<std::string, std::string>& headers = {},
                        long timeout_ms = 30'000);

}  // namespace costs::test
