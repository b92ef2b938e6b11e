#include "lint/checks/policy_checks.hpp"

#include <algorithm>

#include <fmt/core.h>

namespace seccage::lint_detail {
namespace {

// The syscalls glibc is known to fall back from on ENOSYS, and to what.
// glibc calls statx for stat only on 32-bit ABIs (time64); on a 64-bit one
// an errno from statx breaks nothing, so it is looked at on 32-bit arches
// only, and a filter without one is not told about arches it does not cover.
struct Fallback {
  std::string_view name, fallback;
  bool only_32bit;
};
constexpr Fallback kFallbacks[] = {
    {"clone3", "clone", false},
    {"faccessat2", "faccessat", false},
    {"fchmodat2", "fchmodat", false},
    {"close_range", "closing descriptors one by one", false},
    {"statx", "fstatat64", true},
};

// The errnos other than ENOSYS a syscall can return, on the arches that have
// it (only the filter's arches are looked at, so no other arch is named).
std::vector<std::string> non_enosys_errnos(const Evaluator& eval, std::string_view name, bool only_32bit) {
  std::vector<std::string> errs;
  for (const ArchDecisions& d : eval.all_decisions()) {
    if (only_32bit && arch_info(d.arch).is_64bit) continue;
    auto nr = syscall_number(d.arch, name);
    if (!nr) continue;
    const Decision& dec = d.at(*nr);
    std::vector<Action> outcomes{dec.otherwise};
    for (const auto& c : dec.cases) outcomes.push_back(c.action);
    for (const Action& a : outcomes) {
      if (a.kind != ActionKind::Errno || a.data == kEnosys) continue;
      std::string e = a.describe();
      if (std::find(errs.begin(), errs.end(), e) == errs.end()) errs.push_back(e);
    }
  }
  return errs;
}

}  // namespace

// enosys-fallback: a fallback syscall answered with another errno. When an
// explicit rule does it, the finding is at that rule (the author chose it);
// when the default action does it, every such syscall goes into one finding
// at the default, since one change there (or one ENOSYS rule each) fixes
// them all and five findings for one line of profile is noise.
void check_enosys_fallbacks(Context& ctx, PolicyFacts& facts) {
  const Evaluator& eval = facts.eval;
  const Policy& p = ctx.policy;
  std::vector<std::string> from_default;
  for (const auto& [name, fallback, only_32bit] : kFallbacks) {
    const std::vector<std::string> errs = non_enosys_errnos(eval, name, only_32bit);
    if (errs.empty()) continue;
    const std::string n(name);
    const Rule* rule = nullptr;
    for (const Rule& r : p.rules)
      if (const auto* rn = std::get_if<std::string>(&r.syscall);
          rn && *rn == n && r.action.kind == ActionKind::Errno && r.action.data != kEnosys && r.action != p.default_action)
        rule = &r;
    if (!rule) {
      from_default.push_back(fmt::format("{} (glibc's fallback: {})", n, fallback));
      continue;
    }
    ctx.add(Severity::Warning, "enosys-fallback",
            fmt::format("{} returns {}: glibc falls back to {} only on ENOSYS, so programs break; answer ENOSYS "
                        "(errnoRet 38) or allow it",
                        n, join(errs, " or "), fallback),
            ctx.locate_origin(rule->origin, n), n);
  }
  if (from_default.empty()) return;
  ctx.add(Severity::Warning, "enosys-fallback",
          fmt::format("the default action {} answers syscalls glibc falls back from only on ENOSYS, so programs "
                      "that try them break instead of falling back (a failing clone3 means no new threads or "
                      "processes): {}; allow them or answer ENOSYS for them "
                      "(errno(ENOSYS) rules, errnoRet 38)",
                      p.default_action.describe(), join(from_default, "; ")),
          ctx.default_location());
}

}  // namespace seccage::lint_detail
