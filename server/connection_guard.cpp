#include "connection_guard.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <pistache/http.h>
#include <pistache/peer.h>

#include "json_route.hpp"

namespace costs::server {
namespace {

using namespace Pistache;

// Tcp::Handler keeps its transport private: only the transport sets it, on the handler it was
// given. The router's own handler, to which the guard hands each checked request, never meets
// the transport, so it is given the guard's. Access is not checked in an explicit
// instantiation ([temp.spec]), which is what lets this name the member.
struct transport_of {
  using type = Tcp::Transport* Tcp::Handler::*;
  friend type member(transport_of);
};
template <typename Tag, typename Tag::type Member>
struct grant {
  friend typename Tag::type member(Tag) { return Member; }
};
template struct grant<transport_of, &Tcp::Handler::transport_>;

// Where one connection is in its stream of requests.
struct framing {
  enum class mode { head, body, unchecked, refused };
  mode at = mode::head;
  bool request_line = true;
  std::string line;
  std::uint64_t content_length = 0;
  std::uint64_t body_left = 0;
};

constexpr const char* framing_key = "costs.framing";

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The connections open now. Pistache tells a handler of the ones the client closed but not of
// those it closed itself (after a timeout), so a connection counts while its peer lives.
class connections {
 public:
  /// Counts `peer` in unless `cap` are open already.
  bool admit(const std::shared_ptr<Tcp::Peer>& peer, std::size_t cap) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (peers_.size() >= cap)  // only then is it worth looking for the ones gone
      peers_.erase(std::remove_if(peers_.begin(), peers_.end(),
                                  [](const std::weak_ptr<Tcp::Peer>& p) { return p.expired(); }),
                   peers_.end());
    if (peers_.size() >= cap) return false;
    peers_.push_back(peer);
    return true;
  }

 private:
  std::mutex mutex_;
  std::vector<std::weak_ptr<Tcp::Peer>> peers_;
};

struct refusal {
  int status = 0;  // 0: none
  std::string why;
};

class guard final : public Rest::Private::RouterHandler {
 public:
  guard(std::shared_ptr<Rest::Router> routes, guard_limits limits, metrics* stats)
      : Rest::Private::RouterHandler(routes),
        router_(std::move(routes)),
        max_body_(limits.max_body),
        max_connections_(limits.max_connections),
        stats_(stats) {}

  // Each transport gets its own copy, with its own inner handler.
  std::shared_ptr<Tcp::Handler> clone() const override {
    auto copy = std::make_shared<guard>(*this);
    copy->inner_.reset();
    return copy;
  }

