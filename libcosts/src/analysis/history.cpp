#include "costs/history.hpp"
#include "costs/store.hpp"

#include <map>

#include <pqxx/pqxx>

#include "store/pg_error.hpp"
#include "store/postgrest_client.hpp"

namespace costs {

namespace {

// The same through Supabase's REST API: rows page by page, summed here.
std::vector<provider_history> read_history_rest(const std::string& base, const std::string& key,
                                                civil_day from, civil_day to) {
  const detail::postgrest_client client(base, key);
  std::map<std::string, provider_history> by_provider;
  std::map<std::pair<std::string, long long>, micro_usd> days;
  constexpr int page = 1000;
  for (int offset = 0;; offset += page) {
    const auto rows = client.call("GET",
                                  "cost_daily?select=provider,date,cost_usd,source&date=gte." +
                                      from.to_string() + "&date=lte." + to.to_string() +
                                      "&order=provider,date,host&limit=" + std::to_string(page) +
                                      "&offset=" + std::to_string(offset),
                                  nullptr, "", "reading spend");
    for (const auto& row : rows) {
      const std::string provider = row.value("provider", std::string());
      auto& p = by_provider[provider];
      p.provider = provider;
      p.estimated = p.estimated || row.value("source", std::string()) == "local_session";
      days[{provider, civil_day::parse(row.value("date", std::string())).days_since_epoch()}] +=
          detail::rest_money(row["cost_usd"]).value_or(micro_usd{});
    }
    if (rows.size() < static_cast<std::size_t>(page)) break;
  }
  for (const auto& [k, cost] : days)
    by_provider[k.first].days.push_back({civil_day::from_days_since_epoch(k.second), cost});
  for (const auto& row : client.call(
           "GET",
           "usage_latest?select=provider,balance_usd,currency&order=provider,fetched_at.desc",
           nullptr, "", "reading balances")) {
    if (row["balance_usd"].is_null()) continue;
    auto& p = by_provider[row.value("provider", std::string())];
    if (p.balance) continue;  // the newest one per provider came first
    p.provider = row.value("provider", std::string());
    p.balance = detail::rest_money(row["balance_usd"]);
    p.currency = row.value("currency", std::string("USD"));
  }
  std::vector<provider_history> out;
  for (auto& [key_, p] : by_provider) out.push_back(std::move(p));
  return out;
}

}  // namespace

std::vector<provider_history> read_history(const std::string& url, civil_day from, civil_day to,
                                           const std::string& rest_key) {
  if (!is_postgres_url(url)) return read_history_rest(url, rest_key, from, to);
  try {
    pqxx::connection c(url);
    pqxx::read_transaction tx(c);
    std::map<std::string, provider_history> by_provider;
    for (const auto& row :
         tx.exec_params("select provider, date::text, coalesce(sum(cost_usd), 0)::text, "
                        "bool_or(source = 'local_session') from public.cost_daily "
                        "where date between $1::date and $2::date group by 1, 2 order by 1, 2",
                        from.to_string(), to.to_string())) {
      auto& p = by_provider[row[0].c_str()];
      p.provider = row[0].c_str();
      p.days.push_back({civil_day::parse(row[1].c_str()), parse_usd(row[2].c_str())});
      p.estimated = p.estimated || row[3].as<bool>();
    }
    for (const auto& row :
         tx.exec("select distinct on (provider) provider, balance_usd::text, currency, "
                 "source = 'local_session' from public.usage_latest where balance_usd is not null "
                 "order by provider, fetched_at desc")) {
      auto& p = by_provider[row[0].c_str()];
      p.provider = row[0].c_str();
      p.balance = parse_usd(row[1].c_str());
      p.currency = row[2].c_str();
    }
    std::vector<provider_history> out;
    for (auto& [key, p] : by_provider) out.push_back(std::move(p));
    return out;
  } catch (const pqxx::failure& e) {
    throw detail::to_store_error(e, "reading spend");
  }
}

std::vector<hour_cost> read_hourly(const std::string& target, timestamp since,
                                   const std::string& rest_key) {
  std::map<long long, micro_usd> hours;
  auto add = [&](const std::string& when, micro_usd cost) {
    const auto t = parse_timestamp(when);
    hours[std::chrono::duration_cast<std::chrono::hours>(t.time_since_epoch()).count()] += cost;
  };
  if (is_postgres_url(target)) {
    try {
      pqxx::connection c(target);
      pqxx::read_transaction tx(c);
      for (const auto& row : tx.exec_params(
               "select to_char(hour at time zone 'utc', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
               "coalesce(sum(cost_usd), 0)::text from public.cost_hourly "
               "where hour >= $1::timestamptz group by 1",
               format_timestamp(since)))
        add(row[0].c_str(), parse_usd(row[1].c_str()));
    } catch (const pqxx::failure& e) {
      throw detail::to_store_error(e, "reading hourly spend");
    }
  } else {
    const detail::postgrest_client client(target, rest_key);
    constexpr int page = 1000;
    for (int offset = 0;; offset += page) {
      const auto rows =
          client.call("GET",
                      "cost_hourly?select=hour,cost_usd&hour=gte." + format_timestamp(since) +
                          "&order=hour,provider,host&limit=" + std::to_string(page) +
                          "&offset=" + std::to_string(offset),
                      nullptr, "", "reading hourly spend");
      for (const auto& row : rows)
        add(row.value("hour", std::string()),
            detail::rest_money(row["cost_usd"]).value_or(micro_usd{}));
      if (rows.size() < static_cast<std::size_t>(page)) break;
    }
  }
  std::vector<hour_cost> out;
  for (const auto& [h, cost] : hours) out.push_back({timestamp(std::chrono::hours(h)), cost});
  return out;
}

}  // namespace costs
