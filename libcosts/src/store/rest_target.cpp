// The reads and budget writes a command line needs, through Supabase's REST API (PostgREST)
// with the service key. PostgREST does not aggregate, so sums are taken here from the rows,
// page by page. The dashboard's other reads (breakdowns, sessions, bills) need SQL: over REST
// they say to use the database URL.
#include <map>
#include <set>

#include "costs/error.hpp"
#include "http/http_client.hpp"
#include "store/postgrest_client.hpp"
#include "store/rest_target.hpp"

namespace costs::detail {
namespace {

using json = nlohmann::json;

constexpr int page_rows = 1000;  // Supabase's default max-rows

std::int64_t micro(const json& value) {
  return rest_money(value).value_or(micro_usd{}).value;
}

std::int64_t count(const json& row, const char* key) {
  const auto at = row.find(key);
  return at != row.end() && at->is_number_integer() ? at->get<std::int64_t>() : 0;
}

class rest_target final : public target {
 public:
  explicit rest_target(postgrest_client client) : client_(std::move(client)) {}

  void ping() override { client_.call("GET", "budgets?select=id&limit=1", nullptr, "", "ping"); }
  bool connected() const noexcept override { return true; }  // each call is its own request

  std::vector<latest_row> latest(const std::vector<std::string>&) override {
    unsupported("the latest snapshots");
  }

  // Each provider's newest balance: usage_latest has one row per provider and host.
  std::vector<balance_row> balances() override {
    std::map<std::string, std::pair<timestamp, balance_row>> newest;
    for (const auto& row :
         client_.call("GET", "usage_latest?select=provider,balance_usd,currency,fetched_at",
                      nullptr, "", "reading balances")) {
      if (row["balance_usd"].is_null()) continue;
      const std::string provider = row.value("provider", std::string());
      const timestamp at = parse_timestamp(row.value("fetched_at", std::string()));
      auto found = newest.find(provider);
      if (found != newest.end() && found->second.first >= at) continue;
      newest[provider] = {
          at, {provider, micro(row["balance_usd"]), row.value("currency", std::string("USD"))}};
    }
    std::vector<balance_row> out;
    for (auto& [key, entry] : newest) out.push_back(std::move(entry.second));
    return out;
  }

