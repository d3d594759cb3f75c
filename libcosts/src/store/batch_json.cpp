// A sync run as JSON, for the spool: what could not be sent waits on disk in this form.
// Money is written as decimal strings so nothing is rounded on the way through.
#include <chrono>
#include <random>

#include <nlohmann/json.hpp>

#include "costs/batch.hpp"
#include "costs/error.hpp"

namespace costs {
namespace {

using json = nlohmann::json;

json money(const std::optional<micro_usd>& m) {
  return m ? json(to_decimal_string(*m)) : json();
}
std::optional<micro_usd> money(const json& j) {
  if (j.is_null()) return std::nullopt;
  return parse_usd(j.get<std::string>());
}

json tokens(const token_counts& t) {
  return {t.input, t.output, t.cache_write_5m, t.cache_write_1h, t.cache_read, t.reasoning};
}
token_counts tokens(const json& j) {
  token_counts t;
  t.input = j.at(0);
  t.output = j.at(1);
  t.cache_write_5m = j.at(2);
  t.cache_write_1h = j.at(3);
  t.cache_read = j.at(4);
  t.reasoning = j.at(5);
  return t;
}

timestamp time_of(const json& j) {
  return parse_timestamp(j.get<std::string>());
}

}  // namespace

std::string new_run_id() {
  std::random_device rd;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%lld-%08x%08x",
                static_cast<long long>(now().time_since_epoch().count()), rd(), rd());
  return buf;
}

std::string to_json(const sync_batch& b) {
  json out = {{"version", 1}, {"run_id", b.run_id}};
  json& snaps = out["snapshots"] = json::array();
  for (const auto& s : b.snapshots)
    snaps.push_back({{"provider", s.provider},
                     {"source", s.source},
                     {"host", s.host},
                     {"fetched_at", format_timestamp(s.fetched_at)},
                     {"total_cost", money(s.total_cost)},
                     {"tokens", tokens(s.tokens)},
                     {"balance", money(s.balance)},
                     {"credit_limit", money(s.credit_limit)},
                     {"currency", s.currency},
                     {"units", s.units},
                     {"model_breakdown", s.model_breakdown},
                     {"raw_response", s.raw_response}});
  json& costs = out["daily_costs"] = json::array();
  for (const auto& d : b.daily_costs)
    costs.push_back({{"provider", d.provider},
                     {"host", d.host},
                     {"date", d.date.to_string()},
                     {"source", d.source},
                     {"cost", money(d.cost)},
                     {"tokens", tokens(d.tokens)}});
  json& usage = out["daily_usage"] = json::array();
  for (const auto& u : b.daily_usage)
    usage.push_back({{"date", u.date.to_string()},
                     {"provider", u.provider},
                     {"host", u.host},
                     {"model", u.model},
                     {"agent", u.agent},
                     {"project", u.project},
                     {"task", u.task},
                     {"tokens", tokens(u.tokens)},
                     {"calls", u.calls},
                     {"cost", money(u.cost)},
                     {"reported_cost", money(u.reported_cost)}});
  json& hours = out["hourly_costs"] = json::array();
  for (const auto& h : b.hourly_costs)
    hours.push_back({{"provider", h.provider},
                     {"host", h.host},
                     {"hour", format_timestamp(h.hour)},
                     {"source", h.source},
                     {"cost", money(h.cost)},
                     {"calls", h.calls}});
  json& sessions = out["sessions"] = json::array();
  for (const auto& s : b.sessions)
    sessions.push_back({{"provider", s.provider},
                        {"host", s.host},
                        {"session", s.session},
                        {"agent", s.agent},
                        {"project", s.project},
                        {"transcript", s.transcript},
                        {"models", s.models},
                        {"first_at", format_timestamp(s.first_at)},
                        {"last_at", format_timestamp(s.last_at)},
                        {"tokens", tokens(s.tokens)},
                        {"calls", s.calls},
                        {"cost", money(s.cost)},
                        {"priced_cost", money(std::optional<micro_usd>(s.priced_cost))}});
  json& log = out["log"] = json::array();
  for (const auto& l : b.log)
    log.push_back({{"provider", l.provider},
                   {"host", l.host},
                   {"started_at", format_timestamp(l.started_at)},
                   {"finished_at", format_timestamp(l.finished_at)},
                   {"status", l.status},
                   {"rows_written", l.rows_written},
                   {"error", l.error}});
  return out.dump();
}

