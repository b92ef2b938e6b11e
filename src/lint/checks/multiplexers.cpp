#include "lint/checks/policy_checks.hpp"

#include <array>
#include <set>

#include <fmt/core.h>

namespace seccage::lint_detail {

// multiplexer-bypass: i386 and the other arches with socketcall(2)/ipc(2) pass a sub-call's
// arguments behind a pointer, where no filter can read them: a condition on
// `socket` is checked for the direct syscall only.
void check_multiplexers(Context& ctx, PolicyFacts& facts) {
  const Evaluator& eval = facts.eval;
  const RuleStatus& st = facts.status;
  const Policy& p = ctx.policy;
  std::set<std::pair<std::string, Arch>> reported;
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const Rule& r = p.rules[i];
    const auto* name = std::get_if<std::string>(&r.syscall);
    if (!name || r.conditions.empty() || st.dead[i] || st.refused[i] || r.action == p.default_action) continue;
    auto mux = multiplexed_call(*name);
    if (!mux) continue;
    // The rule restricts either way: a conditional allow (default denies) or
    // a conditional deny (default allows). Bypass = the multiplexer lets the
    // sub-call through whatever its hidden arguments are.
    std::vector<Arch> open;
    for (const ArchDecisions& d : eval.all_decisions()) {
      auto via = syscall_number(d.arch, mux->via);
      if (!via) continue;
      std::array<std::uint64_t, 6> args{mux->call, 0, 0, 0, 0, 0};
      if (passes(d.at(*via).evaluate(args)) && reported.emplace(*name, d.arch).second) open.push_back(d.arch);
    }
    if (open.empty()) continue;
    ctx.add(Severity::Warning, "multiplexer-bypass",
            fmt::format("{} {} if {}: on {} the call can also be made through {}(2), whose arguments sit behind a "
                        "pointer no filter can read; {} with call {} ({}) is let through there, so the condition does not hold",
                        *name, r.action.to_string(), conditions_text(r), arch_list(open), mux->via, mux->via,
                        mux->call, *name),
            ctx.locate_origin(r.origin, *name), *name);
  }
}

}  // namespace seccage::lint_detail