  // As the SQL read does: by provider from cost_daily (every source) unless the filter is
  // itemised, else from usage_daily; a day and key with any unpriced row has no cost.
  std::vector<daily_row> daily(const std::string& group, civil_day from, civil_day to,
                               const usage_filter& f) override {
    if (group != "provider" && group != "model" && group != "agent")
      throw config_error("target.bad_group", "group is provider, model or agent");
    const bool billed = group == "provider" && !f.itemised();
    std::string path = std::string(billed ? "cost_daily" : "usage_daily") + "?select=date," +
                       group +
                       ",cost_usd,input_tokens,output_tokens,cache_read_tokens,"
                       "cache_write_tokens&date=gte." +
                       from.to_string() + "&date=lte." + to.to_string();
    for (const auto& [column, value] :
         {std::pair<const char*, const std::string&>{"provider", f.provider},
          {"model", f.model},
          {"agent", f.agent},
          {"project", f.project},
          {"task", f.task}})
      if (!value.empty() && (!billed || std::string(column) == "provider"))
        path += std::string("&") + column + "=eq." + form_encode(value);
    std::map<std::pair<std::string, std::string>, daily_row> days;
    std::set<std::pair<std::string, std::string>> unpriced;
    each_page(path + "&order=date," + group +
                  (billed ? ",provider,host,source" : ",provider,host,model,agent,project,task"),
              "reading the daily costs", [&](const json& row) {
                const std::pair<std::string, std::string> at{row.value("date", std::string()),
                                                             row.value(group, std::string())};
                auto& d = days[at];
                d.date = at.first;
                d.key = at.second;
                if (const auto cost = rest_money(row["cost_usd"]))
                  d.cost_micro_usd = d.cost_micro_usd.value_or(0) + cost->value;
                else
                  unpriced.insert(at);
                d.tokens += {count(row, "input_tokens"), count(row, "output_tokens"),
                             count(row, "cache_read_tokens"), count(row, "cache_write_tokens")};
              });
    std::vector<daily_row> out;
    for (auto& [at, d] : days) {
      if (unpriced.count(at) != 0) d.cost_micro_usd.reset();
      out.push_back(std::move(d));
    }
    return out;
  }
  std::vector<session_view> sessions(civil_day, civil_day, const std::string&, const usage_filter&,
                                     int) override {
    unsupported("the sessions");
  }
  std::vector<breakdown_row> breakdown(const std::string&, civil_day, civil_day,
                                       const usage_filter&) override {
    unsupported("a breakdown");
  }
  std::vector<service_day_row> service_costs(const std::string&, civil_day, civil_day) override {
    unsupported("the bill by service");
  }
  // A local day's cost holds what could be priced; its unpriced part is counted from
  // usage_daily's rows without a price, and an API day without a cost counts once.
  std::vector<spend_day_row> spend_by_day(civil_day from, civil_day to) override {
    const std::string days = "&date=gte." + from.to_string() + "&date=lte." + to.to_string();
    const auto plans = covered();
    std::map<std::pair<std::string, bool>, spend_day_row> rows;
    each_page(
        "cost_daily?select=provider,date,cost_usd,source" + days + "&order=date,provider,host",
        "reading spend", [&](const json& row) {
          if (plans.count(row.value("provider", std::string())) != 0) return;
          const bool estimated = row.value("source", std::string()) == "local_session";
          auto& r = rows[{row.value("date", std::string()), estimated}];
          r.date = row.value("date", std::string());
          r.estimated = estimated;
          if (const auto cost = rest_money(row["cost_usd"]))
            r.cost_micro_usd = r.cost_micro_usd.value_or(0) + cost->value;
          else if (!estimated)
            ++r.unpriced_rows;
        });
    std::map<std::string, std::int64_t> unpriced;
    each_page("usage_daily?select=provider,date&cost_usd=is.null" + days +
                  "&order=date,provider,host,model,agent,project,task",
              "reading spend", [&](const json& row) {
                if (plans.count(row.value("provider", std::string())) == 0)
                  ++unpriced[row.value("date", std::string())];
              });
    std::vector<spend_day_row> out;
    for (auto& [key, r] : rows) out.push_back(std::move(r));
    for (const auto& [date, count] : unpriced) out.push_back({date, true, std::nullopt, count});
    return out;
  }

  std::vector<spend_total_row> spend_all_time() override {
    spend_total_row billed, estimated;
    billed.estimated = false;
    estimated.estimated = true;
    const auto plans = covered();
    each_page("cost_daily?select=provider,date,cost_usd,source&order=date,provider,host",
              "reading spend", [&](const json& row) {
                if (plans.count(row.value("provider", std::string())) != 0) return;
                auto& r =
                    row.value("source", std::string()) == "local_session" ? estimated : billed;
                const std::string date = row.value("date", std::string());
                if (r.first_date.empty() || date < r.first_date) r.first_date = date;
                if (const auto cost = rest_money(row["cost_usd"]))
                  r.cost_micro_usd += cost->value;
                else if (!r.estimated)
                  ++r.unpriced_rows;
              });
    spend_total_row usage;
    usage.estimated = true;
    each_page(
        "usage_daily?select=provider&cost_usd=is.null&order=date,provider,host,model,agent,"
        "project,task",
        "reading spend", [&](const json& row) {
          if (plans.count(row.value("provider", std::string())) == 0) ++usage.unpriced_rows;
        });
    std::vector<spend_total_row> out;
    if (!billed.first_date.empty()) out.push_back(billed);
    if (!estimated.first_date.empty()) out.push_back(estimated);
    out.push_back(usage);
    return out;
  }

