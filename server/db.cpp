#include "db.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

#include "costs/error.hpp"

namespace costs::server {
namespace {

using clock = std::chrono::steady_clock;

thread_local std::unique_ptr<target> this_thread_target;
// Set when reader() refused without trying (the next attempt not due): no news of the database.
thread_local bool refused_without_trying = false;

constexpr std::chrono::milliseconds first_backoff{250}, last_backoff{8000};

long long ms_between(clock::time_point a, clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
}

}  // namespace

struct database::state {
  std::string url;
  target_options options;
  std::mutex mutex;
  std::condition_variable wanted, done;
  bool up = false, known = false, ping_wanted = false, pinging = false, stopping = false;
  std::string error;
  clock::time_point checked{}, ping_started{}, next_try{};
  std::chrono::milliseconds backoff{0};

  void note(bool now_up, const std::string& why) {  // holds mutex
    const auto now = clock::now();
    if (now_up) {
      backoff = std::chrono::milliseconds(0);
    } else {
      backoff = backoff.count() == 0 ? first_backoff : std::min(backoff * 2, last_backoff);
      next_try = now + backoff;
    }
    up = now_up;
    known = true;
    error = why;
    checked = now;
    done.notify_all();
  }

  // One ping at a time, on its own connection, whenever /healthz asks for a fresh state.
  static void ping_loop(const std::shared_ptr<state>& s) {
    std::unique_ptr<target> own;
    std::unique_lock<std::mutex> lock(s->mutex);
    for (;;) {
      s->wanted.wait(lock, [&] { return s->stopping || s->ping_wanted; });
      if (s->stopping) return;
      s->ping_wanted = false;
      s->pinging = true;
      s->ping_started = clock::now();
      lock.unlock();
      std::string why;
      try {
        if (!own || !own->connected()) own = open_target(s->url, s->options);
        own->ping();
      } catch (const costs::error& e) {
        own.reset();
        why = e.message();
      }
      lock.lock();
      s->pinging = false;
      if (s->stopping) return;
      s->note(why.empty(), why);
    }
  }
};

database::database(std::string url, target_options options) : s_(std::make_shared<state>()) {
  s_->url = std::move(url);
  s_->options = options;
  // Detached: a ping held by a database that stopped answering must not hold the exit; the
  // thread keeps the state alive for as long as it runs.
  std::thread([s = s_] { state::ping_loop(s); }).detach();
}

database::~database() {
  {
    std::lock_guard<std::mutex> lock(s_->mutex);
    s_->stopping = true;
  }
  s_->wanted.notify_all();
}

target& database::reader() {
  refused_without_trying = false;
  if (this_thread_target && this_thread_target->connected()) return *this_thread_target;
  this_thread_target.reset();
  {
    std::lock_guard<std::mutex> lock(s_->mutex);
    const auto now = clock::now();
    refused_without_trying = s_->known && !s_->up && now < s_->next_try;
    if (refused_without_trying)
      throw store_error("store.unavailable",
                        "the database is unreachable (" + s_->error + "); the next attempt is in " +
                            std::to_string(ms_between(now, s_->next_try)) + " ms");
    // This thread tries; the others wait for the next step rather than all trying at once.
    if (s_->known && !s_->up) s_->next_try = now + s_->backoff;
  }
  try {
    this_thread_target = open_target(s_->url, s_->options);
  } catch (const store_error& e) {
    could_not_reach(e.message());
    throw;
  }
  answered();
  return *this_thread_target;
}

bool database::connected() const noexcept {
  return this_thread_target && this_thread_target->connected();
}

void database::reset() noexcept {
  this_thread_target.reset();
}

void database::answered() {
  std::lock_guard<std::mutex> lock(s_->mutex);
  s_->note(true, "");
}

void database::could_not_reach(const std::string& why) {
  if (refused_without_trying) return;
  std::lock_guard<std::mutex> lock(s_->mutex);
  s_->note(false, why);
}

database::health database::check(std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(s_->mutex);
  const auto asked = clock::now();
  const bool fresh = s_->known && asked - s_->checked < std::chrono::seconds(1);
  if (!fresh) {
    s_->ping_wanted = true;
    s_->wanted.notify_one();
    s_->done.wait_for(lock, wait, [&] { return s_->known && s_->checked >= asked; });
  }
  const auto now = clock::now();
  if (!fresh && s_->pinging && !(s_->known && s_->checked >= asked))
    return {"unavailable",
            "the database did not answer within " + std::to_string(wait.count()) + " ms",
            ms_between(s_->ping_started, now)};
  if (!s_->known) return {"unavailable", "the database has not answered yet", 0};
  return {s_->up ? "ok" : "unavailable", s_->up ? "" : s_->error, ms_between(s_->checked, now)};
}

}  // namespace costs::server
