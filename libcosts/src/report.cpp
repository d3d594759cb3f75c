#include "costs/report.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>

#include "costs/model_names.hpp"

namespace costs {
namespace {

// Prices per model string id, looked up once per distinct model rather than once per call.
class cost_cache {
 public:
  cost_cache(const local_ledger& ledger, const price_table& prices)
      : ledger_(ledger), prices_(prices) {}

  std::optional<pico_usd> cost(const local_entry& e) {
    if (e.raw_model >= known_.size()) {
      known_.resize(e.raw_model + 1, false);
      price_.resize(e.raw_model + 1, nullptr);
      anthropic_.resize(e.raw_model + 1, false);
    }
    if (!known_[e.raw_model]) {
      const std::string_view model = ledger_.str(e.raw_model);
      price_[e.raw_model] = model.empty() ? nullptr : prices_.find(model);
      anthropic_[e.raw_model] = detect_vendor(canonical_model(model)) == "anthropic";
      known_[e.raw_model] = true;
    }
    const model_price* p = price_[e.raw_model];
    if (p == nullptr) return std::nullopt;
    return price_table::cost_for(*p, e.tokens, (e.flags & local_entry::fast) != 0,
                                 anthropic_[e.raw_model]);
  }

  /// The call's cost in its input, cache and output parts. The input part is what is left, so
  /// the three sum to cost(e) exactly whatever the rounding of the fast multiplier.
  std::optional<std::array<pico_usd, 3>> parts(const local_entry& e) {
    const auto total = cost(e);
    if (!total) return std::nullopt;
    const model_price& p = *price_[e.raw_model];
    const bool fast = (e.flags & local_entry::fast) != 0;
    token_counts cache, output;
    cache.cache_write_5m = e.tokens.cache_write_5m;
    cache.cache_write_1h = e.tokens.cache_write_1h;
    cache.cache_read = e.tokens.cache_read;
    output.output = e.tokens.output;
    const pico_usd c = price_table::cost_for(p, cache, fast, anthropic_[e.raw_model]);
    const pico_usd o = price_table::cost_for(p, output, fast, anthropic_[e.raw_model]);
    return std::array<pico_usd, 3>{pico_usd{total->value - c.value - o.value}, c, o};
  }

