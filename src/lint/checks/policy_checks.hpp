// The policy checks of `seccage check`, one per file in this folder with its
// test beside it, and what they share. Everything semantic is read off the
// per-arch Decisions (decision.hpp), the same ones the compiler compiles, so
// the linter cannot call a rule dead that the filter would still run, or the
// other way round. The order they run in is lint.cpp's registry.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lint/lint_internal.hpp"
#include "policy/evaluator.hpp"

namespace seccage::lint_detail {

inline constexpr std::uint16_t kEnosys = 38;

// What lets a syscall run: LOG runs it too. TRACE without a tracer and
// USER_NOTIF without a supervisor do not, and are someone else's decision.
inline bool passes(const Action& a) { return a.kind == ActionKind::Allow || a.kind == ActionKind::Log; }

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ");
std::string arch_list(const std::vector<Arch>& arches);
// A rule's conditions as the text language writes them, joined by &&.
std::string conditions_text(const Rule& r);
// Whether an arch has the syscall, directly or through socketcall/ipc.
bool name_exists(Arch arch, const std::string& name);

struct RuleStatus {
  std::vector<bool> dead;     // decides nothing on any arch
  std::vector<bool> refused;  // libseccomp refuses it
};
// rule_status.cpp
RuleStatus dead_rules(const Policy& policy, const std::vector<RefusedRule>& refused);

// What the checks share, worked out once per policy.
struct PolicyFacts {
  const Evaluator& eval;
  std::vector<RefusedRule> refused;
  RuleStatus status;
  // The rules the no-effect check reported; rule-outcomes does not report
  // them a second time as redundant.
  std::vector<bool> no_effect;
};

// One check: adds its findings to ctx.
using PolicyCheck = void (*)(Context& ctx, PolicyFacts& facts);

void check_default_action(Context& ctx, PolicyFacts& facts);      // default_action.cpp
void check_enosys_fallbacks(Context& ctx, PolicyFacts& facts);    // enosys_fallback.cpp
void check_no_effect(Context& ctx, PolicyFacts& facts);           // no_effect.cpp (fills facts.no_effect)
void check_rule_outcomes(Context& ctx, PolicyFacts& facts);       // rule_outcomes.cpp
void check_conditions(Context& ctx, PolicyFacts& facts);          // conditions.cpp
void check_dangerous_syscalls(Context& ctx, PolicyFacts& facts);  // dangerous_syscalls.cpp
void check_multiplexers(Context& ctx, PolicyFacts& facts);        // multiplexers.cpp
void check_siblings(Context& ctx, PolicyFacts& facts);            // siblings.cpp
void check_names_per_arch(Context& ctx, PolicyFacts& facts);      // names_per_arch.cpp
void check_runtime_startup_of(Context& ctx, PolicyFacts& facts);  // runtime_startup.cpp

}  // namespace seccage::lint_detail
