// Budget rules and alert_events in Postgres.

#include <pqxx/pqxx>

#include "budgets/judge.hpp"
#include "budgets/rest_budget_book.hpp"
#include "costs/budgets.hpp"
#include "costs/error.hpp"
#include "costs/store.hpp"
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
      const auto fired = detail::judge_rules(
          rules, today,
          [&](const std::string& provider) -> std::optional<micro_usd> {
            const auto rows = tx.exec_params(
                "select balance_usd::text from public.usage_latest where provider = $1 and "
                "balance_usd is not null and currency = 'USD' order by fetched_at desc limit 1",
                provider);
            if (rows.empty()) return std::nullopt;
            return micro_of(rows[0][0]);
          },
          [&](const budget_rule& r, civil_day from, civil_day to) {
            return spent(tx, r, from, to);
          });
      for (const auto& f : fired)
        tx.exec_params(
            "insert into public.alert_events (budget_id, period_start, level, spent_usd, "
            "threshold_usd) values ($1, $2::date, $3, $4::numeric, $5::numeric) "
            "on conflict (budget_id, period_start, level) do nothing",
            f.rule->id, f.period_start.to_string(), f.level, to_decimal_string(f.measured),
            to_decimal_string(f.rule->threshold));
      tx.commit();
    }
    pqxx::read_transaction tx(c_);
    std::vector<budget_alert> out;
    for (const auto& row :
         tx.exec("select id, budget_id, period_start::text, level, spent_usd::text, "
                 "threshold_usd::text, delivered_channels::text from public.alert_events "
                 "where delivered_at is null order by id")) {
      budget_alert a;
      a.event_id = row[0].as<std::int64_t>();
      const budget_rule* rule = detail::find_rule(rules, row[1].as<std::int64_t>());
      if (rule == nullptr) continue;
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
    const bool all = detail::delivered_everywhere(a, took);
    pqxx::work tx(c_);
    tx.exec_params(
        "update public.alert_events set delivered_channels = $2::text[], "
        "delivered_at = case when $3 then now() end, delivery_error = nullif($4, '') "
        "where id = $1",
        a.event_id, array, all, errors);
    tx.commit();
  }

  micro_usd spent_in(const budget_rule& r, civil_day from, civil_day to) override {
    pqxx::work tx(c_);
    return spent(tx, r, from, to);
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
  if (!is_postgres_url(url)) return detail::open_rest_budget_book(url, rest_key);
  try {
    return std::make_unique<postgres_budget_book>(url);
  } catch (const pqxx::failure& e) {
    throw detail::to_store_error(e, "connecting");
  }
}

}  // namespace costs