sync_batch batch_from_json(std::string_view text) {
  try {
    const json in = json::parse(text);
    if (in.at("version") != 1)
      throw parse_error("spool.version", "a spooled batch of an unknown version");
    sync_batch b;
    b.run_id = in.at("run_id");
    for (const auto& j : in.at("snapshots")) {
      snapshot s;
      s.provider = j.at("provider");
      s.source = j.at("source");
      s.host = j.at("host");
      s.fetched_at = time_of(j.at("fetched_at"));
      s.total_cost = money(j.at("total_cost"));
      s.tokens = tokens(j.at("tokens"));
      s.balance = money(j.at("balance"));
      s.credit_limit = money(j.at("credit_limit"));
      s.currency = j.at("currency");
      s.units = j.at("units");
      s.model_breakdown = j.at("model_breakdown");
      s.raw_response = j.at("raw_response");
      b.snapshots.push_back(std::move(s));
    }
    for (const auto& j : in.at("daily_costs")) {
      daily_cost d;
      d.provider = j.at("provider");
      d.host = j.at("host");
      d.date = civil_day::parse(j.at("date").get<std::string>());
      d.source = j.at("source");
      d.cost = money(j.at("cost"));
      d.tokens = tokens(j.at("tokens"));
      b.daily_costs.push_back(std::move(d));
    }
    // Absent in runs spooled before hourly rows existed.
    for (const auto& j : in.value("hourly_costs", json::array())) {
      hourly_cost h;
      h.provider = j.at("provider");
      h.host = j.at("host");
      h.hour = time_of(j.at("hour"));
      h.source = j.at("source");
      h.cost = money(j.at("cost"));
      h.calls = j.at("calls");
      b.hourly_costs.push_back(std::move(h));
    }
    // Absent in runs spooled before sessions were kept.
    for (const auto& j : in.value("sessions", json::array())) {
      session_usage s;
      s.provider = j.at("provider");
      s.host = j.at("host");
      s.session = j.at("session");
      s.agent = j.at("agent");
      s.project = j.at("project");
      s.transcript = j.at("transcript");
      s.models = j.at("models").get<std::vector<std::string>>();
      s.first_at = time_of(j.at("first_at"));
      s.last_at = time_of(j.at("last_at"));
      s.tokens = tokens(j.at("tokens"));
      s.calls = j.at("calls");
      s.cost = money(j.at("cost"));
      s.priced_cost = money(j.at("priced_cost")).value_or(micro_usd{});
      b.sessions.push_back(std::move(s));
    }
    for (const auto& j : in.at("daily_usage")) {
      daily_usage u;
      u.date = civil_day::parse(j.at("date").get<std::string>());
      u.provider = j.at("provider");
      u.host = j.at("host");
      u.model = j.at("model");
      u.agent = j.at("agent");
      u.project = j.at("project");
      u.task = j.at("task");
      u.tokens = tokens(j.at("tokens"));
      u.calls = j.at("calls");
      u.cost = money(j.at("cost"));
      u.reported_cost = money(j.at("reported_cost"));
      b.daily_usage.push_back(std::move(u));
    }
    for (const auto& j : in.at("log")) {
      sync_log_entry l;
      l.provider = j.at("provider");
      l.host = j.at("host");
      l.started_at = time_of(j.at("started_at"));
      l.finished_at = time_of(j.at("finished_at"));
      l.status = j.at("status");
      l.rows_written = j.at("rows_written");
      l.error = j.at("error");
      b.log.push_back(std::move(l));
    }
    return b;
  } catch (const json::exception& e) {
    throw parse_error("spool.bad_batch", std::string("a spooled batch is damaged: ") + e.what());
  }
}

bool is_postgres_url(std::string_view target) noexcept {
  return target.rfind("postgres://", 0) == 0 || target.rfind("postgresql://", 0) == 0;
}

}  // namespace costs
