#include "policy_build.hpp"

#include <algorithm>
#include <cstdlib>
#include <utility>
#include <string_view>

#include "actions.hpp"
#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
// Internal to libseccage (not under include/): which rules libseccomp would
// refuse. docs/compat.md asks for it to become public API.
#include "seccage/policy.hpp"

namespace seccage::compat {

MultiplexMode multiplex_mode() {
  const char* mode = std::getenv("SECCAGE_COMPAT_MULTIPLEX");
  if (mode != nullptr && std::string_view(mode) == "compatible") return MultiplexMode::Compatible;
  return MultiplexMode::Safe;
}

bool rule_applies_somewhere(const Rule& rule, const std::vector<Arch>& arches) {
  const auto* name = std::get_if<std::string>(&rule.syscall);
  if (name == nullptr) return true;
  const auto sub = multiplexed_call(*name);
  for (Arch arch : arches) {
    if (syscall_number(arch, *name)) return true;
    // A socket or IPC sub-call an arch has no direct syscall for (semop on
    // i386) still reaches it through socketcall/ipc, where libseccomp files
    // the rule: dropping it there dropped a deny on ipc(SEMOP, ...) in a
    // filter of i386 alone (found by random_api_differential_test.cpp).
    if (sub && syscall_number(arch, sub->via)) return true;
  }
  return false;
}

namespace {

// The policy's settings from the state, without its rules.
Policy policy_head(const FilterState& state) {
  Policy policy;
  // Both were checked when set: action_from_scmp cannot fail here.
  policy.default_action = *action_from_scmp(state.attrs.act_default);
  policy.bad_arch_action = *action_from_scmp(state.attrs.act_badarch);
  policy.arches = state.arches;
  // libseccomp gives numbers outside the tables the default action; so does
  // the drop-in (seccage's own forms answer ENOSYS there, docs/semantics.md).
  policy.enosys_for_unknown = false;
  policy.multiplex = multiplex_mode();
  return policy;
}

}  // namespace

namespace {

bool is_skipped_call(const Rule& rule) {
  const auto* nr = std::get_if<std::uint32_t>(&rule.syscall);
  return nr != nullptr && *nr == kNoSyscallNr;
}

// Whether the group's rules on -1 count: libseccomp 2.5.4 writes them into
// its program only while SCMP_FLTATR_API_TSKIP is set (turned off after such
// a rule was added, -1 gets the default action; found by
// random_api_differential_test.cpp, corpus program check_order.c).
bool rules_on_skipped_call(const FilterState& group) {
  return group.attrs.tskip && std::any_of(group.rules.begin(), group.rules.end(), is_skipped_call);
}

}  // namespace

Policy to_policy(const FilterState& state, const std::vector<Rule>& rules, std::vector<std::size_t>* kept) {
  Policy policy = policy_head(state);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (!rule_applies_somewhere(rules[i], state.arches)) continue;
    if (!state.attrs.tskip && is_skipped_call(rules[i])) continue;
    policy.rules.push_back(rules[i]);
    if (kept) kept->push_back(i);
  }
  return policy;
}

namespace {

// Rules by a number outside x86_64's own range (x32's, or a negative pseudo
// number filed with the native arch alone) sit in libseccomp's x86_64
// filter, where a later rule on the same number can conflict with them
// (-EEXIST); seccage's model files a number under the ABI it belongs to. For
// the refusal check only, each such number becomes one of x86_64's range
// that no syscall has (one per number, so they conflict as libseccomp's do).
std::vector<Rule> numbers_as_x86_64(const FilterState& state, std::vector<Rule> rules) {
  if (std::find(state.arches.begin(), state.arches.end(), Arch::x86_64) == state.arches.end()) return rules;
  std::vector<std::uint32_t> seen;
  for (Rule& r : rules) {
    auto* nr = std::get_if<std::uint32_t>(&r.syscall);
    if (nr == nullptr || *nr < kX32SyscallBit || *nr == kNoSyscallNr) continue;
    auto it = std::find(seen.begin(), seen.end(), *nr);
    if (it == seen.end()) it = seen.insert(seen.end(), *nr);
    *nr = 0x30000000u + static_cast<std::uint32_t>(it - seen.begin());
  }
  return rules;
}

}  // namespace

