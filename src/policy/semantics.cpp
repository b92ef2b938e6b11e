// The semantic layer: Policy -> per-arch Decisions, and the evaluator.
//
// seccage decides exactly as a libseccomp 2.5.4 filter built from the same
// rules would (docs/semantics.md), except for three deliberate choices: numbers
// the syscall table does not know may get ENOSYS, rules by number apply as the
// raw number on every arch, and MultiplexMode::Safe. The precedence among
// overlapping conditional rules comes from replaying libseccomp's tree
// construction (word_tree.cpp); this file does everything around it: name
// resolution per arch, the socketcall/ipc multiplexers, libseccomp's
// all-or-nothing rule transaction across arches, and the filter-level choices
// (bad arch, x32, unknown numbers).
#include <algorithm>
#include <cerrno>
#include <optional>
#include <span>
#include <stdexcept>

#include <fmt/core.h>

#include "policy/evaluator.hpp"
#include "policy/low_word.hpp"
#include "policy/validate.hpp"
#include "policy/word_tree.hpp"
#include "seccage/decision.hpp"
#include "seccage/error.hpp"
#include "seccage/policy.hpp"

namespace seccage {
namespace {

constexpr std::uint16_t kEnosys = 38;

std::string hexish(std::uint32_t v) { return v < 0x10000 ? fmt::format("{}", v) : fmt::format("{:#x}", v); }

// libseccomp compares 32-bit ABIs' arguments on the low word only (x32 and
// MIPS n32 included: their longs are 32 bits).
bool narrow_words(Arch arch) { return !arch_info(arch).is_64bit; }

// Severity in the kernel's order: a smaller ActionKind is more severe.
bool less_severe(const Action& a, const Action& b) { return a.kind > b.kind; }

// A number no syscall has, distinct per name.
std::int64_t pseudo_number(std::uint32_t name_id) { return -2 - static_cast<std::int64_t>(name_id); }

std::array<detail::ArgCheck, 6> checks_of(const Rule& rule) {
  std::array<detail::ArgCheck, 6> checks{};
  for (const Condition& c : rule.conditions) {
    detail::ArgCheck& k = checks[c.arg];
    k.valid = true;
    k.op = c.op;
    k.value = c.value;
    // libseccomp gives the plain comparisons an all-ones mask.
    k.mask = c.op == CmpOp::MaskedEq ? c.mask : ~std::uint64_t{0};
    k.low_only = c.width != ArgWidth::U64;  // lowered by lower_widths()
  }
  return checks;
}

bool has_32bit_conditions(const Rule& rule) {
  return std::any_of(rule.conditions.begin(), rule.conditions.end(),
                     [](const Condition& c) { return c.width != ArgWidth::U64; });
}

// A rule whose conditions on 32-bit arguments (seccage's own forms, see
// ArgWidth) are rewritten as tests on the low word alone; conditions that
// always hold are dropped (a rule left without any is unconditional). Returns
// false when a condition can never hold: the rule then never applies.
// libseccomp's forms never have such conditions, so its meaning is untouched.
bool lower_widths(const Rule& rule, Rule& out) {
  out.syscall = rule.syscall;
  out.action = rule.action;
  out.conditions.clear();
  for (const Condition& c : rule.conditions) {
    if (c.width == ArgWidth::U64) {
      out.conditions.push_back(c);
      continue;
    }
    const detail::LowWord l = detail::lower_to_low_word(c);
    if (l.kind == detail::LowWord::Kind::Never) return false;
    if (l.kind == detail::LowWord::Kind::Test) out.conditions.push_back(l.test);
  }
  return true;
}

// What one Policy rule becomes on one arch: zero, one or two tree rules.
struct Expansion {
  std::array<detail::WordRule, 2> rules;
  std::size_t count = 0;
  void push_back(const detail::WordRule& r) { rules[count++] = r; }
  const detail::WordRule* begin() const { return rules.data(); }
  const detail::WordRule* end() const { return rules.data() + count; }
};

// An arch as the simulation sees it: its tree, and the numbers of its
// socketcall/ipc multiplexers when it has them.
struct ArchState {
  Arch arch;
  detail::WordTree tree;
  std::span<const std::uint32_t> numbers;  // by name id
  std::optional<std::uint32_t> socketcall, ipc;
  bool multiplexes() const { return socketcall || ipc; }
  std::optional<std::uint32_t> multiplexer(std::string_view via) const { return via == "ipc" ? ipc : socketcall; }
};

// The arch's number for a name. libseccomp still files a rule on an arch that
// lacks the name, under a negative pseudo number no syscall has: it never
// matches, but it can make libseccomp refuse the rule (for every arch), so the
// model keeps it too.
std::int64_t number_on(const ArchState& state, std::uint32_t name_id) {
  const std::uint32_t nr = state.numbers[name_id];
  return nr == kNoSyscall ? pseudo_number(name_id) : std::int64_t{nr};
}

void expand(const Policy& policy, const Rule& rule, int index, std::uint32_t name_id, const ArchState& state,
            Expansion& out) {
  const Arch arch = state.arch;
  out.count = 0;
  detail::WordRule base;
  base.args = checks_of(rule);
  base.ret = rule.action.to_ret();
  base.rule = index;

  if (const auto* nr = std::get_if<std::uint32_t>(&rule.syscall)) {
    if (arch_owns_number(arch, *nr)) {
      base.nr = *nr;
      out.push_back(base);
    }
    return;
  }
  // Where the arch routes the call through socketcall/ipc (its table has the
  // multiplexer: i386, ppc, s390, MIPS o32, m68k, sh), libseccomp adds a rule
  // on the multiplexer with args[0] == sub-call before the direct one.
  if (state.multiplexes()) {
    if (auto mux = multiplexed_call_by_id(name_id)) {
      if (auto via = state.multiplexer(mux->via)) {
        bool conditional = !rule.conditions.empty();
        detail::WordRule m = base;
        m.nr = *via;
        if (policy.multiplex == MultiplexMode::Safe) {
          // The sub-call's arguments sit behind a pointer, so its conditions
          // cannot be checked: a rule that would let more through than the
          // default is not carried over, the others apply to the whole sub-call.
          if (conditional && less_severe(rule.action, policy.default_action)) m.nr = -1;
          m.args = {};
        }
        // Compatible (libseccomp): args[0] now holds the sub-call, so the
        // rule's own arg0 condition is replaced; the other conditions stay and
        // are compared with the multiplexer's arguments as they are.
        m.args[0] = detail::ArgCheck{true, CmpOp::EQ, mux->call, ~std::uint64_t{0}};
        if (m.nr >= 0) out.push_back(m);
      }
    }
  }
  base.nr = number_on(state, name_id);
  out.push_back(base);
}

// Whether a rule is added to every arch as it stands: no conditions, and no
// arch that adds a socketcall/ipc rule for it. Such a rule sets one entry per
// arch and can never be refused, so it skips the general path.
bool plain_unconditional(const Rule& rule, std::uint32_t name_id, bool any_arch_multiplexes) {
  if (!rule.conditions.empty()) return false;
  if (name_id == kNoNameId) return true;  // by number
  return !any_arch_multiplexes || !multiplexed_call_by_id(name_id);
}

struct Simulation {
  std::vector<ArchState> arches;
  std::vector<RefusedRule> refused;
};

bool conditional(const detail::WordRule& w) {
  return std::any_of(w.args.begin(), w.args.end(), [](const auto& c) { return c.valid; });
}

// Adds the rules in order, each to every arch at once; when one arch refuses a
// rule, libseccomp rolls the rule back on all of them, and so do we.
Simulation simulate(const Policy& policy, const std::vector<std::uint32_t>& name_ids, const std::vector<Arch>& arches) {
  Simulation sim;
  for (Arch a : arches) {
    const ArchInfo& info = arch_info(a);
    const std::uint32_t first = syscall_table(a).empty() ? info.nr_offset : syscall_table(a).front().nr;
    sim.arches.push_back(ArchState{a, detail::WordTree(narrow_words(a), first, info.max_nr), syscall_numbers_by_id(a),
                                   syscall_number(a, "socketcall"), syscall_number(a, "ipc")});
  }

  const bool any_arch_multiplexes =
      std::any_of(sim.arches.begin(), sim.arches.end(), [](const ArchState& a) { return a.multiplexes(); });
  std::vector<Expansion> per_arch(sim.arches.size());
  std::vector<detail::WordTree::Checkpoint> backup;
  Rule lowered;
  for (std::size_t i = 0; i < policy.rules.size(); ++i) {
    const Rule* written = &policy.rules[i];
    // libseccomp refuses these (EACCES) and runc drops them: a no-op.
    if (written->action == policy.default_action) continue;
    if (has_32bit_conditions(*written)) {
      if (!lower_widths(*written, lowered)) continue;
      written = &lowered;
    }
    const Rule& rule = *written;
    if (plain_unconditional(rule, name_ids[i], any_arch_multiplexes)) {
      const std::uint32_t ret = rule.action.to_ret();
      for (ArchState& a : sim.arches) {
        if (const auto* nr = std::get_if<std::uint32_t>(&rule.syscall)) {
          if (arch_owns_number(a.arch, *nr)) a.tree.add_unconditional(*nr, ret, static_cast<int>(i));
        } else {
          a.tree.add_unconditional(number_on(a, name_ids[i]), ret, static_cast<int>(i));
        }
      }
      continue;
    }
    bool may_fail = false;
    for (std::size_t a = 0; a < sim.arches.size(); ++a) {
      expand(policy, rule, static_cast<int>(i), name_ids[i], sim.arches[a], per_arch[a]);
      // Only a conditional rule meeting an existing syscall entry can be
      // refused; skip the checkpoints otherwise.
      for (const auto& w : per_arch[a]) {
        if (conditional(w) && sim.arches[a].tree.has(w.nr)) may_fail = true;
      }
    }
    // Checkpoints of every syscall the rule touches, taken before any add.
    backup.clear();
    if (may_fail) {
      for (std::size_t a = 0; a < sim.arches.size(); ++a)
        for (const auto& w : per_arch[a]) backup.push_back(sim.arches[a].tree.checkpoint(w.nr));
    }
    auto roll_back = [&] {
      std::size_t k = backup.size();
      for (std::size_t a = sim.arches.size(); a-- > 0;)
        for (std::size_t w = per_arch[a].count; w-- > 0;) sim.arches[a].tree.rollback(backup[--k]);
    };
    for (std::size_t a = 0; a < sim.arches.size(); ++a) {
      for (const auto& w : per_arch[a]) {
        int rc = sim.arches[a].tree.add(w);
        if (rc == 0) continue;
        const std::string_view where = arch_name(sim.arches[a].arch);
        std::string why;
        if (rc == -EEXIST)
          why = fmt::format("on {} the same comparisons already lead to another action", where);
        else if (rc == -ELOOP)
          why = fmt::format("on {} libseccomp 2.5.4 links this rule into a loop and never finishes the filter", where);
        else
          why = fmt::format("libseccomp refuses it on {} (error {})", where, rc);
        if (!may_fail) throw std::logic_error("semantics: an unconditional or first rule was refused");
        sim.refused.push_back(RefusedRule{static_cast<int>(i), rc, why});
        roll_back();
        goto next_rule;
      }
    }
  next_rule:;
  }
  return sim;
}

Decision unknown_decision(const Policy& policy) {
  if (policy.enosys_for_unknown && policy.default_action.denies()) return Decision{{}, Action::errno_(kEnosys)};
  return Decision{{}, policy.default_action};
}

ArchDecisions decisions_of(const Policy& policy, const Simulation& sim, std::size_t index) {
  const Arch arch = sim.arches[index].arch;
  const detail::WordTree& tree = sim.arches[index].tree;
  ArchDecisions out;
  out.arch = arch;
  out.unknown = unknown_decision(policy);
  const auto table = syscall_table(arch);
  out.by_number.reserve(table.size() + 1);  // and -1, below: no regrowth of every Decision for it
  for (const SyscallEntry& e : table) out.by_number.emplace_back(e.nr, tree.decision(e.nr, policy.default_action));
  // Numbers named directly by rules are known numbers even when every rule
  // on them is a no-op or refused: they get the default, not ENOSYS. So is
  // -1: libseccomp hands it to the rules (the default action), where a
  // tracer skipping a call expects it; it is no newer syscall to fall back
  // from.
  const std::size_t from_table = out.by_number.size();
  out.by_number.emplace_back(kNoSyscallNr, tree.decision(kNoSyscallNr, policy.default_action));
  for (const Rule& rule : policy.rules) {
    const auto* nr = std::get_if<std::uint32_t>(&rule.syscall);
    if (nr == nullptr || !arch_owns_number(arch, *nr) || syscall_name(arch, *nr)) continue;
    out.by_number.emplace_back(*nr, tree.decision(*nr, policy.default_action));
  }
  auto by_nr = [](const auto& a, const auto& b) { return a.first < b.first; };
  auto extra = out.by_number.begin() + static_cast<std::ptrdiff_t>(from_table);
  std::sort(extra, out.by_number.end(), by_nr);
  out.by_number.erase(std::unique(extra, out.by_number.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
                      out.by_number.end());
  std::inplace_merge(out.by_number.begin(), out.by_number.begin() + static_cast<std::ptrdiff_t>(from_table),
                     out.by_number.end(), by_nr);
  return out;
}

std::vector<Arch> with_arch(const Policy& policy, Arch arch) {
  std::vector<Arch> arches = policy.effective_arches();
  if (std::find(arches.begin(), arches.end(), arch) == arches.end()) arches.push_back(arch);
  return arches;
}

std::string word_number(std::uint32_t v, bool hex) { return hex ? fmt::format("{:#x}", v) : hexish(v); }

}  // namespace

bool WordTest::compare(std::uint32_t word) const {
  switch (op) {
    case WordOp::EQ: return word == value;
    case WordOp::GT: return word > value;
    case WordOp::GE: return word >= value;
    case WordOp::MaskedEq: return (word & mask) == value;
  }
  return false;
}

bool WordTest::passes(const std::array<std::uint64_t, 6>& args) const {
  std::uint64_t a = args[arg];
  auto word = static_cast<std::uint32_t>(high ? a >> 32 : a);
  return compare(word) == expect;
}

std::string WordTest::to_string() const {
  std::string lhs = fmt::format("a{}.{}", static_cast<unsigned>(arg), high ? "hi" : "lo");
  std::string body;
  switch (op) {
    case WordOp::EQ: body = fmt::format("{} == {}", lhs, word_number(value, false)); break;
    case WordOp::GT: body = fmt::format("{} > {}", lhs, word_number(value, false)); break;
    case WordOp::GE: body = fmt::format("{} >= {}", lhs, word_number(value, false)); break;
    case WordOp::MaskedEq:
      body = fmt::format("{} & {} == {}", lhs, word_number(mask, true), word_number(value, true));
      break;
  }
  return expect ? body : "!(" + body + ")";
}

const DecisionCase* Decision::matching_case(const std::array<std::uint64_t, 6>& args) const {
  for (const DecisionCase& c : cases) {
    if (std::all_of(c.tests.begin(), c.tests.end(), [&](const WordTest& t) { return t.passes(args); })) return &c;
  }
  return nullptr;
}

Action Decision::evaluate(const std::array<std::uint64_t, 6>& args) const {
  const DecisionCase* c = matching_case(args);
  return c ? c->action : otherwise;
}

const Decision* ArchDecisions::find(std::uint32_t nr) const {
  auto it = std::lower_bound(by_number.begin(), by_number.end(), nr,
                             [](const auto& entry, std::uint32_t n) { return entry.first < n; });
  return it != by_number.end() && it->first == nr ? &it->second : nullptr;
}

const Decision& ArchDecisions::at(std::uint32_t nr) const {
  const Decision* d = find(nr);
  return d ? *d : unknown;
}

ArchDecisions decide(const Policy& policy, Arch arch) {
  const std::vector<std::uint32_t> ids = validated_name_ids(policy);
  std::vector<Arch> arches = with_arch(policy, arch);
  Simulation sim = simulate(policy, ids, arches);
  auto pos = static_cast<std::size_t>(std::find(arches.begin(), arches.end(), arch) - arches.begin());
  return decisions_of(policy, sim, pos);
}

std::vector<RefusedRule> refused_rules(const Policy& policy) {
  const std::vector<std::uint32_t> ids = validated_name_ids(policy);
  return simulate(policy, ids, policy.effective_arches()).refused;
}

std::vector<ArchDecisions> decide_all(const Policy& policy, std::vector<RefusedRule>* refused) {
  const std::vector<std::uint32_t> ids = validated_name_ids(policy);
  Simulation sim = simulate(policy, ids, policy.effective_arches());
  std::vector<ArchDecisions> out;
  out.reserve(sim.arches.size());
  for (std::size_t i = 0; i < sim.arches.size(); ++i) out.push_back(decisions_of(policy, sim, i));
  if (refused) *refused = std::move(sim.refused);
  return out;
}

Evaluator::Evaluator(const Policy& policy) : policy_(policy), decisions_(decide_all(policy_, &refused_)) {}

const ArchDecisions& Evaluator::decisions(Arch arch) const {
  for (const ArchDecisions& d : decisions_) {
    if (d.arch == arch) return d;
  }
  throw InputError(fmt::format("the policy does not cover {}", arch_name(arch)));
}

Evaluator::Verdict Evaluator::explain(std::uint32_t audit_arch, std::uint32_t nr,
                                      const std::array<std::uint64_t, 6>& args) const {
  Verdict v;
  for (const ArchDecisions& d : decisions_) {
    // On AUDIT_ARCH_X86_64, bit 30 of the number picks x32 or x86_64; a
    // filter without the ABI the number belongs to treats it as a foreign
    // arch, as libseccomp's filters do.
    if (arch_info(d.arch).audit_arch == audit_arch && arch_owns_number(d.arch, nr)) {
      v.arch = &d;
      break;
    }
  }
  if (v.arch == nullptr) {
    v.action = policy_.bad_arch_action;
    return v;
  }
  const Decision* listed = v.arch->find(nr);
  v.listed = listed != nullptr;
  v.decision = listed ? listed : &v.arch->unknown;
  v.matched = v.decision->matching_case(args);
  v.action = v.matched ? v.matched->action : v.decision->otherwise;
  return v;
}

Action Evaluator::evaluate(std::uint32_t audit_arch, std::uint32_t nr, const std::array<std::uint64_t, 6>& args) const {
  return explain(audit_arch, nr, args).action;
}

Action evaluate(const Policy& policy, std::uint32_t audit_arch, std::int32_t nr, const std::uint64_t (&args)[6]) {
  // Callers evaluate one policy in loops: keep the last evaluator per thread.
  thread_local std::optional<Evaluator> cached;
  auto same_policy = [&](const Policy& p) {
    return p.default_action == policy.default_action && p.arches == policy.arches && p.rules == policy.rules &&
           p.bad_arch_action == policy.bad_arch_action && p.enosys_for_unknown == policy.enosys_for_unknown &&
           p.multiplex == policy.multiplex;
  };
  if (!cached || !same_policy(cached->policy())) cached.emplace(policy);
  std::array<std::uint64_t, 6> a{args[0], args[1], args[2], args[3], args[4], args[5]};
  return cached->evaluate(audit_arch, static_cast<std::uint32_t>(nr), a);
}

}  // namespace seccage
