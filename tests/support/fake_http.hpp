// A fake provider API for tests: a real HTTP server on 127.0.0.1 (a free port) that answers
// each path with scripted responses, in order, and records what it was asked. Faults are
// responses too: a status with Retry-After, a body that is not JSON, a delay longer than the
// client's timeout, a connection closed without an answer.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace costs::test {

struct fake_response {
  fake_response(int status_, std::string body_, std::map<std::string, std::string> headers_ = {},
                int delay_ms_ = 0)
      : status(status_),
        body(std::move(body_)),
        headers(std::move(headers_)),
        delay_ms(delay_ms_) {}
  int status = 200;
  std::string body;
  std::map<std::string, std::string> headers;
  int delay_ms = 0;      ///< wait before answering (a timeout, for a short client timeout)
  bool hang_up = false;  ///< close the connection without answering
};

struct recorded_request {
  std::string method, path;                    ///< path includes the query
  std::map<std::string, std::string> headers;  ///< names lowercased
  std::string body;
};

class fake_http_server {
 public:
  fake_http_server();
  ~fake_http_server();
  fake_http_server(const fake_http_server&) = delete;
  fake_http_server& operator=(const fake_http_server&) = delete;

  /// "http://127.0.0.1:PORT"
  std::string base() const;
  /// Answers `path` (without query) with `responses` in turn; the last one repeats.
  void on(const std::string& path, std::vector<fake_response> responses);
  std::vector<recorded_request> requests() const;

 private:
  void serve();
  void answer(int client);
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<fake_response>> routes_;
  std::map<std::string, std::size_t> served_;
  std::vector<recorded_request> requests_;
  std::thread thread_;
};

}  // namespace costs::test
