// costs/error.hpp: the exceptions libcosts throws, each with a stable code.
//
// We throw for broken contracts and bad configuration only; failures a caller should expect
// (a provider down, a malformed log line) come back as values. The code starts what() in
// brackets, so a message can be searched for: "[config.missing_target] no --target given".
// No message ever contains a credential.
#pragma once

#include <stdexcept>
#include <string>

namespace costs {

class error : public std::runtime_error {
 public:
  error(std::string code, const std::string& message);
  /// The stable id, e.g. "store.unavailable" or "pricing.bad_file".
  const std::string& code() const noexcept { return code_; }
  /// The message without the "[code] " prefix.
  const std::string& message() const noexcept { return message_; }

 private:
  std::string code_;
  std::string message_;
};

/// Bad configuration or arguments: a missing target, an unreadable price file.
class config_error : public error {
 public:
  using error::error;
};

/// Text that does not parse: a money amount, a timestamp, a JSON document.
class parse_error : public error {
 public:
  using error::error;
};

/// The database refused or could not be reached.
class store_error : public error {
 public:
  using error::error;
};

}  // namespace costs
