// costs-server: JSON over the usage views, for the /costs page and anyone else.
//
//   costs-server --database-url postgresql://costs_reader@.../costs --listen 127.0.0.1:8080
//
// It prints one line, "listening on http://HOST:PORT", once it accepts connections (tests
// and scripts wait for it), and exits 0 on SIGTERM or SIGINT after in-flight requests end.
#include <pthread.h>
#include <sys/resource.h>
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <pistache/endpoint.h>
#include <boost/program_options.hpp>

#include "connection_guard.hpp"
#include "costs/budgets.hpp"
#include "costs/calendar.hpp"
#include "costs/paths.hpp"
#include "costs/secrets.hpp"
#include "db.hpp"
#include "routes.hpp"

namespace {

namespace po = boost::program_options;

constexpr std::size_t max_request_bytes = 64 * 1024;  // the API takes small JSON bodies
using namespace Pistache;

struct listen_address {
  std::string host;
  std::uint16_t port;
};

listen_address parse_listen(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("--listen wants HOST:PORT");
  const std::string port_text = text.substr(colon + 1);
  std::size_t used = 0;
  const unsigned long port = std::stoul(port_text, &used);
  if (used != port_text.size() || port > 65535) throw std::invalid_argument("bad port in --listen");
  return {text.substr(0, colon), static_cast<std::uint16_t>(port)};
}

}  // namespace

