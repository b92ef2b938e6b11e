#include "lint/checks/policy_checks.hpp"

#include <set>

#include <fmt/core.h>

#include "policy/regions.hpp"

namespace seccage::lint_detail {
namespace {

// Whether the live rules on a syscall all give `a` and together cover every
// argument value: then the syscall gets `a` whatever the call. The regions
// are the text language's set algebra (policy/regions.hpp), exact for the
// comparisons seccomp has; a region too large to work out counts as "no".
bool covers_every_argument(const Policy& p, const RuleStatus& st, const SyscallRef& ref, const Action& a) {
  using namespace regions;
  try {
    Region all;
    for (std::size_t j = 0; j < p.rules.size(); ++j) {
      const Rule& o = p.rules[j];
      if (o.syscall != ref || st.refused[j] || o.action == p.default_action) continue;
      if (o.action != a) return false;
      Region one = any_region();
      for (const Condition& c : o.conditions) one = intersect(one, region_of(c));
      all = unite(std::move(all), one);
    }
    return complement(all).empty();
  } catch (const RegionTooComplex&) {
    return false;
  }
}

}  // namespace

// no-effect: a conditional rule whose syscall gets the rule's action for
// every argument on every arch, with another statement (an unconditional
// rule, or in the text language the earlier statement the compiler carved
// around this one) giving it that action too. The condition then limits
// nothing, which is the opposite of what a reviewer reads into it: the
// web-worker case, `allow @system-service` then `allow socket: arg0 ==
// AF_INET`. Rules of one statement alone are never reported: together they
// are what decides the syscall. The rules reported go into facts.no_effect,
// so rule-outcomes does not report them a second time as redundant.
void check_no_effect(Context& ctx, PolicyFacts& facts) {
  const RuleStatus& st = facts.status;
  const Policy& p = ctx.policy;
  std::vector<bool> reported(p.rules.size());
  std::set<std::pair<RuleOrigin, std::string>> seen;  // one finding per statement and syscall
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const Rule& r = p.rules[i];
    if (r.conditions.empty() || st.refused[i] || r.action == p.default_action) continue;
    if (!covers_every_argument(p, st, r.syscall, r.action)) continue;
    const std::string subject = to_string(r.syscall);
    // The statement that decides it already: an unconditional rule (JSON,
    // where order does not matter), or a rule written before this one in the
    // same file (the text language, whose compiler carves the earlier
    // statement around the later one). The earlier one is never reported.
    const FindingLocation here = ctx.locate_origin(r.origin, subject);
    const Rule* decider = nullptr;
    for (const Rule& o : p.rules) {
      if (o.syscall != r.syscall || o.action != r.action || o.origin == r.origin) continue;
      const FindingLocation there = ctx.locate_origin(o.origin, subject);
      const bool before = there.file == here.file && std::pair(there.line, there.column) < std::pair(here.line, here.column);
      if (!o.conditions.empty() && !before) continue;
      if (!decider || (o.conditions.empty() && !decider->conditions.empty())) decider = &o;
    }
    if (!decider) continue;
    reported[i] = true;
    if (!seen.insert({r.origin, subject}).second) continue;
    // The statement's whole condition: the rules it became, as alternatives.
    std::vector<std::string> alternatives;
    for (const Rule& o : p.rules)
      if (o.origin == r.origin && o.syscall == r.syscall && o.action == r.action && !o.conditions.empty())
        alternatives.push_back(conditions_text(o));
    ctx.add(Severity::Warning, "no-effect",
            fmt::format("{} {} if {}: no effect: {} gets {} for every argument, because the rule at {} already gives "
                        "it {}{}; the condition limits nothing. To limit it, take it away first (e.g. deny {} before "
                        "this rule) or leave it out of the earlier rule",
                        subject, r.action.to_string(), join(alternatives, " || "), subject, r.action.to_string(),
                        ctx.locate_origin(decider->origin, subject).to_string(), r.action.to_string(),
                        decider->conditions.empty() ? " unconditionally" : " for the other calls", subject),
            here, subject);
  }
  facts.no_effect = std::move(reported);
}

}  // namespace seccage::lint_detail
