// The state behind a scmp_filter_ctx: what the caller has asked for, kept as
// a seccage Policy plus the libseccomp attributes that are not part of a
// policy (load flags, API switches). Everything is a value, so a transaction
// is a copy and a rollback is an assignment.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <optional>
#include <vector>

#include "seccage/bpf.hpp"
#include "seccage/policy.hpp"

namespace seccage::compat {

struct Attributes {
  std::uint32_t act_default = 0;     // the raw SCMP_ACT_* value
  std::uint32_t act_badarch = 0;  // libseccomp's default: SCMP_ACT_KILL (the thread)
  bool nnp = true;
  bool tsync = false;
  bool tskip = false;
  bool log = false;
  bool ssb = false;
  std::uint32_t optimize = 1;
  bool sysrawrc = false;
  bool waitkill = false;
  friend bool operator==(const Attributes&, const Attributes&) = default;
};

// Everything a transaction saves and restores.
struct FilterState {
  Attributes attrs;
  // Arches in the order they were added. May be empty (all removed): the
  // filter then has no arch to decide for and cannot be built.
  std::vector<Arch> arches;
  std::vector<Rule> rules;  // 64-bit (libseccomp) widths, by name where one exists
  std::map<int, std::uint8_t> priorities;  // kept for the API; seccage's layout decides
  // The actions of the rules on each syscall name, and whether any rule is
  // by number: lets a rule add skip the refusal check when no other action
  // could conflict with it (the check grows with the rules).
  // By the name's id (find_syscall_name_id), sized on the first rule: the
  // action of the rules on it and whether there are several (a flat table:
  // the check costs an index per rule, not a map's string compares).
  struct NameActions {
    Action action;
    std::uint8_t count = 0;  // 0: no rule, 1: rules of one action, 2: of several
  };
  std::vector<NameActions> actions_by_id;
  // Names no arch of seccage's tables has (libseccomp pseudo names): rare.
  std::map<std::string, std::set<Action>, std::less<>> actions_by_name;
  std::set<Action> multiplexed_actions;  // of rules on socketcall, ipc and their sub-calls
  bool has_number_rules = false;
  // Set once a rule met another action on its syscall: only then can the whole filter hold a rule libseccomp
  // would refuse, which built_program then checks before compiling.
  bool may_conflict = false;
  // Whether every rule names a syscall one of the arches has, so the rules
  // can be compiled as they are, without the copy that leaves the others out
  // (docs/compat.md, "Speed"). Cleared when that is not known (an arch removed).
  bool all_rules_apply = true;
  // The arches seccomp_merge brought in from other filters, each group with
  // the rules it had and every rule added since; the fields above are then
  // the group of the filter merged into (dst). A group's own attrs are not
  // used: the filter's (these) apply to every group. Empty unless merged.
  std::vector<FilterState> merged;
};

// Every arch of the filter, merged groups' included.
std::vector<Arch> all_arches_of(const FilterState& state);

struct FilterContext {
  static constexpr std::uint64_t kMagic = 0x7365636361676563ull;  // "seccagec"
  std::uint64_t magic = kMagic;
  FilterState state;
  std::vector<FilterState> transactions;  // innermost last
  // The program of the current state, once built; any change drops it.
  std::optional<bpf::Program> program;
  // libseccomp 2.5.4 undoes a rule refused inside its transaction (-EEXIST,
  // -EFAULT, ...) by going back to its copy of the filter from the last rule
  // it accepted, not from just before the refused one: an arch added,
  // removed or merged in between is undone too (docs/compat.md). The copy
  // exists from an accepted rule until a refused one uses it up.
  bool rule_accepted = false;
  // The state as of that accepted rule, saved at the first change of arches
  // after it (until then the state itself is that copy).
  std::optional<FilterState> as_of_accepted_rule;
  int notify_fd = -1;
};

// Call before changing the arches (add, remove, merge): saves the state a
// later refused rule goes back to, as libseccomp would.
void before_arch_change(FilterContext& ctx);

// The context behind a handle, or nullptr for NULL or a handle that is not a
// live context (released ones have their magic cleared).
FilterContext* context_of(void* handle);

// The context as libseccomp 2.5.4 takes it for rules, attributes,
// priorities and exports: live, and with at least one arch (a filter whose
// arches were all removed answers -EINVAL to those calls until an arch is
// added back; checked by tests/compat/random_api_differential_test.cpp).
FilterContext* filter_of(void* handle);

}  // namespace seccage::compat
