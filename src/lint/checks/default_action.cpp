#include "lint/checks/policy_checks.hpp"

#include <algorithm>

#include <fmt/core.h>

namespace seccage::lint_detail {

// bad-arch-allows, allow-default-compat-arches and errno-default-new-syscalls:
// what the default action lets through or answers.
void check_default_action(Context& ctx, PolicyFacts& /*facts*/) {
  const Policy& p = ctx.policy;
  const std::vector<Arch> arches = p.effective_arches();
  if (passes(p.bad_arch_action)) {
    ctx.add(Severity::Error, "bad-arch-allows",
            fmt::format("syscalls of arches the policy does not list get {}: a process can bypass the filter through "
                        "another ABI (i386 via int 0x80, x32 numbers on x86_64)",
                        p.bad_arch_action.to_string()),
            ctx.default_location());
  }
  if (passes(p.default_action) && arches.size() > 1) {
    ctx.add(Severity::Warning, "allow-default-compat-arches",
            fmt::format("the default action {} lets through every syscall no rule names, on each of {}: a deny-list "
                        "must then name the syscalls of every ABI, and compat ABIs (i386, x32, arm) have their own "
                        "(socketcall, ipc, the *32 variants...). List only the arches programs use: the others get "
                        "{} from the runtimes",
                        p.default_action.to_string(), arch_list(arches), "KILL_THREAD"),
            ctx.default_location());
  }

  if (p.default_action.kind == ActionKind::Errno && p.default_action.data != kEnosys) {
    std::vector<std::string> enosys;
    for (const Rule& r : p.rules)
      if (r.action == Action::errno_(kEnosys) && std::find(enosys.begin(), enosys.end(), to_string(r.syscall)) == enosys.end())
        enosys.push_back(to_string(r.syscall));
    // Info: seccage's own filters answer ENOSYS above their table and runc
    // above the highest syscall the profile names, so only other consumers
    // of the profile are concerned. As a warning it fired on every
    // default-EPERM profile, whatever the profile said.
    ctx.add(Severity::Info, "errno-default-new-syscalls",
            fmt::format("the default action returns {} also for syscalls newer than the profile, and libc falls back "
                        "from a new syscall only on ENOSYS. runc answers ENOSYS above the highest syscall the profile "
                        "names, seccage's own filters above their table; other consumers of the profile may not. {}",
                        p.default_action.describe(),
                        enosys.empty() ? "Consider defaultErrnoRet 38 (ENOSYS), or ENOSYS rules for the syscalls "
                                         "programs may try"
                                       : "The profile answers ENOSYS itself for " + join(enosys) +
                                             "; keep that list current"),
            ctx.default_location());
  }
}

}  // namespace seccage::lint_detail
