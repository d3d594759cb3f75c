#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace costs::test {
namespace {

pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            int& out_fd, int& err_fd) {
  // Close-on-exec: a child started at the same time from another thread must not inherit these
  // ends, or this child's output would stay open until that one exits.
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(out[0]);
    close(out[1]);
    close(err[0]);
    close(err[1]);
    for (const auto& [k, v] : env) {
      if (v.empty())
        unsetenv(k.c_str());
      else
        setenv(k.c_str(), v.c_str(), 1);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    std::fprintf(stderr, "exec %s failed: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  out_fd = out[0];
  err_fd = err[0];
  return pid;
}

// Reads both pipes until both close, so neither child pipe can fill and block the child.
void drain(int out_fd, int err_fd, std::string& out, std::string& err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open_count = 2;
  char buf[65536];
  while (open_count > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? out : err).append(buf, static_cast<std::size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
}

int wait_exit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

process_result run_process(const std::vector<std::string>& argv,
                           const std::map<std::string, std::string>& env) {
  process_result r;
  int out_fd = -1, err_fd = -1;
  const pid_t pid = spawn(argv, env, out_fd, err_fd);
  drain(out_fd, err_fd, r.out, r.err);
  r.exit_code = wait_exit(pid);
  return r;
}

child_process::child_process(const std::vector<std::string>& argv,
                             const std::map<std::string, std::string>& env) {
  pid_ = spawn(argv, env, out_fd_, err_fd_);
  // Block until the first full line (or EOF): the child's own signal that it is ready.
  char c;
  while (read(out_fd_, &c, 1) == 1 && c != '\n') first_line_ += c;
}

int child_process::stop(int sig) {
  signal(sig);
  return wait();
}

void child_process::signal(int signal) {
  if (pid_ >= 0) kill(pid_, signal);
}

int child_process::wait() {
  if (pid_ < 0) return -1;
  std::string rest;
  drain(out_fd_, err_fd_, rest, err_);
  out_fd_ = err_fd_ = -1;
  const int code = wait_exit(pid_);
  pid_ = -1;
  return code;
}

child_process::~child_process() {
  if (pid_ >= 0) stop(SIGKILL);
}

std::string child_process::announced_base() const {
  const auto at = first_line_.find("http://");
  if (at == std::string::npos)
    throw std::runtime_error("the server did not start: '" + first_line_ + "'");
  return first_line_.substr(at, first_line_.find(' ', at) - at);
}

}  // namespace costs::test
