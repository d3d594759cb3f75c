// Private: a pool of threads that runs numbered jobs and hands their results to one merging
// thread in job order, so what is merged never depends on which thread finished first. Workers
// run at most `window` jobs ahead of the merge, which bounds the memory results hold.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace costs::detail {

/// Calls `work(i, state)` for i in [0, count) on up to `threads` threads (each with its own
/// default-constructed State: a reader, a parser) and `merge(i, result)` on this thread in
/// order, `result` null for a job that threw. The first exception is rethrown once every job
/// has been merged and every thread has stopped.
template <typename State, typename Work, typename Merge>
void run_in_order(std::size_t count, unsigned threads, Work&& work, Merge&& merge) {
  using result_type = decltype(work(std::size_t{}, std::declval<State&>()));
  if (count == 0) return;
  const unsigned thread_count =
      std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(count)));
  std::vector<std::optional<std::optional<result_type>>> results(count);
  std::mutex mutex;
  std::condition_variable ready;
  std::atomic<std::size_t> next{0};
  std::size_t merged = 0;
  constexpr std::size_t window = 64;
  std::exception_ptr failure;
  auto worker = [&] {
    State state;
    for (;;) {
      std::size_t i;
      {
        std::unique_lock<std::mutex> lock(mutex);
        ready.wait(lock, [&] { return next.load() < merged + window || next.load() >= count; });
        i = next.fetch_add(1);
      }
      if (i >= count) return;
      std::optional<result_type> r;
      try {
        r = work(i, state);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!failure) failure = std::current_exception();
      }
      {
        std::lock_guard<std::mutex> lock(mutex);
        results[i] = std::move(r);
      }
      ready.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < thread_count; ++t) pool.emplace_back(worker);
  for (; merged < count;) {
    std::optional<result_type> r;
    {
      std::unique_lock<std::mutex> lock(mutex);
      ready.wait(lock, [&] { return results[merged].has_value(); });
      r = std::move(*results[merged]);
      results[merged].reset();
    }
    merge(merged, r ? &*r : nullptr);
    {
      std::lock_guard<std::mutex> lock(mutex);
      ++merged;
    }
    ready.notify_all();
  }
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace costs::detail
