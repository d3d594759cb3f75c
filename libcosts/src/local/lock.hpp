// Private: an exclusive lock on a state directory, held for the life of the object.
#pragma once

#include <filesystem>

namespace costs::detail {

class state_lock {
 public:
  /// Blocks until no other process holds the directory. @throws costs::error if it can't.
  explicit state_lock(const std::filesystem::path& dir);
  ~state_lock();
  state_lock(const state_lock&) = delete;
  state_lock& operator=(const state_lock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace costs::detail