  std::vector<hour_spend_row> spend_by_hour(timestamp since) override {
    std::map<long long, std::int64_t> hours;
    const auto plans = covered();
    each_page(
        "cost_hourly?select=provider,hour,cost_usd&hour=gte." + format_timestamp(since) +
            "&order=hour,provider,host",
        "reading hourly spend", [&](const json& row) {
          if (plans.count(row.value("provider", std::string())) != 0) return;
          const auto t = parse_timestamp(row.value("hour", std::string()));
          hours[std::chrono::duration_cast<std::chrono::hours>(t.time_since_epoch()).count()] +=
              micro(row["cost_usd"]);
        });
    std::vector<hour_spend_row> out;
    for (const auto& [h, cost] : hours)
      out.push_back({format_timestamp(timestamp(std::chrono::hours(h))), cost});
    return out;
  }

  std::vector<provider_day_row> spend_by_provider_day(civil_day from, civil_day to) override {
    std::map<std::pair<std::string, std::string>, provider_day_row> days;
    each_page("cost_daily?select=provider,date,cost_usd,source&date=gte." + from.to_string() +
                  "&date=lte." + to.to_string() + "&order=provider,date,host",
              "reading spend", [&](const json& row) {
                const std::string provider = row.value("provider", std::string());
                const std::string date = row.value("date", std::string());
                auto& d = days[{provider, date}];
                d.provider = provider;
                d.date = date;
                d.estimated = d.estimated || row.value("source", std::string()) == "local_session";
                if (const auto cost = rest_money(row["cost_usd"]))
                  d.cost_micro_usd = d.cost_micro_usd.value_or(0) + cost->value;
                else
                  ++d.unpriced_rows;
              });
    std::vector<provider_day_row> out;
    for (auto& [key, d] : days) out.push_back(std::move(d));
    return out;
  }

  std::vector<billed_day_row> billed_by_day(civil_day, civil_day,
                                            const std::vector<std::string>&) override {
    unsupported("the bills");
  }
  std::vector<estimated_model_row> estimated_by_model(civil_day, civil_day,
                                                      const std::vector<std::string>&) override {
    unsupported("the estimates");
  }

  std::vector<budget_view> budgets() override {
    std::vector<budget_view> out;
    for (const auto& r : budget_records())
      if (r.enabled)
        out.push_back({r.id, r.name, r.kind, r.scope_kind, r.scope_value, r.period,
                       r.threshold_micro_usd, r.warn_permille});
    return out;
  }

  // Totals and providers from cost_daily, agents and models from usage_daily.
  std::int64_t scope_spend_micro_usd(const std::string& scope_kind, const std::string& value,
                                     civil_day from, civil_day to) override {
    const bool by_usage = scope_kind == "agent" || scope_kind == "model";
    std::string path = std::string(by_usage ? "usage_daily" : "cost_daily") +
                       "?select=provider,cost_usd&date=gte." + from.to_string() + "&date=lte." +
                       to.to_string();
    if (by_usage || !value.empty())
      path += "&" + std::string(by_usage ? scope_kind : "provider") + "=eq." + form_encode(value);
    // The total leaves out what a plan covers; a rule on that provider itself still counts it.
    const auto plans = scope_kind == "total" ? covered() : std::set<std::string>{};
    std::int64_t sum = 0;
    each_page(path + "&order=date", "reading spend", [&](const json& row) {
      if (plans.count(row.value("provider", std::string())) == 0) sum += micro(row["cost_usd"]);
    });
    return sum;
  }

  std::vector<subscription> subscriptions() override {
    std::vector<subscription> out;
    each_page("subscriptions?select=provider,plan,monthly_fee_usd,counts_in_spend&order=provider",
              "reading the plans", [&](const json& row) {
                subscription s;
                s.provider = row.value("provider", std::string());
                s.plan = row.value("plan", std::string());
                if (const auto fee = rest_money(row["monthly_fee_usd"]))
                  s.monthly_fee_micro_usd = fee->value;
                s.counts_in_spend = row.value("counts_in_spend", false);
                out.push_back(std::move(s));
              });
    return out;
  }

