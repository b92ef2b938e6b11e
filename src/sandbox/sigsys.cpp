#include "sandbox/sigsys.hpp"

#include <vector>

namespace seccage::sandbox {
namespace {

std::string join_or(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " or " : ", ";
    out += parts[i];
  }
  return out;
}

std::string trap_text(const SigsysFacts& f) {
  return f.trap_rule.empty() ? std::string("a TRAP of the policy") : "the policy's TRAP rule '" + f.trap_rule + "'";
}

// Without user notification seccage sees no call at all: only what the
// policy could have done, and that something else could have.
SigsysVerdict unsupervised(const SigsysFacts& f) {
  SigsysVerdict v;
  if (f.policy_kills || f.policy_traps) {
    v.cause = {"uncertain",
               "the policy's filter (a kill, or a trap the program did not handle), or else a SIGSYS the program's own "
               "filter or another process gave it: without user notification seccage sees no call"};
    v.violation = true;
    v.rule = "the policy (plain filter)";
  } else {
    v.cause = {"unknown", "not the policy, which neither kills nor traps: the program's own filter or a signal"};
  }
  return v;
}

}  // namespace

SigsysVerdict explain_sigsys(const SigsysFacts& f) {
  SigsysVerdict v;
  if (f.killed_by_seccage) {
    v.cause = {"policy_kill", "seccage killed it for the policy (SIGKILL standing in for the kernel's SIGSYS)"};
    return v;
  }
  if (f.trapped_by_seccage) {
    v.cause = {"policy_trap", "a TRAP of the policy, on a call seccage always supervises; the program did not survive it"};
    return v;
  }
  if (!f.sent_by.empty()) {
    v.cause = {"signal", "sent by " + f.sent_by};
    return v;
  }
  if (!f.supervised) return unsupervised(f);
  std::vector<std::string> could;
  if (f.policy_traps) could.push_back(trap_text(f));
  if (f.own_filter) could.push_back("the program's own seccomp filter (a kill, or a trap it did not handle)");
  if (could.empty()) {
    v.cause = {"signal", "sent by a process outside the sandbox (no process inside sent it, and neither the policy "
                         "nor a filter of the program's own could have)"};
    return v;
  }
  if (could.size() == 1 && f.policy_traps) {
    v.cause = {"policy_trap", trap_text(f) + ", which the program did not handle (no handler, or SIGSYS blocked or "
                              "ignored: the kernel then kills); the kernel does not say which call it was"};
    v.violation = true;
    v.rule = f.trap_rule.empty() ? "a TRAP rule of the policy" : f.trap_rule;
    return v;
  }
  if (could.size() == 1) {
    v.cause = {"own_filter", could[0]};
    return v;
  }
  v.cause = {"uncertain", join_or(could) + ": the kernel does not say which"};
  v.violation = true;
  v.rule = "a TRAP rule of the policy, or the program's own filter";
  return v;
}

}  // namespace seccage::sandbox