 private:
  void onConnection(const std::shared_ptr<Tcp::Peer>& peer) override {
    inner().onConnection(peer);  // Pistache's own setup: the connection's request parser
    if (open_->admit(peer, max_connections_)) return;
    // Over the cap: told so at once and closed. Written straight to the new socket (its send
    // buffer is empty, so this short answer goes whole): Pistache's write queue does not yet
    // know a connection it is still setting up. Pistache then sees the close and lets it go.
    auto state = std::make_shared<framing>();
    state->at = framing::mode::refused;
    peer->putData(framing_key, state);
    if (stats_ != nullptr) stats_->connection_refused();
    static const std::string busy = [] {
      const std::string body =
          R"({"error":{"code":"busy","message":"the server has too many connections; retry )"
          R"(shortly"}})";
      return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
             "Retry-After: 5\r\nConnection: close\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n\r\n" + body;
    }();
    [[maybe_unused]] const auto sent =
        ::send(peer->fd(), busy.data(), busy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::shutdown(peer->fd(), SHUT_RDWR);
  }

  // The router's own handler, given this transport, to which checked input is handed.
  Tcp::Handler& inner() {
    if (!inner_) {
      inner_ = std::make_shared<Rest::Private::RouterHandler>(router_);
      (*inner_).*member(transport_of{}) = transport();
      inner_->setMaxRequestSize(getMaxRequestSize());
      inner_->setMaxResponseSize(getMaxResponseSize());
      inner_->setHeaderTimeout(getHeaderTimeout());
      inner_->setBodyTimeout(getBodyTimeout());
    }
    return *inner_;
  }

  void onInput(const char* buffer, size_t len, const std::shared_ptr<Tcp::Peer>& peer) override {
    auto state = std::static_pointer_cast<framing>(peer->tryGetData(framing_key));
    if (!state) {
      state = std::make_shared<framing>();
      peer->putData(framing_key, state);
    }
    if (state->at == framing::mode::refused) return;  // the connection is being closed
    const refusal r = check(*state, buffer, len);
    if (r.status != 0) {
      state->at = framing::mode::refused;
      Http::ResponseWriter response(Http::Version::Http11, transport(), this, peer);
      response.headers().add<Http::Header::Connection>(Http::ConnectionControl::Close);
      send_error(response, r.status, r.status == 413 ? "too_large" : "bad_request", r.why);
      return;
    }
    inner().onInput(buffer, len, peer);
  }

  // Follows the requests' lines and bodies; a line is judged once it is whole.
  refusal check(framing& s, const char* p, std::size_t n) const {
    std::size_t i = 0;
    while (i < n) {
      if (s.at == framing::mode::unchecked) return {};
      if (s.at == framing::mode::body) {
        const auto take = std::min<std::uint64_t>(s.body_left, n - i);
        i += static_cast<std::size_t>(take);
        s.body_left -= take;
        if (s.body_left == 0) s.at = framing::mode::head;
        continue;
      }
      const auto* nl = static_cast<const char*>(std::memchr(p + i, '\n', n - i));
      const std::size_t end = nl != nullptr ? static_cast<std::size_t>(nl - p) + 1 : n;
      s.line.append(p + i, end - i);
      i = end;
      if (nl == nullptr) {
        if (s.line.size() > 16 * 1024) s.at = framing::mode::unchecked;  // Pistache's 413
        continue;
      }
      if (s.line.size() < 2 || s.line[s.line.size() - 2] != '\r')
        return {400, "each line of a request ends with CRLF"};
      const std::string_view l(s.line.data(), s.line.size() - 2);
      if (s.request_line) {
        const auto first = l.find(' '), last = l.rfind(' ');
        const auto version = last == std::string_view::npos ? l : l.substr(last + 1);
        if (first == std::string_view::npos || first == last ||
            (version != "HTTP/1.1" && version != "HTTP/1.0"))
          return {400, "a request line is METHOD PATH HTTP/1.1"};
        s.request_line = false;
        s.content_length = 0;
      } else if (l.empty()) {  // the end of the head
        s.request_line = true;
        s.body_left = s.content_length;
        s.at = s.body_left > 0 ? framing::mode::body : framing::mode::head;
      } else {
        const auto colon = l.find(':');
        if (colon == std::string_view::npos || colon == 0)
          return {400, "a header line is NAME: VALUE"};
        const std::string name = lowercase(l.substr(0, colon));
        const std::string_view value = trim(l.substr(colon + 1));
        if (name == "content-length") {
          if (value.empty() || value.size() > 18 ||
              !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return {400, "Content-Length is a number of bytes"};
          s.content_length = std::stoull(std::string(value));
          if (s.content_length > max_body_)
            return {413, "a request body is at most " + std::to_string(max_body_) + " bytes"};
        } else if (name == "transfer-encoding") {
          s.at = framing::mode::unchecked;  // chunked: Pistache's own parser follows it
        }
      }
      s.line.clear();
    }
    return {};
  }

  std::shared_ptr<Rest::Router> router_;
  std::size_t max_body_;
  std::size_t max_connections_;
  metrics* stats_;
  std::shared_ptr<connections> open_ = std::make_shared<connections>();  // shared by copies
  std::shared_ptr<Rest::Private::RouterHandler> inner_;
};

}  // namespace

std::shared_ptr<Http::Handler> guarded_handler(const Rest::Router& router, guard_limits limits,
                                               metrics* stats) {
  return std::make_shared<guard>(std::make_shared<Rest::Router>(router), limits, stats);
}

}  // namespace costs::server
