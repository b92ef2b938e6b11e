// Which rules decide nothing (dead) and which libseccomp refuses: what the
// rule checks start from.
#include "lint/checks/policy_checks.hpp"

#include <algorithm>
#include <set>

#include <fmt/core.h>

#include "profile/writers/rule_numbers.hpp"

namespace seccage::lint_detail {
namespace {

// A Decision's meaning without the rule indexes that produced it.
std::string decision_key(const Decision& d) {
  std::string k = fmt::format("{:08x}", d.otherwise.to_ret());
  for (const DecisionCase& c : d.cases) {
    k += fmt::format("|{:08x}", c.action.to_ret());
    for (const WordTest& t : c.tests) k += ";" + t.to_string();
  }
  return k;
}

// The keys of every decision a group of rules can affect.
std::vector<std::string> group_keys(const Policy& sub, const std::set<writer_detail::ArchNumber>& reach) {
  const Evaluator eval(sub);
  std::vector<std::string> keys;
  for (const auto& [arch, nr] : reach) keys.push_back(decision_key(eval.decisions(arch).at(nr)));
  return keys;
}

}  // namespace

// A rule is dead when neutralising it (giving it the default action, which
// the semantics treat as a no-op) changes no decision on any arch. Rules are
// tried from last to first and stay neutralised once found dead, so of two
// duplicates the later one is reported and the earlier one stays in charge;
// a conditional rule overridden by a later unconditional one is reported,
// not the unconditional rule. Only rules that reach a common syscall number
// are simulated together (rule_numbers.hpp), which keeps this linear in
// practice.
RuleStatus dead_rules(const Policy& policy, const std::vector<RefusedRule>& refused) {
  RuleStatus st{std::vector<bool>(policy.rules.size()), std::vector<bool>(policy.rules.size())};
  for (const RefusedRule& r : refused) st.refused[static_cast<std::size_t>(r.rule)] = true;
  for (const std::vector<std::size_t>& group : writer_detail::interacting_groups(policy)) {
    std::vector<std::size_t> candidates;
    for (std::size_t i : group) {
      const Rule& r = policy.rules[i];
      if (r.action != policy.default_action && !st.refused[i]) candidates.push_back(i);
    }
    if (candidates.size() < 2) continue;  // a lone rule always decides its syscall
    Policy sub = policy;
    sub.rules.clear();
    std::set<writer_detail::ArchNumber> reach;
    for (std::size_t i : group) {
      sub.rules.push_back(policy.rules[i]);
      for (const auto& n : writer_detail::numbers_of_rule(policy, i)) reach.insert(n);
    }
    // Refused rules are no-ops in the semantics already; neutralise them so
    // that the comparisons below do not depend on the refusal replaying.
    auto local = [&](std::size_t i) {
      return static_cast<std::size_t>(std::find(group.begin(), group.end(), i) - group.begin());
    };
    for (std::size_t i : group)
      if (st.refused[i]) sub.rules[local(i)].action = sub.default_action;
    const std::vector<std::string> base = group_keys(sub, reach);
    for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
      Policy trial = sub;
      trial.rules[local(*it)].action = trial.default_action;
      if (group_keys(trial, reach) == base) {
        st.dead[*it] = true;
        sub = std::move(trial);
      }
    }
  }
  return st;
}

}  // namespace seccage::lint_detail
