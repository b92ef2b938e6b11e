#include "seccage/lift.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <fmt/core.h>

#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
#include "seccage/filter_diff.hpp"
#include "analysis/program_paths.hpp"
#include "policy/regions.hpp"

namespace seccage {
namespace {

using bpf::Insn;
namespace op = bpf::op;
using namespace lift_detail;
// The filters read back together, newest first.
using Stack = std::span<const bpf::Program>;

// The words of every refusal for size rather than meaning: the filter could
// be said as a policy, but not one seccage's policy model holds.
constexpr const char* kTooComplex = "too complex to read back as a policy";
// Numbers past the table a policy may name one by one where the program
// decides a run of them apart from unknown numbers.
constexpr std::uint64_t kMaxNumbered = 256;

// ---- From a path's facts to rules --------------------------------------
//
// Each fact becomes a set of argument values (policy/regions.hpp, the text
// language's set algebra), a path the intersection of its facts' sets, and a
// syscall's share of one action the union of its paths'. The algebra then
// writes the sets as rules with at most one comparison per argument, the
// model's limit.

using regions::Region;

Region region(unsigned arg, CmpOp op, std::uint64_t value, std::uint64_t mask = 0) {
  Condition c;
  c.arg = static_cast<std::uint8_t>(arg);
  c.op = op;
  c.value = value;
  c.mask = mask;
  return regions::region_of(c);
}

Region all_of(Region a, const Region& b) { return regions::intersect(a, b); }

// The values of argument `arg` whose low word is in [lo, hi], the high word
// free: aligned power-of-two blocks of the low word.
Region low_word_range(unsigned arg, std::uint32_t lo, std::uint32_t hi) {
  Region out;
  std::uint64_t at = lo;
  while (at <= hi) {
    std::uint64_t size = 1;
    while (size < (std::uint64_t{1} << 32) && at % (size * 2) == 0 && at + size * 2 - 1 <= hi) size *= 2;
    out = regions::unite(std::move(out), region(arg, CmpOp::MaskedEq, at, 0xffffffffull & ~(size - 1)));
    at += size;
  }
  return out;
}

// The word's masked facts, the word `shift` bits up in the argument.
Region masked_facts(unsigned arg, const WordFacts& w, unsigned shift, Region r) {
  for (auto [m, k] : w.masked_eq) r = all_of(r, region(arg, CmpOp::MaskedEq, std::uint64_t{k} << shift, std::uint64_t{m} << shift));
  for (auto [m, k] : w.masked_ne)
    r = all_of(r, regions::complement(region(arg, CmpOp::MaskedEq, std::uint64_t{k} << shift, std::uint64_t{m} << shift)));
  return r;
}

// The values of argument `arg` a path allows, from its two words' facts.
// `low_only`: the value is the low word alone (a 32-bit view of the
// argument, or a 32-bit arch).
Region argument_region(unsigned arg, const WordFacts& lo, const WordFacts& hi, bool low_only) {
  Region r = regions::any_region();
  if (low_only) {
    // The value is the low word: confined to 32 bits, so that the sets the
    // algebra builds hold only values the view can take (low_word_condition
    // drops the bound again where it says nothing).
    r = all_of(r, region(arg, CmpOp::GE, lo.min));
    r = all_of(r, region(arg, CmpOp::LE, lo.max));
    for (std::uint32_t v : lo.not_equal) r = all_of(r, region(arg, CmpOp::NE, v));
    return masked_facts(arg, lo, 0, r);
  }
  if (hi.min == hi.max) {
    // The high word pinned: the low word's interval and exclusions are plain
    // 64-bit comparisons.
    const std::uint64_t base = std::uint64_t{hi.min} << 32;
    r = all_of(r, region(arg, CmpOp::GE, base | lo.min));
    r = all_of(r, region(arg, CmpOp::LE, base | lo.max));
    for (std::uint32_t v : lo.not_equal) r = all_of(r, region(arg, CmpOp::NE, base | v));
  } else {
    r = all_of(r, region(arg, CmpOp::GE, std::uint64_t{hi.min} << 32));
    r = all_of(r, region(arg, CmpOp::LE, (std::uint64_t{hi.max} << 32) | kFull));
    // A high word other than v: below v's block of values or above it.
    for (std::uint32_t v : hi.not_equal) {
      Region outside;
      if (v > 0) outside = region(arg, CmpOp::LT, std::uint64_t{v} << 32);
      if (v < kFull) outside = regions::unite(std::move(outside), region(arg, CmpOp::GT, (std::uint64_t{v} << 32) | kFull));
      r = all_of(r, outside);
    }
    if (lo.min != 0 || lo.max != kFull) r = all_of(r, low_word_range(arg, lo.min, lo.max));
    for (std::uint32_t v : lo.not_equal) r = all_of(r, regions::complement(region(arg, CmpOp::MaskedEq, v, kFull)));
  }
  return masked_facts(arg, hi, 32, masked_facts(arg, lo, 0, r));
}

// How each argument of one syscall is read back: its low word alone when no
// path tests the high word (what seccage builds for an `int`), else whole.
using LowOnly = std::array<bool, 6>;

LowOnly low_only_arguments(const std::vector<Case>& cases, const ArchInfo& info) {
  LowOnly out;
  for (unsigned arg = 0; arg < 6; ++arg) {
    out[arg] = true;
    for (const Case& c : cases) out[arg] = out[arg] && !c.facts.words[word_of(bpf::arg_high_offset(arg, info.little_endian))].known();
  }
  return out;
}

Region path_region(const Case& c, const ArchInfo& info, const LowOnly& low_only) {
  Region r = regions::any_region();
  for (unsigned arg = 0; arg < 6; ++arg) {
    const WordFacts& lo = c.facts.words[word_of(bpf::arg_low_offset(arg, info.little_endian))];
    const WordFacts& hi = c.facts.words[word_of(bpf::arg_high_offset(arg, info.little_endian))];
    if (!lo.known() && !hi.known()) continue;
    r = all_of(r, argument_region(arg, lo, hi, low_only[arg]));
  }
  return r;
}

// A syscall's paths often cut one argument's values into pieces that join
// up again (libseccomp's 64-bit `!= 40` is "high word not 0, or low word
// not 40"): when every piece is a range or an exclusion of the same
// argument, joins them, so the rule reads `arg0 != 40` rather than a list
// of blocks. Anything else is left as it is.
Region joined(const Region& r) {
  constexpr std::uint64_t kMax = ~std::uint64_t{0};
  std::optional<unsigned> arg;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> pieces;
  for (const regions::Conj& conj : r) {
    for (unsigned a = 0; a < 6; ++a) {
      if (!conj[a]) continue;
      if (arg && *arg != a) return r;
      arg = a;
      const regions::Term& t = *conj[a];
      if (t.kind == regions::Term::Kind::Range) {
        pieces.emplace_back(t.a, t.b);
      } else if (t.kind == regions::Term::Kind::NotEq) {
        if (t.a > 0) pieces.emplace_back(0, t.a - 1);
        if (t.a < kMax) pieces.emplace_back(t.a + 1, kMax);
      } else {
        return r;
      }
    }
    if (!arg) return r;  // an unconstrained piece: the algebra simplifies that
  }
  if (!arg) return r;
  std::sort(pieces.begin(), pieces.end());
  std::vector<std::pair<std::uint64_t, std::uint64_t>> merged;
  for (auto [lo, hi] : pieces) {
    if (!merged.empty() && (merged.back().second == kMax || lo <= merged.back().second + 1)) {
      merged.back().second = std::max(merged.back().second, hi);
    } else {
      merged.emplace_back(lo, hi);
    }
  }
  if (merged.size() == 2 && merged[0].first == 0 && merged[1].second == kMax && merged[0].second + 2 == merged[1].first)
    return region(*arg, CmpOp::NE, merged[0].second + 1);
  Region out;
  for (auto [lo, hi] : merged) out = regions::unite(std::move(out), all_of(region(*arg, CmpOp::GE, lo), region(*arg, CmpOp::LE, hi)));
  return out;
}

// A condition on a low-word (32-bit) view, which is never above 0xffffffff:
// the parts that bound it above 32 bits say nothing and go. False when the
// condition can never hold (the rule goes).
bool low_word_condition(Condition& c, bool& drop) {
  constexpr std::uint64_t kLow = 0xffffffffull;
  drop = false;
  switch (c.op) {
    case CmpOp::MaskedEq:
      if ((c.value & c.mask & ~kLow) != 0) return false;
      c.mask &= kLow;
      c.value &= c.mask;
      drop = c.mask == 0;
      return true;
    case CmpOp::EQ: return c.value <= kLow;
    case CmpOp::NE: drop = c.value > kLow; return true;
    case CmpOp::LT: drop = c.value > kLow; return true;
    case CmpOp::LE: drop = c.value >= kLow; return true;
    case CmpOp::GT: return c.value < kLow;
    case CmpOp::GE: return c.value <= kLow;
  }
  return true;
}

// The rules that give a syscall's calls what its paths decide, where that
// is not `otherwise`.
std::vector<Rule> rules_for(const SyscallRef& syscall, const std::vector<Case>& cases, Action otherwise,
                            const ArchInfo& info) {
  const LowOnly low_only = low_only_arguments(cases, info);
  std::vector<Rule> out;
  try {
    std::map<Action, Region> by_action;
    for (const Case& c : cases) {
      if (c.action == otherwise) continue;
      by_action[c.action] = regions::unite(std::move(by_action[c.action]), path_region(c, info, low_only));
    }
    for (const auto& [action, r] : by_action) {
      for (const std::vector<Condition>& conditions : regions::to_conditions(joined(regions::simplify(r)))) {
        std::vector<Condition> kept;
        bool possible = true;
        for (Condition c : conditions) {
          bool drop = false;
          if (low_only[c.arg]) possible = possible && low_word_condition(c, drop);
          c.width = low_only[c.arg] && info.is_64bit ? ArgWidth::U32 : ArgWidth::U64;
          if (!drop) kept.push_back(c);
        }
        if (possible) out.push_back(Rule{syscall, action, std::move(kept), RuleOrigin::named("read back from the filter")});
      }
    }
  } catch (const regions::RegionTooComplex&) {
    // An order comparison and a mask on one argument: a rule holds one
    // comparison per argument, so the range is cut into aligned blocks.
    throw InputError(fmt::format("{} on {}: {} (over {} rules for one syscall: an argument both ordered and masked, "
                                 "or ranged on both sides, is cut into aligned blocks)",
                                 to_string(syscall), info.name, kTooComplex, regions::kMaxRegionSize));
  }
  return out;
}

// ---- One arch --------------------------------------------------------------

// Whether a call numbered `nr` under the arch's AUDIT_ARCH value is the
// arch's (x86_64 and x32 share one and split it at bit 30; -1 is taken as
// x86_64's, as diff_filters names it).
bool in_domain(const ArchInfo& info, std::uint32_t nr) { return arch_of_call(info.audit_arch, nr) == info.arch; }

// Every constant the program compares anything with, and its neighbours:
// the numbers outside the table where a decision may change.
std::set<std::uint32_t> compared_constants(Stack stack) {
  std::set<std::uint32_t> out;
  for (const bpf::Program& p : stack) {
    for (const Insn& in : p) {
      if ((in.code & 0x07) != op::JMP || (in.code & 0xf0) == op::JA) continue;
      out.insert({in.k - 1, in.k, in.k + 1});
    }
  }
  return out;
}

bool unconditional(const std::vector<Case>& cases) {
  for (const Case& c : cases)
    if (c.action != cases.front().action) return false;
  return true;
}

Policy lift_arch(Stack p, const ArchInfo& info, Action bad_arch) {
  std::map<std::uint32_t, std::vector<Case>> named;  // by number, table order
  for (const SyscallEntry& e : syscall_table(info.arch)) named[e.nr] = program_paths(p, &info, e.nr);
  std::map<std::uint32_t, std::vector<Case>> unnamed;
  const std::set<std::uint32_t> compared = compared_constants(p);
  std::set<std::uint32_t> candidates = compared;
  candidates.insert({info.max_nr + 1, kNoSyscallNr, info.nr_offset, info.nr_offset + 0x3fffffffu});
  // The table's holes: a range test may take them with their neighbours.
  for (std::uint32_t nr = info.nr_offset; nr <= info.max_nr; ++nr) candidates.insert(nr);
  for (std::uint32_t nr : candidates) {
    if (!in_domain(info, nr) || named.count(nr)) continue;
    unnamed[nr] = program_paths(p, &info, nr);
  }

  // The default: what a number past the table gets, the program's last
  // word. When that is ENOSYS (seccage's own filters, runc's), the default
  // is what most denied syscalls get and unknown numbers get ENOSYS.
  Policy policy;
  policy.arches = {info.arch};
  policy.bad_arch_action = bad_arch;
  policy.enosys_for_unknown = false;
  const std::vector<Case>& past = unnamed.at(info.max_nr + 1);
  if (!unconditional(past)) throw InputError(fmt::format("{}: numbers past its syscall table are decided by their arguments", info.name));
  policy.default_action = past.front().action;
  if (policy.default_action == Action::errno_(ENOSYS)) {
    std::map<Action, std::size_t> denied;
    for (const auto& [nr, cases] : named)
      if (unconditional(cases) && cases.front().action.denies()) ++denied[cases.front().action];
    const auto most = std::max_element(denied.begin(), denied.end(), [](auto& a, auto& b) { return a.second < b.second; });
    if (most != denied.end() && most->first != policy.default_action) {
      policy.default_action = most->first;
      policy.enosys_for_unknown = true;
    }
  }
  const Action unknown_gets = policy.enosys_for_unknown ? Action::errno_(ENOSYS) : policy.default_action;

  auto add = [&](const SyscallRef& ref, const std::vector<Case>& cases, Action otherwise) {
    for (Rule& r : rules_for(ref, cases, otherwise, info)) policy.rules.push_back(std::move(r));
  };
  for (const SyscallEntry& e : syscall_table(info.arch)) add(std::string(e.name), named.at(e.nr), policy.default_action);
  // -1 (what a tracer sets to skip a call) is no unknown number to the
  // compiler: it gets the default unless a rule names it.
  // Past the table, the program decides alike from one number it compares
  // nr with to the next: k and k+1 bound each test's two sides, and
  // `compared` holds them (with k-1, which only splits a run further).
  std::optional<std::uint32_t> run_start;  // of unnamed numbers decided apart, for the message
  for (const auto& [nr, cases] : unnamed) {
    const Action otherwise = nr == kNoSyscallNr ? policy.default_action : unknown_gets;
    add(nr, cases, otherwise);
    const bool apart = !(unconditional(cases) && cases.front().action == otherwise);
    if (!apart || !run_start) run_start = apart ? std::optional<std::uint32_t>(nr) : std::nullopt;
    if (nr == kNoSyscallNr || nr <= info.max_nr || !apart) continue;
    // A policy names such numbers one at a time.
    const auto next = compared.upper_bound(nr);
    const std::uint64_t end = next == compared.end() ? std::uint64_t{kNoSyscallNr} : *next;
    if (end - nr > kMaxNumbered) {
      throw InputError(fmt::format("{}: numbers from {} on (more than {}) get {}, not what unknown numbers get ({}), and "
                                   "a policy names numbers one at a time",
                                   info.name, *run_start, kMaxNumbered, cases.front().action.to_string(),
                                   otherwise.to_string()));
    }
    for (std::uint64_t n = nr + 1; n < end; ++n) {
      if (in_domain(info, static_cast<std::uint32_t>(n)) && !unnamed.count(static_cast<std::uint32_t>(n)))
        add(static_cast<std::uint32_t>(n), program_paths(p, &info, static_cast<std::uint32_t>(n)), otherwise);
    }
  }
  return policy;
}

// ---- Which arches, and the check --------------------------------------------

// Whether some call of the arch is decided otherwise than `foreign` (what a
// call of an arch the filter does not know gets): the arch is handled.
// x32's numbers share x86_64's AUDIT_ARCH value, so x32 counts as handled
// only when its calls are decided apart from an unknown number's.
bool handles(Stack p, const ArchInfo& info, const std::vector<Case>& foreign) {
  const std::vector<Case> unknown = program_paths(p, &info, info.max_nr + 1);
  const Action reference = info.arch == Arch::x32 && unconditional(unknown) ? unknown.front().action : foreign.front().action;
  for (const SyscallEntry& e : syscall_table(info.arch)) {
    const std::vector<Case> cases = program_paths(p, &info, e.nr);
    if (!unconditional(cases) || cases.front().action != reference) return true;
  }
  return false;
}

std::vector<Arch> handled_arches(Stack p, const std::vector<Case>& foreign) {
  std::vector<Arch> out;
  for (const ArchInfo& info : all_arches())
    if (handles(p, info, foreign)) out.push_back(info.arch);
  return out;
}

// The differences diff_filters finds on `arches` (it names x32's numbers
// x32 though they carry x86_64's AUDIT_ARCH value, so a policy for x86_64
// alone is not blamed for x32's calls).
std::vector<FilterDifference> differences(Stack original, const Policy& policy, const std::vector<Arch>& arches) {
  // The policy model is libseccomp's: some sets of overlapping rules are ones
  // libseccomp refuses, and the model drops them (docs/semantics.md,
  // "Refused rules"), so such a set would not mean what the paths say.
  if (const std::vector<RefusedRule> refused = refused_rules(policy); !refused.empty()) {
    const Rule& r = policy.rules[static_cast<std::size_t>(refused.front().rule)];
    throw InputError(fmt::format("{}: {} (its rules overlap in a way libseccomp's rule model refuses: {})",
                                 to_string(r.syscall), kTooComplex, refused.front().reason));
  }
  bpf::Program rebuilt;
  try {
    rebuilt = compile(policy);
  } catch (const InputError& e) {
    throw InputError(fmt::format("{}: {}", kTooComplex, e.what()));
  }
  std::vector<FilterDifference> out;
  for (const FilterDifference& d : diff_filter_stacks(original, {&rebuilt, 1}, arches).differences)
    if (std::find(arches.begin(), arches.end(), d.arch) != arches.end()) out.push_back(d);
  return out;
}

// One policy for every arch, when each name gets the same rules on every arch
// that has it and no rule is by number.
std::optional<Policy> merged(const std::vector<Policy>& per_arch) {
  Policy all = per_arch.front();
  all.arches.clear();
  std::map<std::string, std::vector<Rule>> by_name;
  for (const Policy& p : per_arch) {
    if (p.default_action != all.default_action || p.enosys_for_unknown != all.enosys_for_unknown) return std::nullopt;
    all.arches.push_back(p.arches.front());
    std::map<std::string, std::vector<Rule>> mine;
    for (const Rule& r : p.rules) {
      const auto* name = std::get_if<std::string>(&r.syscall);
      if (name == nullptr) return std::nullopt;
      mine[*name].push_back(r);
    }
    for (auto& [name, rules] : mine) {
      auto [it, fresh] = by_name.emplace(name, rules);
      if (!fresh && it->second != rules) return std::nullopt;
    }
  }
  // A name with rules on one arch must get them on every arch that has it.
  for (const Policy& p : per_arch) {
    std::set<std::string> mine;
    for (const Rule& r : p.rules) mine.insert(std::get<std::string>(r.syscall));
    for (const auto& [name, rules] : by_name)
      if (!mine.count(name) && syscall_number(p.arches.front(), name)) return std::nullopt;
  }
  all.rules.clear();
  for (auto& [name, rules] : by_name) all.rules.insert(all.rules.end(), rules.begin(), rules.end());
  return all;
}

}  // namespace

LiftedFilter lift_filters(std::span<const bpf::Program> stack, const std::vector<Arch>& arches) {
  if (stack.empty()) throw InputError("no filter to read back");
  for (const bpf::Program& p : stack) bpf::verify_or_throw(p);
  // What a call of an arch the filter does not handle gets: one AUDIT_ARCH
  // value no arch has.
  const std::vector<Case> foreign = program_paths(stack, nullptr, 0);
  if (!unconditional(foreign)) throw InputError("the filter tests arguments before it tests the arch");
  LiftedFilter out;
  out.arches = arches.empty() ? handled_arches(stack, foreign) : arches;
  if (out.arches.empty()) throw InputError("the filter decides every arch's calls alike, as for an arch it does not know: it tests no arch seccage knows");
  std::vector<Policy> per_arch;
  for (Arch a : out.arches) {
    per_arch.push_back(lift_arch(stack, arch_info(a), foreign.front().action));
    const std::vector<FilterDifference> d = differences(stack, per_arch.back(), {a});
    if (!d.empty()) {
      throw InputError(fmt::format(
          "read back as a policy, the filter would decide {} on {} otherwise ({} instead of {}): seccage cannot "
          "say this filter as a policy (please report it)",
          d.front().syscall, arch_name(d.front().arch), d.front().second.to_string(), d.front().first.to_string()));
    }
  }
  if (per_arch.size() > 1) {
    if (std::optional<Policy> one = merged(per_arch)) {
      try {
        if (differences(stack, *one, out.arches).empty()) {
          out.policies = {std::move(*one)};
          return out;
        }
      } catch (const InputError&) {
        // Too complex together: one policy per arch, as each was checked.
      }
    }
  }
  out.policies = std::move(per_arch);
  return out;
}

LiftedFilter lift_filter(const bpf::Program& program, const std::vector<Arch>& arches) {
  return lift_filters({&program, 1}, arches);
}

}  // namespace seccage
