# Every dependency is found here and turned into an imported target.
# Debian ships no CMake config for libpqxx or Pistache, so those come through pkg-config.

find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED CONFIG)
find_package(Boost 1.74 REQUIRED CONFIG COMPONENTS program_options)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
find_package(simdjson REQUIRED CONFIG)
find_package(SQLite3 REQUIRED)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)

# Pistache is epoll-based and Linux-only: the server is optional so the library and the sync
# build on macOS.
set(COSTS_HAVE_PISTACHE OFF)
if(NOT COSTS_BUILD_SERVER STREQUAL "OFF")
  if(COSTS_BUILD_SERVER STREQUAL "ON")
    pkg_check_modules(PISTACHE REQUIRED IMPORTED_TARGET libpistache)
  else()
    pkg_check_modules(PISTACHE QUIET IMPORTED_TARGET libpistache)
  endif()
  if(PISTACHE_FOUND)
    set(COSTS_HAVE_PISTACHE ON)
  else()
    message(STATUS "Pistache not found: costs-server will not be built")
  endif()
endif()

if(COSTS_BUILD_TESTS)
  find_package(GTest REQUIRED CONFIG)
endif()
