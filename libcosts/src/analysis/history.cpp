#include "costs/history.hpp"

#include <map>

#include <pqxx/pqxx>

#include "store/pg_error.hpp"

namespace costs {

std::vector<provider_history> read_history(const std::string& url, civil_day from, civil_day to) {
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

}  // namespace costs
