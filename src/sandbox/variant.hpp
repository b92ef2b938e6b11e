// The supervised form of a policy, and the classification of a notified call
// against the original one.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "policy/evaluator.hpp"
#include "seccage/policy.hpp"

namespace seccage::sandbox {

// The policy the kernel runs when seccage supervises: every kill and errno
// in the rules, the default and the bad-arch action becomes USER_NOTIF, so
// those deny paths reach the supervisor; allowed, logged and traced calls keep
// their action and never leave the kernel. TRAP stays TRAP: the kernel alone
// can raise the SIGSYS a program's handler expects (si_code SYS_SECCOMP), and
// kill a program that blocks or ignores it (docs/run.md, "Traps"). Numbers
// newer than the table follow the default (USER_NOTIF when it kills or
// errnos), and the supervisor answers them with the original ENOSYS.
//
// execve and execveat always notify, whatever the policy says: the launcher's
// own execve is the moment the supervisor takes over (docs/run.md, "The
// launcher's execve"), and later ones are answered per the original policy
// (CONTINUE when it allows them, which is exact: the decision depends only on
// the registers the kernel captured, not on memory).
//
// `observe` names more syscalls that always notify for the same reason (the
// runner adds exit_group under --memory to read the peak address space just
// before the process ends).
//
// `kernel_traps` false (--permissive) sends the TRAPs to the supervisor too,
// which then lets them through and reports them like every other denial.
Policy notify_variant(const Policy& original, const std::vector<std::string>& observe = {}, bool kernel_traps = true);

// What the original policy says about one call, and why.
struct Classification {
  bool known_arch = false;  // the call's ABI is one of the policy's
  Arch arch = Arch::x86_64;
  Action action;            // the original action
  int rule = -1;            // index into Policy::rules, -1 for the default or ENOSYS stub
  std::string rule_text;    // "write: arg0 != 1", "default action", "unknown syscall (ENOSYS)"
  RuleOrigin origin;        // Rule::origin, or named "default", "policy" (a rule with none), "bad-arch action"
  bool unknown_number = false;
  std::optional<std::string> name;  // from the arch's table
};

class Classifier {
 public:
  explicit Classifier(const Policy& policy);
  Classification classify(std::uint32_t audit_arch, std::uint32_t nr, const std::array<std::uint64_t, 6>& args) const;
  const Policy& policy() const { return evaluator_.policy(); }
  const Evaluator& evaluator() const { return evaluator_; }

 private:
  Evaluator evaluator_;
};

// Builds the Classifier on first use: replaying the policy's semantics costs
// milliseconds, and a run in which nothing is denied never needs it. Refers
// to `policy`, which must outlive it (a copy of a few hundred rules showed in
// every run's start-up).
class LazyClassifier {
 public:
  explicit LazyClassifier(const Policy& policy) : policy_(policy) {}
  const Classifier& get() const {
    if (!classifier_) classifier_.emplace(policy_);
    return *classifier_;
  }

 private:
  const Policy& policy_;
  mutable std::optional<Classifier> classifier_;
};

// "write: arg0 != 1" / "execve" / "#59: arg0 == 3".
std::string describe_rule(const Rule& rule);

}  // namespace seccage::sandbox
