// Child processes for tests: run a command to completion, or keep a server running.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace costs::test {

struct process_result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `argv` with the current environment plus `env` (a value of "" unsets), waits for it.
process_result run_process(const std::vector<std::string>& argv,
                           const std::map<std::string, std::string>& env = {});

/// A long-running child whose first stdout line is read on start (servers announce their port).
class child_process {
 public:
  child_process(const std::vector<std::string>& argv,
                const std::map<std::string, std::string>& env = {});
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// The first line the child printed on stdout (empty if it exited first).
  const std::string& first_line() const { return first_line_; }
  /// The http://HOST:PORT a server announced on its first line ("listening on http://...").
  /// @throws std::runtime_error quoting the line when it holds none (the server did not start).
  std::string announced_base() const;
  /// Sends `signal` and waits; returns the exit code (128+N when killed by signal N).
  int stop(int signal);
  /// Sends `signal` without waiting.
  void signal(int signal);
  /// Waits for the child to exit on its own; returns as stop() does.
  int wait();
  pid_t pid() const { return pid_; }
  /// Everything the child wrote to stderr (after stop()).
  const std::string& err() const { return err_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string first_line_;
  std::string err_;
};

}  // namespace costs::test
