// dangerous-syscall: what gets through of the syscalls a reviewer must know
// about (the list and its reasons are in ../dangerous.cpp).
#include "lint/checks/policy_checks.hpp"

#include <algorithm>

#include <fmt/core.h>

namespace seccage::lint_detail {
namespace {

struct Reach {
  std::vector<Arch> always, sometimes;  // arches where the syscall always / only sometimes runs
};

Reach reach_of(const Evaluator& eval, const std::string& name) {
  Reach out;
  for (const ArchDecisions& d : eval.all_decisions()) {
    auto nr = syscall_number(d.arch, name);
    if (!nr) continue;
    const Decision& dec = d.at(*nr);
    const bool all = passes(dec.otherwise) &&
                     std::all_of(dec.cases.begin(), dec.cases.end(), [](const auto& c) { return passes(c.action); });
    const bool any = passes(dec.otherwise) ||
                     std::any_of(dec.cases.begin(), dec.cases.end(), [](const auto& c) { return passes(c.action); });
    if (all) out.always.push_back(d.arch);
    else if (any) out.sometimes.push_back(d.arch);
  }
  return out;
}

}  // namespace

void check_dangerous_syscalls(Context& ctx, PolicyFacts& facts) {
  const Evaluator& eval = facts.eval;
  const RuleStatus& st = facts.status;
  const Policy& p = ctx.policy;
  std::vector<std::string> by_default;
  for (std::string_view sv : all_syscall_names()) {
    auto reason = dangerous_syscall_reason(sv);
    if (!reason) continue;
    const std::string name(sv);
    const Reach reach = reach_of(eval, name);
    if (reach.always.empty() && reach.sometimes.empty()) continue;
    // The live rules that let it through.
    std::vector<const Rule*> allowing;
    for (std::size_t i = 0; i < p.rules.size(); ++i) {
      const Rule& r = p.rules[i];
      const auto* n = std::get_if<std::string>(&r.syscall);
      if (n && *n == name && passes(r.action) && !st.dead[i] && !st.refused[i] && r.action != p.default_action)
        allowing.push_back(&r);
    }
    if (allowing.empty()) {
      if (passes(p.default_action)) by_default.push_back(name);
      continue;
    }
    const bool unconditional =
        !reach.always.empty() ||
        std::any_of(allowing.begin(), allowing.end(), [](const Rule* r) { return r->conditions.empty(); });
    FindingLocation where = ctx.locate_origin(allowing.front()->origin, name);
    const std::string gate = ctx.gate_of(allowing.front()->origin);
    if (unconditional) {
      ctx.add(Severity::Warning, "dangerous-syscall",
              fmt::format("{} is allowed{}: it {}{}", name,
                          reach.always.size() == eval.all_decisions().size() ? ""
                                                                             : " on " + arch_list(reach.always),
                          *reason, gate.empty() ? "" : fmt::format(" (the entry applies here: {})", gate)),
              where, name);
    } else if (ctx.options.report_conditional_dangerous) {
      std::vector<std::string> conds;
      for (const Rule* r : allowing) conds.push_back(conditions_text(*r));
      ctx.add(Severity::Info, "dangerous-syscall",
              fmt::format("{} is allowed only when {}: it {}", name, join(conds, ", or when "), *reason), where,
              name);
    }
  }
  if (!by_default.empty()) {
    ctx.add(Severity::Warning, "dangerous-syscall",
            fmt::format("the default action {} lets through dangerous syscalls no rule denies: {} (docs/check.md "
                        "says why each matters)",
                        p.default_action.to_string(), join(by_default)),
            ctx.default_location());
  }
}

}  // namespace seccage::lint_detail
