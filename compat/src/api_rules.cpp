// seccomp_rule_add and its variants: check the arguments as libseccomp does,
// turn the rule into a seccage Rule (by name, 64-bit comparisons), and refuse
// it where libseccomp would (-EEXIST), using seccage's model of libseccomp's
// rule trees (docs/semantics.md, "Refused rules").
#include <seccomp.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdarg>

#include "actions.hpp"
#include "context.hpp"
#include "errors.hpp"
#include "policy_build.hpp"
#include "seccage/policy.hpp"
#include "syscall_names.hpp"


namespace seccage::compat {

bool action_available(std::uint32_t value);  // api_filter.cpp

namespace {

constexpr unsigned kMaxArgs = 6;

std::optional<CmpOp> to_op(int op) {
  switch (op) {
    case SCMP_CMP_NE: return CmpOp::NE;
    case SCMP_CMP_LT: return CmpOp::LT;
    case SCMP_CMP_LE: return CmpOp::LE;
    case SCMP_CMP_EQ: return CmpOp::EQ;
    case SCMP_CMP_GE: return CmpOp::GE;
    case SCMP_CMP_GT: return CmpOp::GT;
    case SCMP_CMP_MASKED_EQ: return CmpOp::MaskedEq;
    default: return std::nullopt;
  }
}

// libseccomp's conditions: one per argument, compared as 64-bit values.
int to_conditions(unsigned count, const scmp_arg_cmp* array, std::vector<Condition>& out) {
  if (count > kMaxArgs) return -EINVAL;
  if (count > 0 && array == nullptr) return -EINVAL;
  out.reserve(count);
  std::array<bool, kMaxArgs> seen{};
  for (unsigned i = 0; i < count; ++i) {
    const scmp_arg_cmp& c = array[i];
    auto op = to_op(c.op);
    if (c.arg >= kMaxArgs || !op || seen[c.arg]) return -EINVAL;
    seen[c.arg] = true;
    Condition cond;
    cond.arg = static_cast<std::uint8_t>(c.arg);
    cond.op = *op;
    cond.width = ArgWidth::U64;
    if (*op == CmpOp::MaskedEq) {
      cond.mask = c.datum_a;
      cond.value = c.datum_b;
    } else {
      cond.value = c.datum_a;
    }
    out.push_back(cond);
  }
  return 0;
}

// The name id of each number of the native table, built once: a rule by
// number costs an index, not a search of the table and a hash of the name.
std::uint32_t native_name_id(std::uint32_t nr) {
  static const std::vector<std::uint32_t> ids = [] {
    const Arch native = native_arch();
    std::vector<std::uint32_t> out(arch_info(native).max_nr + 1, kNoSyscall);
    for (const SyscallEntry& e : syscall_table(native)) {
      if (e.nr < out.size()) out[e.nr] = find_syscall_name_id(e.name);
    }
    return out;
  }();
  return nr < ids.size() ? ids[nr] : kNoSyscall;
}

// libseccomp's first check of a rule's (or a priority's) number, before the
// action's: -1 (the number a tracer sets to skip a call, which the filter
// then sees) only with SCMP_FLTATR_API_TSKIP, and never -2..-99, which
// libseccomp reserves.
bool number_allowed(const FilterState& state, int syscall) {
  if (syscall == kNrError) return state.attrs.tskip;
  return syscall >= 0 || syscall <= -100;
}

// The rule's syscall (a number number_allowed took): a native number (or
// libseccomp pseudo number) becomes the name it stands for, which then
// applies on every arch of the filter as libseccomp translates it, written
// into `out` in place (each move of a rule's name is a copy of its bytes,
// and this runs once per rule). False with rc == 0: a rule with no effect.
// `id` receives the name's id (kNoSyscall for a rule by number or on a name
// no table has).
bool to_syscall(const FilterState& state, int syscall, bool exact, int& rc, std::uint32_t& id, SyscallRef& out) {
  rc = 0;
  id = kNoSyscall;
  const Arch native = native_arch();
  // The native arch alone, whichever group holds it (an arch removed and
  // added back after rules is a group of its own; merged groups are never
  // empty). Without all_arches_of's copy: this runs once per rule.
  const bool native_only =
      state.merged.empty() ? state.arches.size() == 1 && state.arches[0] == native
                           : state.arches.empty() && state.merged.size() == 1 &&
                                 state.merged[0].arches.size() == 1 && state.merged[0].arches[0] == native;
  if (syscall == kNrError) {
    out = kNoSyscallNr;
    return true;
  }
  if (syscall < 0) {
    // A pseudo number (__PNR_*), as libseccomp 2.5.4 answers it
    // (tests/compat/corpus/pseudo_numbers.c, multiarch.c): with the native
    // arch alone the number is filed as it is, where no call's number can
    // match it (-EDOM for an exact rule); otherwise it stands for its name
    // on the arches that have it, unless the native arch has that name as a
    // real syscall, or no name has the number (-100, INT_MIN): then it
    // cannot be translated (-EFAULT, tests/compat/corpus/unnamed_numbers.c).
    if (native_only) {
      if (exact) {
        rc = -EDOM;
        return false;
      }
      // Filed as libseccomp files it: it matches no call, but a later rule
      // on the same number with another action can be refused (-EEXIST;
      // tests/compat/corpus/check_order.c). By its name when the native
      // arch lacks it (so a rule by that name, added once other arches
      // joined, meets it), else by its number (socket's -101 is not socket).
      if (auto name = pseudo_name(syscall); name && !syscall_number(native, *name)) {
        id = find_syscall_name_id(*name);
        out.emplace<std::string>(*name);
      } else {
        out = static_cast<std::uint32_t>(syscall);
      }
      return true;
    }
    auto name = pseudo_name(syscall);
    if (!name || syscall_number(native, *name)) {
      rc = -EFAULT;
      return false;
    }
    id = find_syscall_name_id(*name);
    out.emplace<std::string>(*name);
    return true;
  }
  if (id = native_name_id(static_cast<std::uint32_t>(syscall)); id != kNoSyscall) {
    out.emplace<std::string>(all_syscall_names()[id]);
    return true;
  }
  // A number the native table lacks has no name to translate it to other
  // arches by: libseccomp fails (-EFAULT) unless the native arch is the only one.
  if (!native_only) {
    rc = -EFAULT;
    return false;
  }
  out = static_cast<std::uint32_t>(syscall);
  return true;
}

// What libseccomp 2.5.4 says to an exact rule (in a filter of one arch,
// the others were refused before) once its number became a name
// (tests/compat/corpus/exact_rules.c): -EDOM when the arch has no such
// syscall, -EINVAL when the arch reaches it only as a socket/IPC sub-call
// (x86's socket, semop) and the rule has conditions, which libseccomp will
// not rewrite for the multiplexer in an exact rule. 0 otherwise.
int exact_refusal(const FilterState& state, const Rule& rule) {
  const auto* name = std::get_if<std::string>(&rule.syscall);
  const std::vector<Arch> arches = all_arches_of(state);
  if (name == nullptr || arches.size() != 1) return 0;
  const Arch arch = arches[0];
  const auto sub = multiplexed_call(*name);
  const bool via_multiplexer = sub && has_multiplexer(arch, sub->via);
  if (via_multiplexer) return rule.conditions.empty() ? 0 : -EINVAL;
  return syscall_number(arch, *name) ? 0 : -EDOM;
}

bool is_multiplexed_id(std::uint32_t id) {
  static const std::uint32_t socketcall = find_syscall_name_id("socketcall");
  static const std::uint32_t ipc = find_syscall_name_id("ipc");
  return id != kNoSyscall && (id == socketcall || id == ipc || multiplexed_call_by_id(id).has_value());
}

bool is_multiplexed(const std::string& name) {
  if (name == "socketcall" || name == "ipc") return true;
  return is_multiplexed_id(find_syscall_name_id(name));  // a hash lookup, not a scan
}

FilterState::NameActions& actions_of(FilterState& state, std::uint32_t id) {
  if (state.actions_by_id.empty()) state.actions_by_id.resize(all_syscall_names().size());
  return state.actions_by_id[id];
}

// The error libseccomp gives for the last rule of the state (whose name id
// is `id`), 0 when accepted. Refusal depends on the rules on the same syscall
// only, except through the multiplexers (a rule on socket lands on socketcall
// too, beside rules on socketcall itself and on the other sub-calls) and
// rules by number (which may stand for any name on another arch).
int refusal_of_last(FilterState& state, std::uint32_t id, bool added_multiplexed) {
  const Rule& added = state.rules.back();
  const auto* added_name = std::get_if<std::string>(&added.syscall);
  // The common case, at an index's cost: a rule by name, not on a
  // multiplexed call, with no rules by number in the filter, and only its
  // own action (or none) on its syscall so far.
  if (added_name != nullptr && !added_multiplexed && !state.has_number_rules) {
    if (id != kNoSyscall) {
      const FilterState::NameActions& seen = actions_of(state, id);
      if (seen.count == 0 || (seen.count == 1 && seen.action == added.action)) return 0;
    } else {
      auto it = state.actions_by_name.find(*added_name);
      if (it == state.actions_by_name.end() || (it->second.size() == 1 && *it->second.begin() == added.action)) return 0;
    }
  }
  // The same for the socket/IPC family, whose rules meet on socketcall/ipc.
  if (added_multiplexed && !state.has_number_rules &&
      (state.multiplexed_actions.empty() ||
       (state.multiplexed_actions.size() == 1 && *state.multiplexed_actions.begin() == added.action))) {
    return 0;
  }
  std::vector<Rule> related;
  bool other_action = false;
  for (const Rule& r : state.rules) {
    const auto* name = std::get_if<std::string>(&r.syscall);
    const bool related_rule = r.syscall == added.syscall || added_name == nullptr || name == nullptr ||
                              (added_multiplexed && is_multiplexed(*name));
    if (!related_rule) continue;
    related.push_back(r);
    other_action = other_action || r.action != added.action;
  }
  // Refusal needs two actions that the same comparisons lead to: a rule
  // among rules of its own action only is never refused, and the
  // simulation (which grows with the syscall's rules) is not needed.
  if (!other_action) return 0;
  state.may_conflict = true;
  // -ELOOP (libseccomp 2.5.4 would never finish) is refused as a conflict
  // too (docs/compat.md).
  auto refused = first_refused(state, related);
  return refused && *refused == related.size() - 1 ? -EEXIST : 0;
}

// Whether a rule (of name id `id`) names a syscall one of the group's arches
// has: at an index's cost for names of the tables.
bool rule_applies(const FilterState& group, const Rule& rule, std::uint32_t id) {
  if (id == kNoSyscall) return rule_applies_somewhere(rule, group.arches);
  for (Arch a : group.arches) {
    if (numbers_by_id(a)[id] != kNoSyscall) return true;
  }
  // Not directly: maybe through socketcall/ipc (rare, so the slow way).
  return multiplexed_call_by_id(id) && rule_applies_somewhere(rule, group.arches);
}

// Adds the rule to one group of arches; on refusal the group is left as it was.
int add_to(FilterState& group, Rule&& rule, std::uint32_t id) {
  // Room for a container profile's rules at once (Docker's has about 350):
  // growing one by one moved every rule eight times over.
  if (group.rules.capacity() == 0) group.rules.reserve(512);
  const bool multiplexed = id != kNoSyscall ? is_multiplexed_id(id)
                           : std::holds_alternative<std::string>(rule.syscall) && is_multiplexed(std::get<std::string>(rule.syscall));
  if (group.all_rules_apply && !rule_applies(group, rule, id)) group.all_rules_apply = false;
  group.rules.push_back(std::move(rule));
  if (int refused = refusal_of_last(group, id, multiplexed); refused != 0) {
    group.rules.pop_back();
    return refused;
  }
  const Rule& added = group.rules.back();
  if (const auto* name = std::get_if<std::string>(&added.syscall)) {
    if (id != kNoSyscall) {
      FilterState::NameActions& seen = actions_of(group, id);
      if (seen.count == 0) {
        seen.action = added.action;
        seen.count = 1;
      } else if (seen.action != added.action) {
        seen.count = 2;
      }
    } else {
      group.actions_by_name[*name].insert(added.action);
    }
    if (multiplexed) group.multiplexed_actions.insert(added.action);
  } else {
    group.has_number_rules = true;
  }
  return 0;
}

// What libseccomp's transaction does around a rule add (FilterContext::
// rule_accepted): an accepted rule becomes the state a later refusal goes
// back to; a rule refused inside the transaction goes back to the last
// accepted one. Refusals before the transaction (-EINVAL for the rule's
// form, -EACCES for the default action) change nothing; an -EINVAL from
// inside it (an exact rule libseccomp cannot rewrite for a multiplexer) is
// a refusal like the others.
int settle(FilterContext& ctx, int rc, bool in_transaction) {
  if (!in_transaction) return rc;
  if (rc != 0 && ctx.as_of_accepted_rule) {
    FilterState& saved = *ctx.as_of_accepted_rule;
    saved.attrs = ctx.state.attrs;  // attributes are the filter's, not in the copy
    ctx.state = std::move(saved);
    ctx.program.reset();
  }
  ctx.rule_accepted = rc == 0;
  ctx.as_of_accepted_rule.reset();
  return rc;
}

// libseccomp 2.5.4's checks before its transaction come in this order
// (tests/compat/random_api_differential_test.cpp found each step; corpus
// program check_order.c keeps them): the condition count, the filter (live,
// with an arch), the syscall number, the action, the default action
// (-EACCES), an exact rule in a filter of several arches (-EOPNOTSUPP,
// which undoes nothing: the arches added since the last accepted rule
// stay), then each condition. Only what comes after is inside the
// transaction (settle).
int add_rule(scmp_filter_ctx handle, std::uint32_t action, int syscall, unsigned arg_cnt, const scmp_arg_cmp* args,
             bool exact) {
  if (arg_cnt > kMaxArgs || (arg_cnt > 0 && args == nullptr)) return -EINVAL;
  FilterContext* ctx = filter_of(handle);
  if (ctx == nullptr || !number_allowed(ctx->state, syscall) || !action_available(action)) return -EINVAL;
  if (action == ctx->state.attrs.act_default) return -EACCES;
  if (exact && all_arches_of(ctx->state).size() > 1) return -EOPNOTSUPP;
  bool in_transaction = false;
  const int result = guarded([&] {
    Rule rule;
    rule.action = *action_from_scmp(action);
    if (int rc = to_conditions(arg_cnt, args, rule.conditions); rc != 0) return rc;
    in_transaction = true;
    int rc = 0;
    std::uint32_t id = kNoSyscall;
    if (!to_syscall(ctx->state, syscall, exact, rc, id, rule.syscall)) return rc;
    if (exact) {
      if (int refused = exact_refusal(ctx->state, rule); refused != 0) return refused;
    }
    FilterState& state = ctx->state;
    // A merged filter: the rule goes to every group, or to none. The
    // bookkeeping of a rolled-back add stays: it only makes later checks
    // run where they could have been skipped.
    for (std::size_t g = 0; g < state.merged.size(); ++g) {
      state.merged[g].attrs = state.attrs;
      if (int refused = add_to(state.merged[g], Rule(rule), id); refused != 0) {
        for (std::size_t u = 0; u < g; ++u) state.merged[u].rules.pop_back();
        return refused;
      }
    }
    if (int refused = add_to(state, std::move(rule), id); refused != 0) {
      for (FilterState& group : state.merged) group.rules.pop_back();
      return refused;
    }
    ctx->program.reset();
    return 0;
  });
  return settle(*ctx, result, in_transaction);
}

}  // namespace
}  // namespace seccage::compat