 private:
  const local_ledger& ledger_;
  const price_table& prices_;
  std::vector<bool> known_;
  std::vector<const model_price*> price_;
  std::vector<bool> anthropic_;
};

timestamp time_of(const local_entry& e) {
  return timestamp(std::chrono::microseconds(e.at_us));
}

bool wanted(const local_entry& e, const report_filter& filter) {
  if (filter.sources.empty()) return true;
  return std::find(filter.sources.begin(), filter.sources.end(), e.source) != filter.sources.end();
}

bool in_range(const civil_day& day, const report_filter& filter) {
  if (filter.since && day < *filter.since) return false;
  if (filter.until && *filter.until < day) return false;
  return true;
}

long long monday_of(long long days) {
  const long long weekday = ((days + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
  return days - weekday;
}

struct accumulator {
  token_counts tokens;
  std::int64_t calls = 0;
  pico_usd priced;
  bool unpriced = false;
  bool any_priced = false;
  pico_usd reported;
  bool has_reported = false;

  void add(const local_entry& e, const std::optional<pico_usd>& cost) {
    tokens += e.tokens;
    ++calls;
    if (cost) {
      priced += *cost;
      any_priced = true;
    } else {
      unpriced = true;
    }
    if (e.reported_pico >= 0) {
      reported += pico_usd{e.reported_pico};
      has_reported = true;
    }
  }
  std::optional<pico_usd> cost() const {
    return unpriced ? std::nullopt : std::optional<pico_usd>(priced);
  }
  /// What could be priced, when anything could.
  std::optional<pico_usd> priced_cost() const {
    return any_priced ? std::optional<pico_usd>(priced) : std::nullopt;
  }
  std::optional<pico_usd> reported_cost() const {
    return has_reported ? std::optional<pico_usd>(reported) : std::nullopt;
  }
};

std::string period_label(report_period period, long long key) {
  if (period == report_period::month) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld", key / 12, key % 12 + 1);
    return buf;
  }
  return civil_day::from_days_since_epoch(key).to_string();
}

// Calls `f(entry, hour)` for each of `source`'s entries from `since` on; `hour` counts UTC hours
// since the epoch.
template <typename F>
void each_hour_entry(const local_ledger& ledger, local_source source, timestamp since, F&& f) {
  for (const auto& e : ledger.entries()) {
    if (e.source != source) continue;
    const timestamp t = time_of(e);
    if (t < since) continue;
    f(e, std::chrono::duration_cast<std::chrono::hours>(t.time_since_epoch()).count());
  }
}

}  // namespace

std::vector<usage_row> period_rows(const local_ledger& ledger, report_period period,
                                   const time_zone& zone, const price_table& prices,
                                   const report_filter& filter) {
  using key = std::tuple<long long, int, std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t,
                         std::uint32_t>;
  std::map<key, accumulator> groups;
  cost_cache costs(ledger, prices);
  for (const auto& e : ledger.entries()) {
    if (!wanted(e, filter)) continue;
    const civil_day day = zone.day_of(time_of(e));
    if (!in_range(day, filter)) continue;
    long long p = day.days_since_epoch();
    if (period == report_period::week) p = monday_of(p);
    if (period == report_period::month) p = day.year * 12LL + (day.month - 1);
    groups[key{p, static_cast<int>(e.source), e.vendor, e.raw_model, e.agent, e.project, e.task}]
        .add(e, costs.cost(e));
  }
  std::vector<usage_row> rows;
  rows.reserve(groups.size());
  for (const auto& [k, acc] : groups) {
    usage_row r;
    r.period = period_label(period, std::get<0>(k));
    r.source = static_cast<local_source>(std::get<1>(k));
    r.vendor = ledger.str(std::get<2>(k));
    r.model = ledger.str(std::get<3>(k));
    r.model_id = canonical_model(r.model);
    r.agent = ledger.str(std::get<4>(k));
    r.project = ledger.str(std::get<5>(k));
    r.task = ledger.str(std::get<6>(k));
    r.tokens = acc.tokens;
    r.calls = acc.calls;
    r.cost = acc.cost();
    r.reported = acc.reported_cost();
    rows.push_back(std::move(r));
  }
  std::sort(rows.begin(), rows.end(), [](const usage_row& a, const usage_row& b) {
    return std::tie(a.period, a.source, a.vendor, a.model, a.agent, a.project, a.task) <
           std::tie(b.period, b.source, b.vendor, b.model, b.agent, b.project, b.task);
  });
  return rows;
}

std::vector<session_row> session_rows(const local_ledger& ledger, const time_zone& zone,
                                      const price_table& prices, const report_filter& filter) {
  using key = std::tuple<int, std::uint32_t, std::uint32_t, std::uint32_t>;
  struct group {
    accumulator acc;
    std::int64_t first = INT64_MAX, last = INT64_MIN;
    std::set<std::uint32_t> models;
  };
  std::map<key, group> groups;
  cost_cache costs(ledger, prices);
  for (const auto& e : ledger.entries()) {
    if (!wanted(e, filter) || !in_range(zone.day_of(time_of(e)), filter)) continue;
    auto& g = groups[key{static_cast<int>(e.source), e.agent, e.project, e.session}];
    g.acc.add(e, costs.cost(e));
    g.first = std::min(g.first, e.at_us);
    g.last = std::max(g.last, e.at_us);
    g.models.insert(e.raw_model);
  }
  std::vector<session_row> rows;
  for (const auto& [k, g] : groups) {
    session_row r;
    r.source = static_cast<local_source>(std::get<0>(k));
    r.agent = ledger.str(std::get<1>(k));
    r.project = ledger.str(std::get<2>(k));
    r.session = ledger.str(std::get<3>(k));
    r.first = timestamp(std::chrono::microseconds(g.first));
    r.last = timestamp(std::chrono::microseconds(g.last));
    for (auto m : g.models) r.models.emplace_back(ledger.str(m));
    std::sort(r.models.begin(), r.models.end());
    r.tokens = g.acc.tokens;
    r.calls = g.acc.calls;
    r.cost = g.acc.cost();
    r.priced = g.acc.priced;
    r.reported = g.acc.reported_cost();
    rows.push_back(std::move(r));
  }
  std::sort(rows.begin(), rows.end(), [](const session_row& a, const session_row& b) {
    return std::tie(a.last, a.session) < std::tie(b.last, b.session);
  });
  return rows;
}

std::vector<usage_block> usage_blocks(const local_ledger& ledger, const time_zone& zone,
                                      const price_table& prices, const report_filter& filter,
                                      timestamp now, int block_hours) {
  std::vector<const local_entry*> entries;
  for (const auto& e : ledger.entries())
    if (wanted(e, filter) && in_range(zone.day_of(time_of(e)), filter)) entries.push_back(&e);
  std::sort(entries.begin(), entries.end(),
            [](const local_entry* a, const local_entry* b) { return a->at_us < b->at_us; });
  const std::int64_t length = static_cast<std::int64_t>(block_hours) * 3600 * 1'000'000;
  constexpr std::int64_t hour = 3600LL * 1'000'000;
  cost_cache costs(ledger, prices);
  std::vector<usage_block> blocks;
  std::set<std::uint32_t> models;
  auto close = [&] {
    if (blocks.empty() || blocks.back().gap) return;
    for (auto m : models) blocks.back().models.emplace_back(ledger.str(m));
    std::sort(blocks.back().models.begin(), blocks.back().models.end());
    models.clear();
  };
  std::int64_t block_start = 0, last = 0;
  for (const local_entry* e : entries) {
    const bool starts_new =
        blocks.empty() || e->at_us - block_start > length || e->at_us - last > length;
    if (starts_new) {
      close();
      if (!blocks.empty() && e->at_us - last > length) {
        usage_block gap;  // the idle stretch between the last block's end and this call
        gap.gap = true;
        gap.start = timestamp(std::chrono::microseconds(last + length));
        gap.end = timestamp(std::chrono::microseconds(e->at_us));
        blocks.push_back(gap);
      }
      block_start = e->at_us - ((e->at_us % hour) + hour) % hour;  // floor to the UTC hour
      usage_block b;
      b.start = timestamp(std::chrono::microseconds(block_start));
      b.end = timestamp(std::chrono::microseconds(block_start + length));
      blocks.push_back(b);
    }
    usage_block& b = blocks.back();
    b.tokens += e->tokens;
    ++b.calls;
    if (auto c = costs.cost(*e))
      b.priced += *c;
    else
      b.has_unpriced = true;
    b.last_entry = timestamp(std::chrono::microseconds(e->at_us));
    models.insert(e->raw_model);
    last = e->at_us;
  }
  close();
  if (!blocks.empty() && !blocks.back().gap) {
    usage_block& b = blocks.back();
    b.active = now - *b.last_entry < std::chrono::microseconds(length) && now < b.end;
  }
  return blocks;
}

std::vector<daily_usage> daily_usage_rows(const local_ledger& ledger, local_source source,
                                          const std::string& host, const time_zone& zone,
                                          const price_table& prices) {
  using key = std::tuple<long long, std::string, std::uint32_t, std::uint32_t, std::uint32_t>;
  std::map<key, accumulator> groups;
  cost_cache costs(ledger, prices);
  std::vector<std::string> canonical(0);
  for (const auto& e : ledger.entries()) {
    if (e.source != source) continue;
    if (e.raw_model >= canonical.size()) canonical.resize(e.raw_model + 1);
    std::string& model = canonical[e.raw_model];
    if (model.empty()) model = canonical_model(ledger.str(e.raw_model));
    groups[key{zone.day_of(time_of(e)).days_since_epoch(), model, e.agent, e.project, e.task}].add(
        e, costs.cost(e));
  }
  std::vector<daily_usage> rows;
  rows.reserve(groups.size());
  for (const auto& [k, acc] : groups) {
    daily_usage u;
    u.date = civil_day::from_days_since_epoch(std::get<0>(k));
    u.provider = provider_key(source);
    u.host = host;
    u.model = std::get<1>(k);
    u.agent = ledger.str(std::get<2>(k));
    u.project = ledger.str(std::get<3>(k));
    u.task = ledger.str(std::get<4>(k));
    u.tokens = acc.tokens;
    u.calls = acc.calls;
    if (auto c = acc.cost()) u.cost = to_micro(*c);
    if (auto r = acc.reported_cost()) u.reported_cost = to_micro(*r);
    rows.push_back(std::move(u));
  }
  return rows;
}

std::vector<hourly_cost> hourly_cost_rows(const local_ledger& ledger, local_source source,
                                          const std::string& host, const price_table& prices,
                                          timestamp since) {
  std::map<long long, accumulator> hours;  // hours since the epoch
  cost_cache costs(ledger, prices);
  each_hour_entry(ledger, source, since,
                  [&](const local_entry& e, long long hour) { hours[hour].add(e, costs.cost(e)); });
  std::vector<hourly_cost> rows;
  rows.reserve(hours.size());
  for (const auto& [hour, acc] : hours) {
    hourly_cost h;
    h.provider = provider_key(source);
    h.host = host;
    h.hour = timestamp(std::chrono::hours(hour));
    h.source = "local_session";
    h.calls = acc.calls;
    if (auto c = acc.priced_cost()) h.cost = to_micro(*c);
    rows.push_back(std::move(h));
  }
  return rows;
}

std::vector<session_usage> session_usage_rows(const local_ledger& ledger, local_source source,
                                              const std::string& host, const time_zone& zone,
                                              const price_table& prices,
                                              std::optional<civil_day> since) {
  struct group {
    accumulator acc;
    const local_entry* first = nullptr;
    const local_entry* last = nullptr;
    std::set<std::string> models;
  };
  std::map<std::uint32_t, group> sessions;
  cost_cache costs(ledger, prices);
  std::vector<std::string> canonical;
  for (const auto& e : ledger.entries()) {
    if (e.source != source) continue;
    if (e.raw_model >= canonical.size()) canonical.resize(e.raw_model + 1);
    std::string& model = canonical[e.raw_model];
    if (model.empty()) model = canonical_model(ledger.str(e.raw_model));
    group& g = sessions[e.session];
    g.acc.add(e, costs.cost(e));
    if (g.first == nullptr || e.at_us < g.first->at_us) g.first = &e;
    // The newest call says the session's agent, project and transcript.
    if (g.last == nullptr || e.at_us > g.last->at_us || (e.at_us == g.last->at_us && e.file != 0))
      g.last = &e;
    g.models.insert(model);
  }
  std::vector<session_usage> rows;
  rows.reserve(sessions.size());
  for (const auto& [id, g] : sessions) {
    if (since && zone.day_of(time_of(*g.last)) < *since) continue;
    session_usage s;
    s.provider = provider_key(source);
    s.host = host;
    s.session = ledger.str(id);
    s.agent = ledger.str(g.last->agent);
    s.project = ledger.str(g.last->project);
    s.transcript = ledger.str(g.last->file);
    s.models.assign(g.models.begin(), g.models.end());
    s.first_at = time_of(*g.first);
    s.last_at = time_of(*g.last);
    s.tokens = g.acc.tokens;
    s.calls = g.acc.calls;
    if (auto c = g.acc.cost()) s.cost = to_micro(*c);
    s.priced_cost = to_micro(g.acc.priced);
    rows.push_back(std::move(s));
  }
  return rows;
}

std::vector<hourly_usage> hourly_usage_rows(const local_ledger& ledger, local_source source,
                                            const std::string& host, const price_table& prices,
                                            timestamp since) {
  static constexpr const char* types[3] = {"input", "cache", "output"};
  struct group {
    pico_usd cost;
    bool unpriced = false;
    std::int64_t tokens = 0, calls = 0;
    std::map<std::uint32_t, std::pair<pico_usd, const local_entry*>> sessions;
  };
  // (hour, agent, type) -> group
  std::map<std::tuple<long long, std::uint32_t, int>, group> groups;
  cost_cache costs(ledger, prices);
  each_hour_entry(ledger, source, since, [&](const local_entry& e, long long hour) {
    const auto parts = costs.parts(e);
    const std::int64_t tokens[3] = {e.tokens.input, e.tokens.cache_write() + e.tokens.cache_read,
                                    e.tokens.output};
    for (int type = 0; type < 3; ++type) {
      // A call with none of a type adds no row of it, priced or not.
      if (tokens[type] == 0 && (!parts || (*parts)[type].value == 0)) continue;
      group& g = groups[{hour, e.agent, type}];
      g.tokens += tokens[type];
      ++g.calls;
      auto& session = g.sessions[e.session];
      if (session.second == nullptr || e.file != 0) session.second = &e;
      if (parts) {
        g.cost += (*parts)[type];
        session.first += (*parts)[type];
      } else {
        g.unpriced = true;
      }
    }
  });
  std::vector<hourly_usage> rows;
  rows.reserve(groups.size());
  for (const auto& [key, g] : groups) {
    hourly_usage h;
    h.provider = provider_key(source);
    h.host = host;
    h.hour = timestamp(std::chrono::hours(std::get<0>(key)));
    h.agent = ledger.str(std::get<1>(key));
    h.cost_type = types[std::get<2>(key)];
    if (!g.unpriced) h.cost = to_micro(g.cost);
    h.tokens = g.tokens;
    h.calls = g.calls;
    h.sessions = static_cast<std::int64_t>(g.sessions.size());
    // The costliest session stands for the group (ties: the first by id, so re-runs agree).
    const std::pair<pico_usd, const local_entry*>* top = nullptr;
    for (const auto& [id, s] : g.sessions)
      if (top == nullptr || s.first.value > top->first.value) top = &s;
    h.session = ledger.str(top->second->session);
    h.transcript = ledger.str(top->second->file);
    rows.push_back(std::move(h));
  }
  return rows;
}

std::vector<daily_cost> daily_cost_rows(const std::vector<daily_usage>& rows) {
  std::map<long long, daily_cost> days;
  // Sum exactly in micro-dollars of the already-rounded rows, so the day equals its rows.
  for (const auto& u : rows) {
    auto& d = days[u.date.days_since_epoch()];
    d.provider = u.provider;
    d.host = u.host;
    d.date = u.date;
    d.source = "local_session";
    d.tokens += u.tokens;
    if (u.cost) d.cost = d.cost.value_or(micro_usd{}) + *u.cost;
  }
  std::vector<daily_cost> out;
  for (auto& [k, d] : days) out.push_back(std::move(d));
  return out;
}

}  // namespace costs
