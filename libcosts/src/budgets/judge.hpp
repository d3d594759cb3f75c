// Private: judging budget rules, the same for every kind of book (Postgres or REST); the books
// only say how to read a balance and a scope's spend, and where to record what fired.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "costs/budgets.hpp"

namespace costs::detail {

/// A level a rule reached in its current period.
struct fired_alert {
  const budget_rule* rule = nullptr;
  civil_day period_start;
  std::string level;   ///< "warn" or "exceeded": only the highest reached
  micro_usd measured;  ///< spend, or for a low-balance rule the balance
};

/// Every enabled rule judged for the period holding `today`. `balance` gives a provider's
/// newest USD balance (nullopt: none known, the rule is skipped); `spent` a spend rule's scope
/// from `from` to `to`.
std::vector<fired_alert> judge_rules(
    const std::vector<budget_rule>& rules, civil_day today,
    const std::function<std::optional<micro_usd>(const std::string& provider)>& balance,
    const std::function<micro_usd(const budget_rule& rule, civil_day from, civil_day to)>& spent);

/// The enabled rule with `id`, or nullptr (an alert of a removed or disabled rule waits).
const budget_rule* find_rule(const std::vector<budget_rule>& rules, std::int64_t id);

/// Has every channel of the alert's rule taken it?
bool delivered_everywhere(const budget_alert& alert, const std::vector<std::string>& took);

}  // namespace costs::detail
