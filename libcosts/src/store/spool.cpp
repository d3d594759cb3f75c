#include "costs/spool.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "costs/error.hpp"

namespace costs {
namespace fs = std::filesystem;

spool::spool(fs::path dir) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
}

fs::path spool::put(const sync_batch& batch) {
  // A run writes here holding the run lock, so a half-written file of another run is one that
  // run was killed before finishing: it never became a spooled run, and is removed.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("run-", 0) == 0 && name.size() > 9 &&
        name.compare(name.size() - 9, 9, ".json.tmp") == 0) {
      std::error_code gone;
      fs::remove(entry.path(), gone);
    }
  }
  // Names sort by creation: the run id starts with the time in microseconds.
  const fs::path file = dir_ / ("run-" + batch.run_id + ".json");
  const fs::path temp = file.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << to_json(batch);
    if (!out.flush()) throw error("spool.write", "cannot write the spool file " + temp.string());
  }
  fs::rename(temp, file);
  return file;
}

std::vector<fs::path> spool::pending() const {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("run-", 0) == 0 && entry.path().extension() == ".json")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

sync_batch spool::load(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return batch_from_json(text.str());
}

void spool::remove(const fs::path& file) {
  std::error_code ec;
  fs::remove(file, ec);
}

file_lock::file_lock(const fs::path& file, std::chrono::milliseconds wait,
                     const std::function<void()>& on_wait) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    throw error("lock.open",
                "cannot open the lock file " + file.string() + ": " + std::strerror(errno));
  const auto deadline = std::chrono::steady_clock::now() + wait;
  bool told = false;
  for (;;) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      fd_ = fd;
      return;
    }
    if (errno != EWOULDBLOCK && errno != EINTR) break;
    if (std::chrono::steady_clock::now() >= deadline) break;
    if (!told && on_wait) on_wait();
    told = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // polling another process's lock
  }
  ::close(fd);
}

file_lock::~file_lock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace costs
