// Budget rules and alert_events in Postgres.
#include <algorithm>

#include <pqxx/pqxx>

#include "budgets/rest_budget_book.hpp"
#include "costs/budgets.hpp"
#include "costs/error.hpp"
#include "costs/forecast.hpp"
#include "store/pg_error.hpp"

namespace costs {
namespace {

micro_usd micro_of(const pqxx::field& f) {
  return parse_usd(f.c_str());
}

std::vector<std::string> parse_text_array(const std::string& text) {
  // '{a,b}': channel ids are [a-z0-9-] only, so no quoting to undo.
  std::vector<std::string> out;
  std::string cur;
  for (const char c : text) {
    if (c == '{' || c == '}' || c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

class postgres_budget_book : public budget_book {
 public:
  explicit postgres_budget_book(const std::string& url) : c_(url) {}

  std::vector<budget_rule> list() override {
    pqxx::read_transaction tx(c_);
    std::vector<budget_rule> out;
    for (const auto& row : tx.exec(
             "select id, name, kind, scope_kind, scope_value, period, threshold_usd::text, "
             "(warn_ratio * 1000)::int, channels::text, enabled from public.budgets order by id")) {
      budget_rule r;
      r.id = row[0].as<std::int64_t>();
      r.name = row[1].c_str();
      r.kind = row[2].c_str();
      r.scope_kind = row[3].c_str();
      r.scope_value = row[4].c_str();
      r.period = row[5].c_str();
      r.threshold = micro_of(row[6]);
      r.warn_permille = row[7].as<int>();
      r.channels = nlohmann::json::parse(row[8].c_str());
      r.enabled = row[9].as<bool>();
      out.push_back(std::move(r));
    }
    return out;
  }

  std::int64_t add(const budget_rule& r) override {
    try {
      pqxx::work tx(c_);
      const auto row = tx.exec_params1(
          "insert into public.budgets (name, kind, scope_kind, scope_value, period, threshold_usd, "
          "warn_ratio, channels, enabled) values ($1, $2, $3, $4, $5, $6::numeric, "
          "$7::numeric / 1000, $8::jsonb, $9) returning id",
          r.name, r.kind, r.scope_kind, r.scope_value, r.period, to_decimal_string(r.threshold),
          r.warn_permille, r.channels.dump(), r.enabled);
      tx.commit();
      return row[0].as<std::int64_t>();
    } catch (const pqxx::failure& e) {
      throw detail::to_store_error(e, "adding a budget");
    }
  }

  bool remove(std::int64_t id) override {
    pqxx::work tx(c_);
    const auto r = tx.exec_params("delete from public.budgets where id = $1", id);
    tx.commit();
    return r.affected_rows() > 0;
  }

  std::vector<budget_alert> pending_alerts(civil_day today) override {
    const auto rules = list();
    {
      pqxx::work tx(c_);
      for (const auto& r : rules) {
        if (!r.enabled) continue;
        const civil_day from = period_start(r.period, today);
        std::optional<micro_usd> measured;
        if (r.kind == "low_balance") {
          const auto rows = tx.exec_params(
              "select balance_usd::text from public.usage_latest where provider = $1 and "
              "balance_usd is not null and currency = 'USD' order by fetched_at desc limit 1",
              r.scope_value);
          if (rows.empty()) continue;
          measured = micro_of(rows[0][0]);
        } else {
          measured = spent(tx, r, from, today);
        }
        const std::string level = alert_level(r, *measured);
        if (level.empty()) continue;
        // Only the highest level reached: a jump straight past the threshold is one alert.
        tx.exec_params(
            "insert into public.alert_events (budget_id, period_start, level, spent_usd, "
            "threshold_usd) values ($1, $2::date, $3, $4::numeric, $5::numeric) "
            "on conflict (budget_id, period_start, level) do nothing",
            r.id, from.to_string(), level, to_decimal_string(*measured),
            to_decimal_string(r.threshold));
      }
      tx.commit();
    }
    pqxx::read_transaction tx(c_);
    std::vector<budget_alert> out;
    for (const auto& row :
         tx.exec("select e.id, e.budget_id, e.period_start::text, e.level, e.spent_usd::text, "
                 "e.threshold_usd::text, e.delivered_channels::text from public.alert_events e "
                 "join public.budgets b on b.id = e.budget_id "
                 "where e.delivered_at is null and b.enabled order by e.id")) {
      budget_alert a;
      a.event_id = row[0].as<std::int64_t>();
      const auto id = row[1].as<std::int64_t>();
      const auto rule = std::find_if(rules.begin(), rules.end(),
                                     [&](const budget_rule& r) { return r.id == id; });
      if (rule == rules.end()) continue;
      a.rule = *rule;
      a.period_start = civil_day::parse(row[2].c_str());
      a.level = row[3].c_str();
      a.spent = micro_of(row[4]);
      a.threshold = micro_of(row[5]);
      a.delivered = parse_text_array(row[6].c_str());
      out.push_back(std::move(a));
    }
    return out;
  }

  void record_delivery(const budget_alert& a, const std::vector<std::string>& took,
                       const std::string& errors) override {
    std::string array = "{";
    for (const auto& id : took) array += (array.size() > 1 ? "," : "") + id;
    array += "}";
    bool all = true;
    for (const auto& ch : a.rule.channels)
      all = all && std::find(took.begin(), took.end(), channel_id(ch)) != took.end();
    pqxx::work tx(c_);
    tx.exec_params(
        "update public.alert_events set delivered_channels = $2::text[], "
        "delivered_at = case when $3 then now() end, delivery_error = nullif($4, '') "
        "where id = $1",
        a.event_id, array, all, errors);
    tx.commit();
  }

 private:
  micro_usd spent(pqxx::work& tx, const budget_rule& r, civil_day from, civil_day to) {
    const bool by_usage = r.scope_kind == "agent" || r.scope_kind == "model";
    const std::string sql =
        by_usage ? "select coalesce(sum(cost_usd), 0)::text from public.usage_daily where date "
                   "between $1::date and $2::date and " +
                       r.scope_kind + " = $3"
                 : "select coalesce(sum(cost_usd), 0)::text from public.cost_daily where date "
                   "between $1::date and $2::date and ($3 = '' or provider = $3)";
    return micro_of(tx.exec_params1(sql, from.to_string(), to.to_string(), r.scope_value)[0]);
  }

  pqxx::connection c_;
};

}  // namespace

std::unique_ptr<budget_book> open_budget_book(const std::string& url, const std::string& rest_key) {
  if (!detail::is_postgres_target(url)) return detail::open_rest_budget_book(url, rest_key);
  try {
    return std::make_unique<postgres_budget_book>(url);
  } catch (const pqxx::failure& e) {
    throw detail::to_store_error(e, "connecting");
  }
}

}  // namespace costs
