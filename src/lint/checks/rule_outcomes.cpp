// refused-rule, same-as-default, duplicate-rule, redundant-rule and
// shadowed-rule: rules that libseccomp refuses or that decide nothing.
#include "lint/checks/policy_checks.hpp"

#include <fmt/core.h>

#include "profile/writers/rule_numbers.hpp"

namespace seccage::lint_detail {

void check_rule_outcomes(Context& ctx, PolicyFacts& facts) {
  const Evaluator& eval = facts.eval;
  const RuleStatus& st = facts.status;
  const std::vector<RefusedRule>& refused = facts.refused;
  const std::vector<bool>& no_effect = facts.no_effect;
  const Policy& p = ctx.policy;
  for (const RefusedRule& r : refused) {
    const Rule& rule = p.rules[static_cast<std::size_t>(r.rule)];
    const std::string subject = to_string(rule.syscall);
    ctx.add(Severity::Error, "refused-rule",
            fmt::format("{} {}: libseccomp refuses this rule ({}), so runc and crun fail to load the profile", subject,
                        rule.action.to_string(), r.reason),
            ctx.locate_origin(rule.origin, subject), subject);
  }
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const Rule& r = p.rules[i];
    const std::string subject = to_string(r.syscall);
    if (r.action == p.default_action) {
      ctx.add(Severity::Warning, "same-as-default",
              fmt::format("{}: the rule's action {} is the default action, so it changes nothing (libseccomp refuses "
                          "such a rule; runc and crun drop it silently)",
                          subject, r.action.describe()),
              ctx.locate_origin(r.origin, subject), subject);
      continue;
    }
    if (!st.dead[i] || no_effect[i]) continue;
    // Explain with the live rules on the same syscall.
    const Rule* unconditional = nullptr;
    const Rule* same = nullptr;
    std::vector<std::string> others;
    for (std::size_t j = 0; j < p.rules.size(); ++j) {
      const Rule& o = p.rules[j];
      if (j == i || st.dead[j] || st.refused[j] || o.syscall != r.syscall || o.action == p.default_action) continue;
      if (o.conditions.empty() && !unconditional) unconditional = &o;
      if (o == r && !same) same = &o;
      others.push_back(ctx.locate_origin(o.origin, subject).to_string());
    }
    // Redundant (info) when what the filter does anyway is what the rule
    // asks for; shadowed (warning) when the rule wanted something else.
    bool same_outcome = r.conditions.empty() || unconditional != nullptr;
    for (const auto& [arch, nr] : writer_detail::numbers_of_rule(p, i)) {
      const Decision& d = eval.decisions(arch).at(nr);
      if (d.depends_on_args() || d.otherwise != r.action) same_outcome = false;
    }
    if (same) {
      ctx.add(Severity::Info, "duplicate-rule",
              fmt::format("{}: the same rule is already at {}", subject,
                          ctx.locate_origin(same->origin, subject).to_string()),
              ctx.locate_origin(r.origin, subject), subject);
    } else if (same_outcome) {
      std::string via;
      if (auto mux = multiplexed_call(subject); mux && !unconditional) {
        std::vector<Arch> muxed;
        for (Arch a : p.effective_arches())
          if (!syscall_number(a, subject) && syscall_number(a, mux->via)) muxed.push_back(a);
        if (!muxed.empty())
          via = fmt::format(" (on {} it is reached only through {}, which is already {} there)", arch_list(muxed),
                            mux->via, r.action.to_string());
      }
      ctx.add(Severity::Info, "redundant-rule",
              fmt::format("{} {}: redundant: the other rules already give {} every call it covers{}", subject,
                          r.action.to_string(), r.action.to_string(), via),
              ctx.locate_origin(r.origin, subject), subject);
    } else if (unconditional) {
      ctx.add(Severity::Warning, "shadowed-rule",
              fmt::format("{} {}{}: never decides anything: the unconditional {} rule at {} decides every call of "
                          "{} (an unconditional rule overrides the conditional ones on its syscall, in libseccomp "
                          "and so in runc and crun)",
                          subject, r.action.to_string(), r.conditions.empty() ? "" : " if " + conditions_text(r),
                          unconditional->action.to_string(),
                          ctx.locate_origin(unconditional->origin, subject).to_string(), subject),
              ctx.locate_origin(r.origin, subject), subject);
    } else {
      ctx.add(Severity::Warning, "shadowed-rule",
              fmt::format("{} {}{}: never decides anything: {} already decide{} every case it covers", subject,
                          r.action.to_string(), r.conditions.empty() ? "" : " if " + conditions_text(r),
                          others.empty() ? "the other rules" : "the rules at " + join(others),
                          others.size() == 1 ? "s" : ""),
              ctx.locate_origin(r.origin, subject), subject);
    }
  }
}

}  // namespace seccage::lint_detail
