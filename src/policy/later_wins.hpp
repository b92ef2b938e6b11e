// "Later statements win": the one override every seccage front end uses (the
// text language's lowering, `seccage run`'s rule options over a profile, and
// apply_later_rules() in the public API). The Policy model has libseccomp's
// precedence among overlapping rules, not an order; this file turns a
// sequence of statements on one syscall into rules that never overlap, so the
// order is kept whatever the model's precedence would do.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policy/regions.hpp"
#include "seccage/policy.hpp"

namespace seccage::regions {

// One statement on a syscall: where its condition holds (a region of
// argument values), its action wins over every earlier statement.
struct Statement {
  std::optional<Action> action;  // nullopt: the policy's default action (`deny`)
  Region region;
  RuleOrigin origin;
};

// Everything said about one syscall, in order: an unconditional base (the
// last unconditional statement; earlier statements are void) and the
// conditional statements after it.
struct SyscallStatements {
  std::optional<Action> base;  // nullopt: the default action
  RuleOrigin base_origin;
  std::vector<Statement> layers;

  // Appends a statement; an unconditional one (region == any) replaces all.
  void add(std::optional<Action> action, Region region, RuleOrigin origin);
};

// Rules on `ref` that never overlap and give each argument vector the action
// of the last statement matching it (the base where none does). Rules whose
// action is `def` are left out (they are no-ops). Conditions come out with
// ArgWidth::U64; the caller sets the widths its statements were written
// with. Throws InputError naming the statement when the split would need
// more rules than is reasonable (RegionTooComplex).
std::vector<Rule> resolve_later_wins(const SyscallRef& ref, const SyscallStatements& statements, const Action& def);

}  // namespace seccage::regions
