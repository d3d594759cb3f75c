// Private: an exclusive lock on one agent's state in a state directory, held for the life of
// the object: scans of different agents run side by side, two scans of one agent never do.
#pragma once

#include <filesystem>
#include <string>

namespace costs::detail {

class state_lock {
 public:
  /// Blocks until no other process or thread holds `<dir>/<name>.lock`.
  /// @throws costs::error if it can't.
  state_lock(const std::filesystem::path& dir, const std::string& name);
  ~state_lock();
  state_lock(const state_lock&) = delete;
  state_lock& operator=(const state_lock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace costs::detail
