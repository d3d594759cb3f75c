// What every connection passes before a route sees it: a cap on open connections, and each
// request's framing checked before Pistache's parser sees it.
//
// Past the cap, a new connection is answered 503 with Retry-After and closed, so the server
// sheds load while it still has descriptors, rather than failing to accept. Pistache 0.0.5 answers
// a negative or huge Content-Length with a 500 that carries its exception's text, and waits on a
// line ended by a bare LF, or a request line without an HTTP version, until the header timeout.
// Behind this guard each is a 400 (413 for a body over the limit) at once, in the API's error
// envelope, and the connection is closed.
#pragma once

#include <cstddef>
#include <memory>

#include <pistache/router.h>

#include "metrics.hpp"

namespace costs::server {

struct guard_limits {
  std::size_t max_body = 64 * 1024;    ///< the largest Content-Length taken
  std::size_t max_connections = 1000;  ///< open connections past which new ones get 503
};

/// The router's handler behind the guard; `stats` (may be null) counts what it refused.
std::shared_ptr<Pistache::Http::Handler> guarded_handler(const Pistache::Rest::Router& router,
                                                         guard_limits limits, metrics* stats);

}  // namespace costs::server
