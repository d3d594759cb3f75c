#include "query_pool.hpp"

#include <iostream>

namespace costs::server {

namespace {

void run_guarded(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {  // a job answers its own errors; this is a last resort
    std::cerr << "costs-server: a request failed outside its handler: " << e.what() << '\n';
  }
}

}  // namespace

query_pool::query_pool(int threads, std::size_t max_waiting, std::chrono::milliseconds max_wait)
    : max_waiting_(max_waiting), max_wait_(max_wait) {
  threads_.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
  timer_ = std::thread([this] { watch(); });
}

query_pool::~query_pool() {
  stop();
}

void query_pool::post(std::function<void()> run, std::function<void()> expire) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stopping_ && jobs_.size() < max_waiting_) {
      jobs_.push_back({std::move(run), std::move(expire), std::chrono::steady_clock::now()});
      ready_.notify_one();
      return;
    }
  }
  run_guarded(expire);
}

void query_pool::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  stopped_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  if (timer_.joinable()) timer_.join();
}

std::size_t query_pool::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return jobs_.size();
}

std::size_t query_pool::running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_;
}

void query_pool::work() {
  for (;;) {
    job next;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and nothing left to run
      next = std::move(jobs_.front());
      jobs_.pop_front();
      ++running_;
    }
    run_guarded(next.run);
    std::lock_guard<std::mutex> lock(mutex_);
    --running_;
  }
}

// Jobs queued past max_wait are answered by their expire: every thread is held by the database,
// and a client is better told so in seconds than left waiting.
void query_pool::watch() {
  const auto step = std::min<std::chrono::milliseconds>(
      max_wait_ / 4 + std::chrono::milliseconds(1), std::chrono::milliseconds(250));
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    stopped_.wait_for(lock, step);
    const auto limit = std::chrono::steady_clock::now() - max_wait_;
    std::vector<std::function<void()>> expired;
    while (!jobs_.empty() && jobs_.front().queued < limit) {
      expired.push_back(std::move(jobs_.front().expire));
      jobs_.pop_front();
    }
    if (expired.empty()) continue;
    lock.unlock();
    for (const auto& e : expired) run_guarded(e);
    lock.lock();
  }
}

}  // namespace costs::server
