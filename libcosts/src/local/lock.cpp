#include "local/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "costs/error.hpp"

namespace costs::detail {

state_lock::state_lock(const std::filesystem::path& dir, const std::string& name) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const auto path = (dir / (name + ".lock")).string();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw error("local.state", "cannot open " + path + ": " + std::strerror(errno));
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR)
      throw error("local.state", "cannot lock " + path + ": " + std::strerror(errno));
  }
}

state_lock::~state_lock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

}  // namespace costs::detail