using namespace seccage;
using namespace seccage::compat;

extern "C" {

int seccomp_rule_add_array(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt,
                           const struct scmp_arg_cmp* arg_array) {
  return add_rule(ctx, action, syscall, arg_cnt, arg_array, false);
}

// "Exact": libseccomp does not rewrite the rule for other arches, and 2.5.4
// takes one only in a filter of a single arch (-EOPNOTSUPP otherwise); on
// that one arch the rule is the same as a plain one.
int seccomp_rule_add_exact_array(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt,
                                 const struct scmp_arg_cmp* arg_array) {
  return add_rule(ctx, action, syscall, arg_cnt, arg_array, true);
}

namespace {
// Reads arg_cnt struct scmp_arg_cmp from the variable arguments.
int add_from_va(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt, va_list ap, bool exact) {
  if (arg_cnt > 6) return -EINVAL;
  scmp_arg_cmp conds[6];
  for (unsigned i = 0; i < arg_cnt; ++i) conds[i] = va_arg(ap, scmp_arg_cmp);
  return add_rule(ctx, action, syscall, arg_cnt, conds, exact);
}
}  // namespace

int seccomp_rule_add(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt, ...) {
  va_list ap;
  va_start(ap, arg_cnt);
  int rc = add_from_va(ctx, action, syscall, arg_cnt, ap, false);
  va_end(ap);
  return rc;
}

int seccomp_rule_add_exact(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt, ...) {
  va_list ap;
  va_start(ap, arg_cnt);
  int rc = add_from_va(ctx, action, syscall, arg_cnt, ap, true);
  va_end(ap);
  return rc;
}

// As libseccomp 2.5.4: the filter and the number are checked as for a rule
// (-EINVAL), then the number is translated for each arch as a rule's is
// (-EFAULT where it cannot be: a number the native table lacks, a pseudo
// number without a name or whose name is native, in a filter of several
// arches). Recorded only: seccage's search tree is balanced (or shaped by a
// frequency profile), not ordered by priorities.
int seccomp_syscall_priority(scmp_filter_ctx handle, int syscall, uint8_t priority) {
  FilterContext* ctx = filter_of(handle);
  if (ctx == nullptr || !number_allowed(ctx->state, syscall)) return -EINVAL;
  return guarded([&] {
    int rc = 0;
    std::uint32_t id = kNoSyscall;
    SyscallRef ref;
    to_syscall(ctx->state, syscall, false, rc, id, ref);
    if (rc != 0) return rc;
    ctx->state.priorities[syscall] = priority;
    return 0;
  });
}

}  // extern "C"
