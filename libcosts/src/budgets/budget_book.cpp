// The budget book over a costs::target: rules, alerts and deliveries are the target's rows
// (Postgres or Supabase's REST API alike); judging them is the same for both.

#include "budgets/judge.hpp"
#include "costs/budgets.hpp"
#include "costs/error.hpp"
#include "costs/target.hpp"

namespace costs {
namespace {

budget_rule rule_of(const budget_record& r) {
  budget_rule rule;
  rule.id = r.id;
  rule.name = r.name;
  rule.kind = r.kind;
  rule.scope_kind = r.scope_kind;
  rule.scope_value = r.scope_value;
  rule.period = r.period;
  rule.threshold = micro_usd{r.threshold_micro_usd};
  rule.warn_permille = r.warn_permille;
  // A rule written by hand into the table may hold anything: its channels are then none, and
  // sending says so (deliver_alert), rather than this whole list failing.
  rule.channels = nlohmann::json::parse(r.channels_json, nullptr, false);
  if (rule.channels.is_discarded()) rule.channels = nlohmann::json::array();
  rule.enabled = r.enabled;
  return rule;
}

budget_record record_of(const budget_rule& rule) {
  budget_record r;
  r.name = rule.name;
  r.kind = rule.kind;
  r.scope_kind = rule.scope_kind;
  r.scope_value = rule.scope_value;
  r.period = rule.period;
  r.threshold_micro_usd = rule.threshold.value;
  r.warn_permille = rule.warn_permille;
  r.channels_json = rule.channels.dump();
  r.enabled = rule.enabled;
  return r;
}

class target_budget_book final : public budget_book {
 public:
  explicit target_budget_book(std::unique_ptr<target> t) : t_(std::move(t)) {}

  std::vector<budget_rule> list() override {
    std::vector<budget_rule> out;
    for (const auto& r : t_->budget_records()) out.push_back(rule_of(r));
    return out;
  }

  std::int64_t add(const budget_rule& rule) override { return t_->add_budget(record_of(rule)); }

  bool replace(std::int64_t id, const budget_rule& rule) override {
    return t_->update_budget(id, record_of(rule));
  }

  bool remove(std::int64_t id) override { return t_->remove_budget(id); }

  micro_usd spent_in(const budget_rule& rule, civil_day from, civil_day to) override {
    return micro_usd{t_->scope_spend_micro_usd(rule.scope_kind, rule.scope_value, from, to)};
  }

  std::vector<budget_alert> pending_alerts(civil_day today) override {
    const auto rules = list();
    std::vector<balance_row> balances;
    bool balances_read = false;
    std::vector<alert_record> fired;
    for (const auto& f : detail::judge_rules(
             rules, today,
             [&](const std::string&provider) -> std::optional<micro_usd> {
               if (!balances_read) balances = t_->balances();
               balances_read = true;
               for (const auto& b : balances)
                 if (b.provider == provider && b.currency == "USD")
                   return micro_usd{b.balance_micro_usd};
               return std::nullopt;
             },
             [&](const budget_rule&r, civil_day from, civil_day to) {
               return spent_in(r, from, to);
             })) {
      alert_record a;
      a.budget_id = f.rule->id;
      a.period_start = f.period_start;
      a.level = f.level;
      a.spent_micro_usd = f.measured.value;
      a.threshold_micro_usd = f.rule->threshold.value;
      fired.push_back(std::move(a));
    }
    t_->record_alerts(fired);
    std::vector<budget_alert> out;
    for (const auto& row : t_->undelivered_alerts()) {
      const budget_rule* rule = detail::find_rule(rules, row.budget_id);
      if (rule == nullptr) continue;
      budget_alert a;
      a.event_id = row.id;
      a.rule = *rule;
      a.period_start = row.period_start;
      a.level = row.level;
      a.spent = micro_usd{row.spent_micro_usd};
      a.threshold = micro_usd{row.threshold_micro_usd};
      a.delivered = row.delivered_channels;
      out.push_back(std::move(a));
    }
    return out;
  }

  void record_delivery(const budget_alert& a, const std::vector<std::string>& took,
                       const std::string& errors) override {
    t_->record_delivery(a.event_id, took, detail::delivered_everywhere(a, took), errors);
  }

 private:
  std::unique_ptr<target> t_;
};

}  // namespace

std::unique_ptr<budget_book> open_budget_book(const std::string& url, const std::string& rest_key) {
  target_options options;
  options.rest_key = rest_key;
  return std::make_unique<target_budget_book>(open_target(url, options));
}

}  // namespace costs