std::optional<std::size_t> first_refused(const FilterState& state, const std::vector<Rule>& rules) {
  std::vector<std::size_t> kept;
  Policy policy = policy_head(state);
  std::vector<Rule> filed = numbers_as_x86_64(state, rules);
  // A rule on a name none of the arches has: libseccomp files it under the
  // name's pseudo number on each arch, where a later rule on it can conflict
  // (-EEXIST; _llseek or socketcall in a filter of x86_64 and x32, found by
  // random_api_differential_test.cpp). seccage's model takes only names an
  // arch has, so such a name becomes a number no table has, one per name,
  // filed on x86_64's range (every arch but x32 takes it) or on x32's when
  // x32 is the only arch. Not checked on x32 beside other arches, where
  // libseccomp checks each: this can miss a refusal, never invent one.
  const bool x32_only = state.arches.size() == 1 && state.arches[0] == Arch::x32;
  std::vector<std::string> absent;
  for (std::size_t i = 0; i < filed.size(); ++i) {
    if (!state.attrs.tskip && is_skipped_call(filed[i])) continue;
    if (const auto* name = std::get_if<std::string>(&filed[i].syscall);
        name != nullptr && !rule_applies_somewhere(filed[i], state.arches)) {
      auto it = std::find(absent.begin(), absent.end(), *name);
      if (it == absent.end()) it = absent.insert(absent.end(), *name);
      const auto k = static_cast<std::uint32_t>(it - absent.begin());
      filed[i].syscall = (x32_only ? 0x78000000u : 0x38000000u) + k;
    }
    policy.rules.push_back(std::move(filed[i]));
    kept.push_back(i);
  }
  std::optional<std::size_t> first;
  for (MultiplexMode mode : {MultiplexMode::Compatible, policy.multiplex}) {
    policy.multiplex = mode;
    for (const RefusedRule& r : refused_rules(policy)) {
      const std::size_t index = kept[static_cast<std::size_t>(r.rule)];
      if (!first || index < *first) first = index;
    }
  }
  return first;
}

namespace {

// One group's program: its arches, its rules, the filter's attributes.
bpf::Program group_program(FilterState& group) {
  // Every rule was checked when it (or an arch) was added; a refusal here
  // would mean the compiler drops a rule the caller counts on.
  if (group.may_conflict && first_refused(group, group.rules)) {
    throw InputError("a rule of the filter conflicts with another");
  }
  if (!group.all_rules_apply) {
    group.all_rules_apply = std::all_of(group.rules.begin(), group.rules.end(),
                                        [&](const Rule& r) { return rule_applies_somewhere(r, group.arches); });
  }
  const bool skipped_call_dropped =
      !group.attrs.tskip && std::any_of(group.rules.begin(), group.rules.end(), is_skipped_call);
  if (!group.all_rules_apply || skipped_call_dropped) return compile(to_policy(group, group.rules));
  // Every rule is kept: the rules move into the policy for the compile and
  // back, rather than being copied (the copy was a third of an export).
  Policy policy = policy_head(group);
  policy.rules = std::move(group.rules);
  struct GiveBack {
    Policy& policy;
    FilterState& group;
    ~GiveBack() { group.rules = std::move(policy.rules); }
  } give_back{policy, group};
  return compile(policy);
}

using bpf::Insn;
namespace op = bpf::op;

// A merged filter's program: a dispatch on the arch (and, where x86_64 and
// x32 are in different groups, on the x32 bit of the number) to each group's
// own program, which follow it one after the other. Each group's program
// begins by loading what it tests, so it runs as if it were alone.
// x32's numbers that the x86_64 group has rules on by number (added while
// the native arch was alone: libseccomp files them in its x86_64 filter as
// they are). With x32 in another group, libseccomp's program for
// AUDIT_ARCH_X86_64 is one dispatch over both filters' numbers, so those
// rules decide their numbers there (found by
// random_api_differential_test.cpp; corpus program x32_numbers.c).
struct X32ByNumber {
  std::vector<std::uint32_t> numbers;
  std::size_t part = 0;  // the part deciding them
};

bpf::Program combine(const std::vector<std::pair<const FilterState*, bpf::Program>>& parts, std::uint32_t bad_arch,
                     const X32ByNumber& x32_by_number) {
  auto group_of = [&](Arch arch) -> int {
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const auto& arches = parts[i].first->arches;
      if (std::find(arches.begin(), arches.end(), arch) != arches.end()) return static_cast<int>(i);
    }
    return -1;
  };
  struct Jump {
    std::size_t at;  // the index of a JA to patch
    std::size_t part;
  };
  std::vector<Insn> head{bpf::stmt(op::LD | op::W | op::ABS, bpf::kOffArch)};
  std::vector<Jump> jumps;
  std::vector<std::uint32_t> audits;
  for (const auto& part : parts) {
    for (Arch a : part.first->arches) {
      const std::uint32_t audit = arch_info(a).audit_arch;
      if (std::find(audits.begin(), audits.end(), audit) == audits.end()) audits.push_back(audit);
    }
  }
  for (std::uint32_t audit : audits) {
    const int x86_64 = group_of(Arch::x86_64);
    const int x32 = group_of(Arch::x32);
    if (audit == arch_info(Arch::x86_64).audit_arch && x86_64 >= 0 && x32 >= 0 && x86_64 != x32) {
      // -1 (a skipped call): libseccomp's dispatch for AUDIT_ARCH_X86_64
      // tries x32's rules on -1 first, as seccage's compiler does for the
      // two in one group, so x32's group decides it when it has rules on
      // -1, x86_64's otherwise (found by random_api_differential_test.cpp).
      const std::size_t skipped_call = rules_on_skipped_call(*parts[static_cast<std::size_t>(x32)].first)
                                           ? static_cast<std::size_t>(x32)
                                           : static_cast<std::size_t>(x86_64);
      const auto skip = static_cast<std::uint8_t>(6 + 2 * x32_by_number.numbers.size());
      head.push_back(bpf::jump(op::JMP | op::JEQ | op::K, audit, 0, skip));
      head.push_back(bpf::stmt(op::LD | op::W | op::ABS, bpf::kOffNr));
      for (std::uint32_t nr : x32_by_number.numbers) {
        head.push_back(bpf::jump(op::JMP | op::JEQ | op::K, nr, 0, 1));
        jumps.push_back({head.size(), x32_by_number.part});
        head.push_back(bpf::stmt(op::JMP | op::JA, 0));
      }
      head.push_back(bpf::jump(op::JMP | op::JEQ | op::K, kNoSyscallNr, 0, 1));
      jumps.push_back({head.size(), skipped_call});
      head.push_back(bpf::stmt(op::JMP | op::JA, 0));
      head.push_back(bpf::jump(op::JMP | op::JGE | op::K, kX32SyscallBit, 0, 1));
      jumps.push_back({head.size(), static_cast<std::size_t>(x32)});
      head.push_back(bpf::stmt(op::JMP | op::JA, 0));
      jumps.push_back({head.size(), static_cast<std::size_t>(x86_64)});
      head.push_back(bpf::stmt(op::JMP | op::JA, 0));
      continue;
    }
    std::size_t part = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      for (Arch a : parts[i].first->arches) {
        if (arch_info(a).audit_arch == audit) part = i;
      }
    }
    head.push_back(bpf::jump(op::JMP | op::JEQ | op::K, audit, 0, 1));
    jumps.push_back({head.size(), part});
    head.push_back(bpf::stmt(op::JMP | op::JA, 0));
  }
  head.push_back(bpf::stmt(op::RET | op::K, bad_arch));
  std::vector<std::size_t> starts;
  bpf::Program program = head;
  for (const auto& part : parts) {
    starts.push_back(program.size());
    program.insert(program.end(), part.second.begin(), part.second.end());
  }
  for (const Jump& j : jumps) program[j.at].k = static_cast<std::uint32_t>(starts[j.part] - (j.at + 1));
  if (program.size() > bpf::kMaxInsns) throw InputError("the merged filter passes the kernel's 4096 instructions");
  if (auto err = bpf::verify(program)) throw Error("internal error: a merged program fails verification: " + err->to_string());
  return program;
}

