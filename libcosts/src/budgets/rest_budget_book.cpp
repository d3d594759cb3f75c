// Budget rules and alert_events through Supabase's REST API (PostgREST) with the service key:
// sums are taken here from the rows, page by page, since PostgREST does not aggregate.

#include "budgets/rest_budget_book.hpp"
#include "budgets/judge.hpp"
#include "costs/error.hpp"
#include "http/http_client.hpp"

namespace costs::detail {
namespace {

using json = nlohmann::json;

constexpr int page_rows = 1000;  // Supabase's default max-rows

std::string q(const std::string& value) {
  return form_encode(value);
}

class rest_budget_book final : public budget_book {
 public:
  explicit rest_budget_book(postgrest_client client) : client_(std::move(client)) {}

  std::vector<budget_rule> list() override {
    std::vector<budget_rule> out;
    for (const auto& row : client_.call("GET",
                                        "budgets?select=id,name,kind,scope_kind,scope_value,"
                                        "period,threshold_usd,warn_ratio,channels,enabled&order=id",
                                        nullptr, "", "reading budgets")) {
      budget_rule r;
      r.id = row.value("id", std::int64_t{0});
      r.name = row.value("name", std::string());
      r.kind = row.value("kind", std::string("spend"));
      r.scope_kind = row.value("scope_kind", std::string("total"));
      r.scope_value = row.value("scope_value", std::string());
      r.period = row.value("period", std::string("month"));
      r.threshold = rest_money(row["threshold_usd"]).value_or(micro_usd{});
      r.warn_permille =
          static_cast<int>(rest_money(row["warn_ratio"]).value_or(micro_usd{800'000}).value / 1000);
      r.channels = row.value("channels", json::array());
      r.enabled = row.value("enabled", true);
      out.push_back(std::move(r));
    }
    return out;
  }

  std::int64_t add(const budget_rule& r) override {
    const json added = client_.call("POST", "budgets",
                                    {{"name", r.name},
                                     {"kind", r.kind},
                                     {"scope_kind", r.scope_kind},
                                     {"scope_value", r.scope_value},
                                     {"period", r.period},
                                     {"threshold_usd", to_decimal_string(r.threshold)},
                                     {"warn_ratio", static_cast<double>(r.warn_permille) / 1000.0},
                                     {"channels", r.channels},
                                     {"enabled", r.enabled}},
                                    "return=representation", "adding a budget");
    if (!added.is_array() || added.empty())
      throw store_error("store.rest", "adding a budget: the REST API returned no row");
    return added[0].value("id", std::int64_t{0});
  }

  bool remove(std::int64_t id) override {
    const json removed = client_.call("DELETE", "budgets?id=eq." + std::to_string(id), nullptr,
                                      "return=representation", "removing a budget");
    return removed.is_array() && !removed.empty();
  }

  std::vector<budget_alert> pending_alerts(civil_day today) override {
    const auto rules = list();
    json fired = json::array();
    for (const auto& f : judge_rules(
             rules, today,
             [&](const std::string&provider) -> std::optional<micro_usd> {
               for (const auto& row :
                    client_.call("GET",
                                 "usage_latest?select=balance_usd,currency&provider=eq." +
                                     q(provider) + "&order=fetched_at.desc",
                                 nullptr, "", "reading balances"))
                 if (!row["balance_usd"].is_null() && row.value("currency", std::string()) == "USD")
                   return rest_money(row["balance_usd"]);
               return std::nullopt;
             },
             [&](const budget_rule&r, civil_day from, civil_day to) { return spent(r, from, to); }))
      fired.push_back({{"budget_id", f.rule->id},
                       {"period_start", f.period_start.to_string()},
                       {"level", f.level},
                       {"spent_usd", to_decimal_string(f.measured)},
                       {"threshold_usd", to_decimal_string(f.rule->threshold)}});
    if (!fired.empty())
      client_.call("POST", "alert_events?on_conflict=budget_id,period_start,level", fired,
                   "resolution=ignore-duplicates,return=minimal", "recording alerts");
    std::vector<budget_alert> out;
    for (const auto& row :
         client_.call("GET",
                      "alert_events?select=id,budget_id,period_start,level,spent_usd,threshold_usd,"
                      "delivered_channels&delivered_at=is.null&order=id",
                      nullptr, "", "reading alerts")) {
      const budget_rule* rule = find_rule(rules, row.value("budget_id", std::int64_t{0}));
      if (rule == nullptr) continue;
      budget_alert a;
      a.event_id = row.value("id", std::int64_t{0});
      a.rule = *rule;
      a.period_start = civil_day::parse(row.value("period_start", std::string()));
      a.level = row.value("level", std::string());
      a.spent = rest_money(row["spent_usd"]).value_or(micro_usd{});
      a.threshold = rest_money(row["threshold_usd"]).value_or(micro_usd{});
      for (const auto& c : row.value("delivered_channels", json::array()))
        if (c.is_string()) a.delivered.push_back(c.get<std::string>());
      out.push_back(std::move(a));
    }
    return out;
  }

  void record_delivery(const budget_alert& a, const std::vector<std::string>& took,
                       const std::string& errors) override {
    const bool all = delivered_everywhere(a, took);
    client_.call("PATCH", "alert_events?id=eq." + std::to_string(a.event_id),
                 {{"delivered_channels", took},
                  {"delivered_at", all ? json(format_timestamp(now())) : json()},
                  {"delivery_error", errors.empty() ? json() : json(errors)}},
                 "return=minimal", "recording a delivery");
  }

  micro_usd spent_in(const budget_rule& r, civil_day from, civil_day to) override {
    return spent(r, from, to);
  }

 private:
  micro_usd spent(const budget_rule& r, civil_day from, civil_day to) {
    const bool by_usage = r.scope_kind == "agent" || r.scope_kind == "model";
    std::string path = std::string(by_usage ? "usage_daily" : "cost_daily") +
                       "?select=cost_usd&date=gte." + from.to_string() + "&date=lte." +
                       to.to_string();
    if (r.scope_kind != "total") path += "&" + r.scope_kind + "=eq." + q(r.scope_value);
    micro_usd sum;
    for (int offset = 0;; offset += page_rows) {
      const json rows = client_.call(
          "GET", path + "&limit=" + std::to_string(page_rows) + "&offset=" + std::to_string(offset),
          nullptr, "", "reading spend");
      for (const auto& row : rows)
        if (auto cost = rest_money(row["cost_usd"])) sum += *cost;
      if (rows.size() < static_cast<std::size_t>(page_rows)) break;
    }
    return sum;
  }

  postgrest_client client_;
};

}  // namespace

std::unique_ptr<budget_book> open_rest_budget_book(const std::string& base,
                                                   const std::string& key) {
  return std::make_unique<rest_budget_book>(postgrest_client(base, key));
}

}  // namespace costs::detail
