#include "support/fake_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <stdexcept>

namespace costs::test {

test_http_server::test_http_server(handler on_request) : on_request_(std::move(on_request)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int yes = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener_, 64) != 0)
    throw std::runtime_error("fake_http_server: cannot listen on 127.0.0.1");
  socklen_t len = sizeof addr;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

test_http_server::~test_http_server() {
  {
    std::lock_guard<std::mutex> lock(workers_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  ::shutdown(listener_, SHUT_RDWR);
  ::close(listener_);
  thread_.join();
  for (auto& w : workers_) w.join();  // the accept thread has stopped adding
}

std::string test_http_server::base() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void test_http_server::serve() {
  while (!stopping_) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    std::lock_guard<std::mutex> lock(workers_mutex_);
    workers_.emplace_back([this, client] {
      answer(client);
      ::close(client);
    });
  }
}

void test_http_server::answer(int client) {
  std::string request;
  char buf[8192];
  while (request.find("\r\n\r\n") == std::string::npos) {
    const ssize_t n = ::recv(client, buf, sizeof buf, 0);
    if (n <= 0) return;
    request.append(buf, static_cast<std::size_t>(n));
  }
  recorded_request rec;
  const auto line_end = request.find("\r\n");
  const std::string line = request.substr(0, line_end);
  const auto sp1 = line.find(' '), sp2 = line.rfind(' ');
  rec.method = line.substr(0, sp1);
  rec.path = line.substr(sp1 + 1, sp2 - sp1 - 1);
  for (std::size_t pos = line_end + 2; pos < request.size();) {
    const auto end = request.find("\r\n", pos);
    if (end == std::string::npos || end == pos) break;
    const std::string header = request.substr(pos, end - pos);
    if (const auto colon = header.find(':'); colon != std::string::npos) {
      std::string name = header.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      rec.headers[name] = header.substr(header.find_first_not_of(' ', colon + 1));
    }
    pos = end + 2;
  }
  const std::size_t body_start = request.find("\r\n\r\n") + 4;
  std::size_t length = 0;
  if (auto it = rec.headers.find("content-length"); it != rec.headers.end())
    length = std::stoul(it->second);
  while (request.size() < body_start + length) {
    const ssize_t n = ::recv(client, buf, sizeof buf, 0);
    if (n <= 0) break;
    request.append(buf, static_cast<std::size_t>(n));
  }
  rec.body = request.substr(body_start, length);
  const fake_response response = on_request_(rec);
  if (response.delay_ms > 0) {
    std::unique_lock<std::mutex> lock(workers_mutex_);
    stop_cv_.wait_for(lock, std::chrono::milliseconds(response.delay_ms),
                      [this] { return stopping_.load(); });
  }
  if (response.hang_up) return;
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " Fake\r\n";
  out += "Content-Type: application/json\r\nConnection: close\r\n";
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  for (const auto& [k, v] : response.headers) out += k + ": " + v + "\r\n";
  out += "\r\n" + response.body;
  ::send(client, out.data(), out.size(), MSG_NOSIGNAL);
}

fake_http_server::fake_http_server()
    : server_([this](const recorded_request& request) { return respond(request); }) {}

void fake_http_server::on(const std::string& path, std::vector<fake_response> responses) {
  std::lock_guard<std::mutex> lock(mutex_);
  routes_[path] = std::move(responses);
  served_[path] = 0;
}

std::vector<recorded_request> fake_http_server::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

fake_response fake_http_server::respond(const recorded_request& rec) {
  const std::string path = rec.path.substr(0, rec.path.find('?'));
  std::lock_guard<std::mutex> lock(mutex_);
  requests_.push_back(rec);
  if (auto it = routes_.find(path); it != routes_.end() && !it->second.empty()) {
    std::size_t& n = served_[path];
    const fake_response response = it->second[std::min(n, it->second.size() - 1)];
    ++n;
    return response;
  }
  return {404, R"({"error":{"code":404,"message":"no such route in the fake"}})"};
}

}  // namespace costs::test