  void set_subscription(const subscription& s) override {
    const json body = {
        {"provider", s.provider},
        {"plan", s.plan},
        {"monthly_fee_usd", s.monthly_fee_micro_usd
                                ? json(to_decimal_string(micro_usd{*s.monthly_fee_micro_usd}))
                                : json()},
        {"counts_in_spend", s.counts_in_spend}};
    client_.call("POST", "subscriptions?on_conflict=provider", json::array({body}),
                 "resolution=merge-duplicates,return=minimal", "setting a plan");
  }

  bool clear_subscription(const std::string& provider) override {
    const json removed =
        client_.call("DELETE", "subscriptions?provider=eq." + form_encode(provider), nullptr,
                     "return=representation", "clearing a plan");
    return removed.is_array() && !removed.empty();
  }

  // The providers whose usage a plan covers and that spend leaves out.
  std::set<std::string> covered() {
    std::set<std::string> out;
    each_page("subscriptions?select=provider&counts_in_spend=eq.false&order=provider",
              "reading the plans",
              [&](const json& row) { out.insert(row.value("provider", std::string())); });
    return out;
  }

  std::vector<std::string> known_agents() override {
    std::set<std::string> agents;
    each_page("usage_daily?select=agent&agent=neq.&order=agent", "reading the agents",
              [&](const json& row) { agents.insert(row.value("agent", std::string())); });
    return {agents.begin(), agents.end()};
  }
  std::vector<sync_row> last_syncs() override { unsupported("the last syncs"); }
  std::vector<sync_row> sync_log(int, bool) override { unsupported("the sync log"); }

  write_summary write(const sync_batch& batch) override { return write_batch_rest(client_, batch); }
  // PostgREST calls a function by name with its arguments as JSON: rpc/<name>.
  std::int64_t prune_raw_responses(timestamp before, int batch) override {
    const json pruned = client_.call("POST", "rpc/prune_raw_responses",
                                     json{{"before", format_timestamp(before)}, {"batch", batch}},
                                     "", "pruning raw responses");
    if (!pruned.is_number_integer())
      throw store_error("store.query", "pruning raw responses: the REST API answered no count");
    return pruned.get<std::int64_t>();
  }
  std::int64_t record_calls(const std::vector<reported_call>&) override {
    unsupported("recording reported calls");
  }