int main(int argc, char** argv) {
  std::string database_url = costs::env("DATABASE_URL").value_or("");
  std::string listen = "127.0.0.1:8080";
  int threads = 2;
  std::string token = costs::env("COSTS_API_TOKEN").value_or("");
  std::vector<std::string> cors_origins;
  std::string static_dir;
  std::string time_zone = costs::env("COSTS_TIMEZONE").value_or("UTC");
  long cache_ms = 5000;
  long drain_seconds = 10;
  int db_threads = 4;
  long statement_timeout_ms = 5000;
  long header_timeout_ms = 10'000;
  long max_connections = 0;  // 0: from the open-file limit
  std::string admin_url = costs::env("COSTS_ADMIN_DATABASE_URL").value_or("");
  std::string admin_token = costs::env("COSTS_ADMIN_TOKEN").value_or("");
  if (auto origins = costs::env("COSTS_CORS_ORIGINS")) {
    std::stringstream list(*origins);
    for (std::string o; std::getline(list, o, ',');)
      if (!o.empty()) cors_origins.push_back(o);
  }
  po::options_description options("costs-server options");
  options.add_options()("help,h", "show this help")(
      "database-url", po::value(&database_url)->value_name("URL"),
      "Postgres to read, ideally as the read-only costs_reader role (env DATABASE_URL)")(
      "listen", po::value(&listen)->value_name("HOST:PORT"),
      "address to serve on (default 127.0.0.1:8080; port 0 picks a free one)")(
      "threads", po::value(&threads)->value_name("N"), "worker threads (default 2)")(
      "token", po::value(&token)->value_name("T"),
      "reads of /api/* need T, as Authorization: Bearer T or x-auth-token: T (env "
      "COSTS_API_TOKEN); required when --listen is not a loopback address")(
      "public-reads",
      "serve reads without a token on a non-loopback address (a public "
      "dashboard); writes still need --admin-token")(
      "cors-origin", po::value(&cors_origins)->value_name("ORIGIN")->composing(),
      "let a page on ORIGIN read the API (repeatable; env COSTS_CORS_ORIGINS, comma-separated)")(
      "static-dir", po::value(&static_dir)->value_name("DIR"),
      "serve the exported page from DIR (frontend/out) beside the API")(
      "timezone", po::value(&time_zone)->value_name("ZONE"),
      "the zone whose days 'today' and 'this month' mean, unless a request says ?tz= "
      "(env COSTS_TIMEZONE; default UTC)")(
      "cache-ms", po::value(&cache_ms)->value_name("MS"),
      "reuse an answer for MS milliseconds, so a burst of page loads costs one query "
      "(default 5000; 0 turns it off)")(
      "admin-database-url", po::value(&admin_url)->value_name("URL"),
      "a role that may write budgets, for POST/DELETE /api/budgets (with --admin-token; env "
      "COSTS_ADMIN_DATABASE_URL)")(
      "admin-token", po::value(&admin_token)->value_name("T"),
      "writes (budgets, POST /api/costs/llm, POST /api/sync) need T, as Authorization: Bearer T "
      "or x-auth-token: T (env COSTS_ADMIN_TOKEN); alert channels are picked by name from "
      "COSTS_CHANNEL_<NAME> in the environment or config file")(
      "drain-seconds", po::value(&drain_seconds)->value_name("S"),
      "on SIGTERM, wait up to S seconds for requests in flight (default 10)")(
      "db-threads", po::value(&db_threads)->value_name("N"),
      "threads that wait on the database, each with its own connection (default 4)")(
      "statement-timeout-ms", po::value(&statement_timeout_ms)->value_name("MS"),
      "a query running longer is cancelled and answered 503 (default 5000)")(
      "header-timeout-ms", po::value(&header_timeout_ms)->value_name("MS"),
      "a client that has not sent its request's headers by then gets 408 and is dropped "
      "(default 10000; the body gets three times as long)")(
      "max-connections", po::value(&max_connections)->value_name("N"),
      "open connections past which new ones get 503 at once (default: the open-file limit less "
      "a margin for the database and files, at most 10000)");

  listen_address address;
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, options), vm);
    if (vm.count("help") != 0) {
      std::cout << "usage: costs-server [OPTIONS]\n\n" << options << '\n';
      return 0;
    }
    po::notify(vm);
    address = parse_listen(listen);
    // Reads are open only where the operator said so: on loopback, or with --public-reads.
    const bool loopback = address.host == "localhost" || address.host == "::1" ||
                          address.host == "[::1]" || address.host.rfind("127.", 0) == 0;
    if (!loopback && token.empty() && vm.count("public-reads") == 0)
      throw std::invalid_argument(
          "--listen " + address.host +
          " would open the API to anyone who reaches it: set --token T (env COSTS_API_TOKEN), "
          "or pass --public-reads to serve reads without one");
    if (database_url.empty())
      throw std::invalid_argument("no database: pass --database-url or set DATABASE_URL");
    if (threads < 1 || threads > 256) throw std::invalid_argument("--threads must be 1..256");
    if (cache_ms < 0 || cache_ms > 3'600'000)
      throw std::invalid_argument("--cache-ms must be 0..3600000");
    if (drain_seconds < 0 || drain_seconds > 600)
      throw std::invalid_argument("--drain-seconds must be 0..600");
    if (db_threads < 1 || db_threads > 256)
      throw std::invalid_argument("--db-threads must be 1..256");
    if (statement_timeout_ms < 100 || statement_timeout_ms > 600'000)
      throw std::invalid_argument("--statement-timeout-ms must be 100..600000");
    if (max_connections < 0 || max_connections > 1'000'000)
      throw std::invalid_argument("--max-connections must be 1..1000000 (0: from the limit)");
    if (header_timeout_ms < 100 || header_timeout_ms > 600'000)
      throw std::invalid_argument("--header-timeout-ms must be 100..600000");
    costs::time_zone::named(time_zone);  // a zone the system lacks is bad configuration
    costs::configured_channels();        // a malformed COSTS_CHANNEL_* line, said at start
  } catch (const std::exception& e) {
    std::cerr << "costs-server: " << e.what() << "; see 'costs-server --help'\n";
    return 2;
  }

  // Every connection is a descriptor: take the most the system allows (systemd's soft limit
  // is 1,024 while its hard limit is far higher), so many slow clients do not starve the rest.
  if (rlimit files{}; getrlimit(RLIMIT_NOFILE, &files) == 0) {
    if (files.rlim_cur < files.rlim_max) {
      files.rlim_cur = files.rlim_max;
      setrlimit(RLIMIT_NOFILE, &files);
      getrlimit(RLIMIT_NOFILE, &files);
    }
    // Room is kept for the database connections, the page's files and the process itself.
    const long room = static_cast<long>(std::min<rlim_t>(files.rlim_cur, 1'000'000)) - 64 -
                      4 * static_cast<long>(db_threads);
    if (max_connections == 0) max_connections = std::clamp(room, 16L, 10'000L);
  }

  // Block the signals before any thread starts, so every worker inherits the mask and only
  // sigwait() below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  costs::target_options db_options;
  db_options.statement_timeout = std::chrono::milliseconds(statement_timeout_ms);
  db_options.connect_timeout = std::chrono::seconds(3);
  costs::server::database db(database_url, db_options);
  // A request waits for a query thread no longer than a query may run.
  costs::server::query_pool pool(db_threads, 1024,
                                 std::chrono::milliseconds(std::max(2000L, statement_timeout_ms)));
  costs::server::metrics stats;
  costs::server::result_cache cache{std::chrono::milliseconds(cache_ms)};
  costs::server::drain_gate gate;
  costs::server::api_context ctx;
  ctx.db = &db;
  ctx.stats = &stats;
  ctx.token = token;
  ctx.cors_origins = cors_origins;
  ctx.cache = &cache;
  ctx.gate = &gate;
  ctx.time_zone = time_zone;
  ctx.cache_seconds = static_cast<int>((cache_ms + 999) / 1000);
  ctx.admin_url = admin_url;
  ctx.admin_token = admin_token;
  ctx.pool = &pool;
  // A sync started over HTTP writes as the admin role, as budgets do; without it there is none.
  std::optional<costs::server::sync_trigger> trigger;
  if (!admin_url.empty()) {
    trigger.emplace(admin_url, time_zone, [&cache] { cache.clear(); });
    ctx.sync = &*trigger;
  }
  try {
    Http::Endpoint endpoint(Address(address.host, Port(address.port)));
    // A client gets --header-timeout-ms to send its headers and three times that for its body,
    // and an idle keep-alive connection is closed after 60 s: a slow or stalled sender never
    // holds a descriptor long.
    endpoint.init(Http::Endpoint::options()
                      .threads(threads)
                      .flags(Tcp::Options::ReuseAddr)
                      .maxRequestSize(max_request_bytes)
                      .headerTimeout(std::chrono::milliseconds(header_timeout_ms))
                      .bodyTimeout(std::chrono::milliseconds(3 * header_timeout_ms))
                      .keepaliveTimeout(std::chrono::seconds(60)));
    Rest::Router router;
    costs::server::setup_routes(router, ctx, static_dir);
    costs::server::guard_limits limits;
    limits.max_body = max_request_bytes;
    limits.max_connections = static_cast<std::size_t>(max_connections);
    endpoint.setHandler(costs::server::guarded_handler(router, limits, &stats));
    endpoint.serveThreaded();
    std::cout << "listening on http://" << address.host << ':'
              << static_cast<std::uint16_t>(endpoint.getPort()) << " (database "
              << costs::redact_url(database_url) << ")" << std::endl;
    int received = 0;
    sigwait(&signals, &received);
    // New requests get 503 from here on; the ones in flight finish before the endpoint stops.
    if (!gate.drain(std::chrono::seconds(drain_seconds))) {
      // A query thread held by a database that stopped answering would hold the exit too.
      std::cerr << "costs-server: requests still running after " << drain_seconds
                << " s; stopping anyway\n";
      std::_Exit(0);
    }
    pool.stop();  // nothing may answer through the endpoint once it is gone
    endpoint.shutdown();
  } catch (const std::exception& e) {
    std::cerr << "costs-server: cannot serve on " << listen << ": " << e.what() << '\n';
    return 1;
  }
  return 0;
}
