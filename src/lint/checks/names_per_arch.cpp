#include "lint/checks/policy_checks.hpp"

#include <algorithm>
#include <map>

#include <fmt/core.h>

namespace seccage::lint_detail {

// name-missing-on-arch: a rule whose syscall exists on some of the policy's
// arches only.
void check_names_per_arch(Context& ctx, PolicyFacts& /*facts*/) {
  const Policy& p = ctx.policy;
  const std::vector<Arch> arches = p.effective_arches();
  if (arches.size() < 2) return;
  // name -> first rule naming it
  std::map<std::string, const Rule*> names;
  for (const Rule& r : p.rules)
    if (const auto* n = std::get_if<std::string>(&r.syscall)) names.emplace(*n, &r);
  std::map<Arch, std::size_t> missing_count;
  std::vector<std::pair<const Rule*, std::vector<Arch>>> partial;
  for (const auto& [name, rule] : names) {
    std::vector<Arch> missing, present;
    for (Arch a : arches) (name_exists(a, name) ? present : missing).push_back(a);
    if (missing.empty() || present.empty()) continue;
    for (Arch a : missing) ++missing_count[a];
    partial.emplace_back(rule, missing);
  }
  // A profile that names syscalls missing from each of its arches was
  // written for all of them on purpose (Docker's lists chown32 for i386
  // and arch_prctl for x86_64): then this is expected, and only info.
  const bool multi = ctx.declared_multi_arch ||
                     std::all_of(arches.begin(), arches.end(), [&](Arch a) { return missing_count[a] > 0; });
  for (const auto& [rule, missing] : partial) {
    const std::string& name = std::get<std::string>(rule->syscall);
    std::vector<Arch> present;
    for (Arch a : arches)
      if (std::find(missing.begin(), missing.end(), a) == missing.end()) present.push_back(a);
    const bool denies = !passes(rule->action) && passes(p.default_action);
    ctx.add(multi ? Severity::Info : Severity::Warning, "name-missing-on-arch",
            fmt::format("{} does not exist on {}, so the rule applies on {} only{}", name, arch_list(missing),
                        arch_list(present),
                        denies ? "; programs there use another syscall for the same thing (aarch64 has openat, not "
                                 "open), which this deny does not cover"
                               : ""),
            ctx.locate_origin(rule->origin, name), name);
  }
}

}  // namespace seccage::lint_detail
