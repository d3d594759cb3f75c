// Small real HTTP servers for tests, on 127.0.0.1 and a free port: `test_http_server` answers
// every request with a handler; `fake_http_server` is one with scripted responses per path,
// standing in for a provider's API (faults included: a status with Retry-After, a body that
// is not JSON, a delay longer than the client's timeout, a connection closed without answer).
// Each connection is answered on its own thread, as a real server would: a slow answer to one
// client never holds up another.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
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

class test_http_server {
 public:
  using handler = std::function<fake_response(const recorded_request&)>;
  explicit test_http_server(handler on_request);
  ~test_http_server();
  test_http_server(const test_http_server&) = delete;
  test_http_server& operator=(const test_http_server&) = delete;

  /// "http://127.0.0.1:PORT"
  std::string base() const;

 private:
  void serve();
  void answer(int client);
  handler on_request_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex workers_mutex_;
  std::condition_variable stop_cv_;  ///< wakes delayed answers when the server stops
  std::vector<std::thread> workers_;
  std::thread thread_;
};

class fake_http_server {
 public:
  fake_http_server();
  std::string base() const { return server_.base(); }
  /// Answers `path` (without query) with `responses` in turn; the last one repeats.
  void on(const std::string& path, std::vector<fake_response> responses);
  std::vector<recorded_request> requests() const;

 private:
  fake_response respond(const recorded_request& request);
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<fake_response>> routes_;
  std::map<std::string, std::size_t> served_;
  std::vector<recorded_request> requests_;
  test_http_server server_;  // last: it calls respond() until it is destroyed, first
};

}  // namespace costs::test
