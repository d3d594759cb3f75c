// costs/spool.hpp: runs waiting to be sent, on disk, so nothing collected is ever lost.
//
// A run is written to the spool before it is sent and removed once the target committed it.
// If the target is down, or the process dies, the file stays and the next run sends it first;
// run ids make a resend add nothing that already landed. Files are written whole (a temporary
// name, then a rename), so a half-written spool file never exists.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <vector>

#include "costs/batch.hpp"

namespace costs {

class spool {
 public:
  /// Uses (and creates) `dir`, e.g. $COSTS_HOME/spool.
  explicit spool(std::filesystem::path dir);

  /// Writes `batch`; returns its file. @throws costs::error if it cannot be written.
  std::filesystem::path put(const sync_batch& batch);
  /// Waiting files, oldest first.
  std::vector<std::filesystem::path> pending() const;
  /// @throws costs::parse_error for a damaged file.
  static sync_batch load(const std::filesystem::path& file);
  static void remove(const std::filesystem::path& file);

  const std::filesystem::path& dir() const noexcept { return dir_; }

 private:
  std::filesystem::path dir_;
};

/// An exclusive lock on a file (flock), held for the life of the object: two runs at once
/// cannot interleave. Waits up to `wait` for another holder, calling `on_wait` once if it must.
class file_lock {
 public:
  file_lock(const std::filesystem::path& file, std::chrono::milliseconds wait,
            const std::function<void()>& on_wait = {});
  ~file_lock();
  file_lock(const file_lock&) = delete;
  file_lock& operator=(const file_lock&) = delete;
  /// False when another process kept the lock for the whole wait.
  bool held() const noexcept { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

}  // namespace costs
