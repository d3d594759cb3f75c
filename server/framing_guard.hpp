// Each request's framing, checked before Pistache's parser sees it. Pistache 0.0.5 answers a
// negative or huge Content-Length with a 500 that carries its exception's text, and waits on a
// line ended by a bare LF, or a request line without an HTTP version, until the header timeout.
// Behind this guard each is a 400 (413 for a body over the limit) at once, in the API's error
// envelope, and the connection is closed.
#pragma once

#include <cstddef>
#include <memory>

#include <pistache/router.h>

namespace costs::server {

/// The router's handler behind the framing check; `max_body` is the largest Content-Length taken.
std::shared_ptr<Pistache::Http::Handler> guarded_handler(const Pistache::Rest::Router& router,
                                                         std::size_t max_body);

}  // namespace costs::server