// The x86_64 group's rules by number on x32's numbers, as a group of x32
// alone with the filter's attributes (no rules when x86_64 and x32 are in
// one group, or either is missing). combine() routes only
// X32ByNumber::numbers to it: it comes after the real x32 group, which
// group_of() finds first.
FilterState x32_rules_by_number(const FilterState& state) {
  const FilterState* x86_64 = nullptr;
  const FilterState* x32 = nullptr;
  auto find = [&](const FilterState& g) {
    for (Arch a : g.arches) {
      if (a == Arch::x86_64) x86_64 = &g;
      if (a == Arch::x32) x32 = &g;
    }
  };
  find(state);
  for (const FilterState& g : state.merged) find(g);
  FilterState out;
  out.attrs = state.attrs;
  out.arches = {Arch::x32};
  if (x86_64 == nullptr || x32 == nullptr || x86_64 == x32) return out;
  for (const Rule& r : x86_64->rules) {
    const auto* nr = std::get_if<std::uint32_t>(&r.syscall);
    // x32's range only: not -1, nor the negative pseudo numbers libseccomp
    // files under the native arch alone (they match no call).
    if (nr != nullptr && *nr >= kX32SyscallBit && *nr < 0x80000000u) out.rules.push_back(r);
  }
  return out;
}

}  // namespace

const bpf::Program& built_program(FilterContext& ctx) {
  if (!ctx.program) {
    FilterState& state = ctx.state;
    if (state.merged.empty()) {
      if (state.arches.empty()) throw InputError("the filter has no architecture");
      ctx.program = group_program(state);
    } else {
      std::vector<std::pair<const FilterState*, bpf::Program>> parts;
      if (!state.arches.empty()) parts.emplace_back(&state, group_program(state));
      for (FilterState& group : state.merged) {
        group.attrs = state.attrs;
        parts.emplace_back(&group, group_program(group));
      }
      if (parts.empty()) throw InputError("the filter has no architecture");
      X32ByNumber x32_by_number;
      FilterState by_number = x32_rules_by_number(state);
      if (!by_number.rules.empty()) {
        for (const Rule& r : by_number.rules) {
          const auto nr = std::get<std::uint32_t>(r.syscall);
          if (std::find(x32_by_number.numbers.begin(), x32_by_number.numbers.end(), nr) == x32_by_number.numbers.end())
            x32_by_number.numbers.push_back(nr);
        }
        x32_by_number.part = parts.size();
        parts.emplace_back(&by_number, group_program(by_number));
      }
      // Checked when set: action_from_scmp cannot fail here.
      ctx.program = combine(parts, action_from_scmp(state.attrs.act_badarch)->to_ret(), x32_by_number);
    }
  }
  return *ctx.program;
}

}  // namespace seccage::compat