  std::vector<budget_record> budget_records() override {
    std::vector<budget_record> out;
    for (const auto& row : client_.call("GET",
                                        "budgets?select=id,name,kind,scope_kind,scope_value,"
                                        "period,threshold_usd,warn_ratio,channels,enabled&order=id",
                                        nullptr, "", "reading budgets")) {
      budget_record r;
      r.id = row.value("id", std::int64_t{0});
      r.name = row.value("name", std::string());
      r.kind = row.value("kind", std::string("spend"));
      r.scope_kind = row.value("scope_kind", std::string("total"));
      r.scope_value = row.value("scope_value", std::string());
      r.period = row.value("period", std::string("month"));
      r.threshold_micro_usd = micro(row["threshold_usd"]);
      r.warn_permille =
          static_cast<int>(rest_money(row["warn_ratio"]).value_or(micro_usd{800'000}).value / 1000);
      r.channels_json = row.value("channels", json::array()).dump();
      r.enabled = row.value("enabled", true);
      out.push_back(std::move(r));
    }
    return out;
  }

  std::int64_t add_budget(const budget_record& r) override {
    const json added =
        client_.call("POST", "budgets", budget_body(r), "return=representation", "adding a budget");
    if (!added.is_array() || added.empty())
      throw store_error("store.query", "adding a budget: the REST API returned no row");
    return added[0].value("id", std::int64_t{0});
  }

  bool remove_budget(std::int64_t id) override {
    const json removed = client_.call("DELETE", "budgets?id=eq." + std::to_string(id), nullptr,
                                      "return=representation", "removing a budget");
    return removed.is_array() && !removed.empty();
  }

  static json budget_body(const budget_record& r) {
    return {{"name", r.name},
            {"kind", r.kind},
            {"scope_kind", r.scope_kind},
            {"scope_value", r.scope_value},
            {"period", r.period},
            {"threshold_usd", to_decimal_string(micro_usd{r.threshold_micro_usd})},
            {"warn_ratio", to_decimal_string(micro_usd{r.warn_permille * 1000})},
            {"channels", json::parse(r.channels_json)},
            {"enabled", r.enabled}};
  }
  bool update_budget(std::int64_t id, const budget_record& r) override {
    const json updated = client_.call("PATCH", "budgets?id=eq." + std::to_string(id),
                                      budget_body(r), "return=representation", "changing a budget");
    return updated.is_array() && !updated.empty();
  }
  std::vector<alert_history_row> alert_history(int) override { unsupported("the alert history"); }

  void record_alerts(const std::vector<alert_record>& alerts) override {
    if (alerts.empty()) return;
    json rows = json::array();
    for (const auto& a : alerts)
      rows.push_back({{"budget_id", a.budget_id},
                      {"period_start", a.period_start.to_string()},
                      {"level", a.level},
                      {"spent_usd", to_decimal_string(micro_usd{a.spent_micro_usd})},
                      {"threshold_usd", to_decimal_string(micro_usd{a.threshold_micro_usd})}});
    client_.call("POST", "alert_events?on_conflict=budget_id,period_start,level", rows,
                 "resolution=ignore-duplicates,return=minimal", "recording alerts");
  }

  std::vector<alert_record> undelivered_alerts() override {
    std::vector<alert_record> out;
    for (const auto& row :
         client_.call("GET",
                      "alert_events?select=id,budget_id,period_start,level,spent_usd,threshold_usd,"
                      "delivered_channels&delivered_at=is.null&order=id",
                      nullptr, "", "reading alerts")) {
      alert_record a;
      a.id = row.value("id", std::int64_t{0});
      a.budget_id = row.value("budget_id", std::int64_t{0});
      a.period_start = civil_day::parse(row.value("period_start", std::string()));
      a.level = row.value("level", std::string());
      a.spent_micro_usd = micro(row["spent_usd"]);
      a.threshold_micro_usd = micro(row["threshold_usd"]);
      for (const auto& c : row.value("delivered_channels", json::array()))
        if (c.is_string()) a.delivered_channels.push_back(c.get<std::string>());
      out.push_back(std::move(a));
    }
    return out;
  }

  void record_delivery(std::int64_t alert_id, const std::vector<std::string>& took, bool all,
                       const std::string& errors) override {
    client_.call("PATCH", "alert_events?id=eq." + std::to_string(alert_id),
                 {{"delivered_channels", took},
                  {"delivered_at", all ? json(format_timestamp(now())) : json()},
                  {"delivery_error", errors.empty() ? json() : json(errors)}},
                 "return=minimal", "recording a delivery");
  }

 private:
  [[noreturn]] static void unsupported(const std::string& what) {
    throw store_error("store.query",
                      what +
                          " is read with SQL: give the database's postgres:// URL "
                          "(Supabase: Project Settings, Database, Connection string)");
  }

  template <typename F>
  void each_page(const std::string& path, const std::string& doing, F&& each) {
    for (int offset = 0;; offset += page_rows) {
      const json rows = client_.call(
          "GET", path + "&limit=" + std::to_string(page_rows) + "&offset=" + std::to_string(offset),
          nullptr, "", doing);
      for (const auto& row : rows) each(row);
      if (rows.size() < static_cast<std::size_t>(page_rows)) break;
    }
  }

  postgrest_client client_;
};

}  // namespace

std::unique_ptr<target> open_rest_target(const std::string& base, const std::string& key) {
  return std::make_unique<rest_target>(postgrest_client(base, key));
}

}  // namespace costs::detail
