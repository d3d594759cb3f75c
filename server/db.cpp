#include "db.hpp"

#include <memory>

namespace costs::server {
namespace {

thread_local std::unique_ptr<target> this_thread_target;

}  // namespace

target& database::reader() {
  if (!this_thread_target || !this_thread_target->connected()) {
    this_thread_target.reset();
    this_thread_target = open_target(url_, options_);
  }
  return *this_thread_target;
}

bool database::connected() const noexcept {
  return this_thread_target && this_thread_target->connected();
}

void database::reset() noexcept {
  this_thread_target.reset();
}

}  // namespace costs::server
