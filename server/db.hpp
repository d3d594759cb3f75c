// One libpqxx connection per worker thread, opened lazily, reopened after a failure, with the
// server's statements prepared on it. Connections are not thread-safe; threads never share one.
#pragma once

#include <string>

#include <pqxx/pqxx>

namespace costs::server {

class database {
 public:
  explicit database(std::string url) : url_(std::move(url)) {}

  /// This thread's connection. @throws pqxx::broken_connection when the database is down.
  pqxx::connection& connection();

  /// Is this thread's connection open? False after the server or network dropped it.
  bool connected() const noexcept;

  /// Drops this thread's connection so the next call reconnects (after a failure).
  void reset() noexcept;

 private:
  std::string url_;
};

}  // namespace costs::server
