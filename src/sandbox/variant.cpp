#include "sandbox/variant.hpp"

#include <algorithm>

#include <fmt/core.h>

namespace seccage::sandbox {
namespace {

constexpr std::uint16_t kEnosys = 38;

// TRAP stays in the kernel: only the kernel can raise the SIGSYS a handler
// expects (si_code SYS_SECCOMP, si_syscall, si_call_addr), and only the
// kernel kills a program that blocks or ignores it. Every other denial goes
// to the supervisor.
Action notified(const Action& a, bool kernel_traps) {
  return a.denies() && !(kernel_traps && a.kind == ActionKind::Trap) ? Action::user_notif() : a;
}

bool names_one_of(const Rule& rule, const std::vector<Arch>& arches, const std::vector<std::string>& names) {
  if (const auto* name = std::get_if<std::string>(&rule.syscall))
    return std::find(names.begin(), names.end(), *name) != names.end();
  const std::uint32_t nr = std::get<std::uint32_t>(rule.syscall);
  return std::any_of(arches.begin(), arches.end(), [&](Arch a) {
    return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return syscall_number(a, n) == nr; });
  });
}

bool rule_names(const Rule& rule, Arch arch, std::uint32_t nr) {
  if (const auto* n = std::get_if<std::uint32_t>(&rule.syscall)) return *n == nr;
  const std::string& name = std::get<std::string>(rule.syscall);
  if (syscall_number(arch, name) == nr) return true;
  // A rule on a socketcall/ipc sub-call also lands on the multiplexer.
  if (auto mux = multiplexed_call(name)) return syscall_number(arch, mux->via) == nr;
  return false;
}

}  // namespace

std::string describe_rule(const Rule& rule) {
  std::string out = seccage::to_string(rule.syscall);
  for (std::size_t i = 0; i < rule.conditions.size(); ++i)
    out += (i == 0 ? ": " : " && ") + rule.conditions[i].to_string();
  return out;
}

Policy notify_variant(const Policy& original, const std::vector<std::string>& observe, bool kernel_traps) {
  Policy v = original;
  v.default_action = notified(original.default_action, kernel_traps);
  // A call from an ABI the policy does not cover reaches the supervisor too,
  // which names it (its arch and number) and carries out the bad-arch action.
  v.bad_arch_action = notified(original.bad_arch_action, kernel_traps);
  const std::vector<Arch> arches = original.effective_arches();
  std::vector<std::string> always{"execve", "execveat"};
  always.insert(always.end(), observe.begin(), observe.end());
  std::erase_if(v.rules, [&](const Rule& r) { return names_one_of(r, arches, always); });
  for (Rule& r : v.rules) r.action = notified(r.action, kernel_traps);
  // Unconditional, so no conditional rule could shadow it; if the default is
  // USER_NOTIF already the rules are no-ops with the same effect.
  for (const std::string& name : always) {
    const bool somewhere = std::any_of(arches.begin(), arches.end(), [&](Arch a) { return syscall_number(a, name).has_value(); });
    if (somewhere) v.rules.push_back(Rule{name, Action::user_notif(), {}, RuleOrigin::named("seccage: always supervised")});
  }
  return v;
}

Classifier::Classifier(const Policy& policy) : evaluator_(policy) {}

Classification Classifier::classify(std::uint32_t audit_arch, std::uint32_t nr,
                                    const std::array<std::uint64_t, 6>& args) const {
  Classification c;
  const Policy& policy = evaluator_.policy();
  const Evaluator::Verdict verdict = evaluator_.explain(audit_arch, nr, args);
  c.action = verdict.action;
  if (!verdict.arch) {
    c.rule_text = "foreign architecture";
    c.origin = RuleOrigin::named("bad-arch action");
    return c;
  }
  c.known_arch = true;
  c.arch = verdict.arch->arch;
  if (auto n = syscall_name(c.arch, nr)) c.name = std::string(*n);
  c.unknown_number = !verdict.listed;
  if (verdict.matched) c.rule = verdict.matched->rule;
  const Decision& d = *verdict.decision;
  if (!verdict.matched) {
    // An unconditional rule shows up only as the decision's fallthrough: find
    // the rule that gives this action to this number.
    if (!c.unknown_number && !(d.otherwise == policy.default_action)) {
      for (std::size_t i = 0; i < policy.rules.size(); ++i) {
        const Rule& r = policy.rules[i];
        if (r.conditions.empty() && r.action == d.otherwise && rule_names(r, c.arch, nr)) {
          c.rule = static_cast<int>(i);
          break;
        }
      }
    }
  }
  if (c.rule >= 0) {
    const Rule& r = policy.rules[static_cast<std::size_t>(c.rule)];
    c.rule_text = describe_rule(r);
    c.origin = r.origin.empty() ? RuleOrigin::named("policy") : r.origin;
  } else if (c.unknown_number && c.action == Action::errno_(kEnosys) && !(policy.default_action == c.action)) {
    c.rule_text = "syscall unknown to seccage's table (ENOSYS, so libc falls back)";
    c.origin = RuleOrigin::named("default");
  } else {
    c.rule_text = "default action";
    c.origin = RuleOrigin::named("default");
  }
  return c;
}

}  // namespace seccage::sandbox
