#include "result_cache.hpp"

#include <cstdio>
#include <functional>

namespace costs::server {

std::string etag_of(const std::string& body) {
  // The standard library's string hash: a word at a time, and the same for one server build,
  // which is all a validator needs (a new build may well change the bodies anyway).
  char text[24];
  std::snprintf(text, sizeof text, "\"%016llx\"",
                static_cast<unsigned long long>(std::hash<std::string>{}(body)));
  return text;
}

std::shared_ptr<const cached_body> result_cache::get(const std::string& key,
                                                     const std::function<std::string()>& make) {
  auto build = [&] {
    auto made = std::make_shared<cached_body>();
    made->body = make();
    made->etag = etag_of(made->body);
    return std::shared_ptr<const cached_body>(std::move(made));
  };
  if (ttl_.count() <= 0) {
    ++misses_;
    return build();
  }
  std::promise<std::shared_ptr<const cached_body>> promise;
  std::unique_lock<std::mutex> lock(mutex_);
  const auto it = entries_.find(key);
  if (it != entries_.end() && clock::now() < it->second.expires) {
    ++hits_;
    auto waiting = it->second.value;
    lock.unlock();  // wait outside the lock: a slow query must not hold up other routes
    return waiting.get();
  }
  ++misses_;
  if (entries_.size() >= 4096)  // distinct query strings must not grow memory without bound
    for (auto e = entries_.begin(); e != entries_.end();)
      e = e->second.expires <= clock::now() ? entries_.erase(e) : std::next(e);
  // Expires never while being made, so concurrent callers wait on this one.
  entries_[key] = {promise.get_future().share(), clock::time_point::max()};
  lock.unlock();
  try {
    auto value = build();
    promise.set_value(value);
    lock.lock();
    const auto made = entries_.find(key);
    if (made != entries_.end() && made->second.expires == clock::time_point::max())
      made->second.expires = clock::now() + ttl_;
    return value;
  } catch (...) {
    promise.set_exception(std::current_exception());
    if (!lock.owns_lock()) lock.lock();
    entries_.erase(key);
    throw;
  }
}

void result_cache::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  // Answers still being made stay: their callers wait on them; they expire as usual.
  for (auto e = entries_.begin(); e != entries_.end();)
    e = e->second.expires == clock::time_point::max() ? std::next(e) : entries_.erase(e);
}

bool drain_gate::enter() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (draining_) return false;
  ++in_flight_;
  return true;
}

void drain_gate::leave() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (--in_flight_ == 0) idle_.notify_all();
}

bool drain_gate::drain(std::chrono::milliseconds limit) {
  std::unique_lock<std::mutex> lock(mutex_);
  draining_ = true;
  return idle_.wait_for(lock, limit, [&] { return in_flight_ == 0; });
}

}  // namespace costs::server
