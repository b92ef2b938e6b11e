#include "compiler/arg_tests.hpp"

#include <algorithm>
#include <bit>
#include <unordered_map>

namespace seccage::compiler {
namespace {

namespace op = bpf::op;

constexpr std::uint32_t kFull = 0xffffffffu;
// Nodes a decision may create while tracking path knowledge before the
// compiler falls back to the linear form.
constexpr std::size_t kKnowledgeBudget = 4096;

bool jump_holds(std::uint16_t jmp, std::uint32_t k, std::uint32_t a) {
  switch (jmp) {
    case op::JEQ: return a == k;
    case op::JGT: return a > k;
    case op::JGE: return a >= k;
    default: return (a & k) != 0;  // JSET
  }
}

// An outcome already seen on this path.
struct Fact {
  BpfTest test;  // test.expect is unused: `held` says how it came out
  bool held;
  friend bool operator==(const Fact&, const Fact&) = default;
};

// What the facts about one accumulator value say of a new comparison.
std::optional<bool> settled(const std::vector<Fact>& facts, const BpfTest& t) {
  std::uint64_t lo = 0, hi = kFull;  // inclusive bounds on A
  for (const Fact& f : facts) {
    if (!(f.test.load == t.load)) continue;
    if (f.test.jmp == t.jmp && f.test.k == t.k) return f.held;
    const std::uint32_t k = f.test.k;
    switch (f.test.jmp) {
      case op::JEQ:
        if (f.held) lo = hi = k;
        break;
      case op::JGT:
        if (f.held) lo = std::max<std::uint64_t>(lo, std::uint64_t{k} + 1);
        else hi = std::min<std::uint64_t>(hi, k);
        break;
      case op::JGE:
        if (f.held) lo = std::max<std::uint64_t>(lo, k);
        else if (k == 0) return std::nullopt;  // impossible path; leave it alone
        else hi = std::min<std::uint64_t>(hi, std::uint64_t{k} - 1);
        break;
      default: break;
    }
  }
  if (lo > hi) return std::nullopt;
  if (lo == hi) return jump_holds(t.jmp, t.k, static_cast<std::uint32_t>(lo));
  // Excluded values sharpen the interval's ends for equality tests.
  switch (t.jmp) {
    case op::JEQ:
      if (t.k < lo || t.k > hi) return false;
      for (const Fact& f : facts)
        if (f.test.load == t.load && f.test.jmp == op::JEQ && f.test.k == t.k) return f.held;
      return std::nullopt;
    case op::JGT:
      if (lo > t.k) return true;
      if (hi <= t.k) return false;
      return std::nullopt;
    case op::JGE:
      if (lo >= t.k) return true;
      if (hi < t.k) return false;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

struct LoweredCase {
  std::vector<BpfTest> tests;
  std::uint32_t ret;
};

class DecisionBuilder {
 public:
  DecisionBuilder(Graph& g, std::vector<LoweredCase> cases, std::uint32_t otherwise, bool use_facts)
      : g_(g), cases_(std::move(cases)), otherwise_(otherwise), use_facts_(use_facts) {}

  struct OverBudget {};

  // `facts` is the path's knowledge; calls below add to it and take their
  // additions back before returning.
  NodeId build(std::size_t ci, std::size_t ti, std::vector<Fact>& facts) {
    if (ci == cases_.size()) return g_.ret(otherwise_);
    const LoweredCase& c = cases_[ci];
    if (ti == c.tests.size()) return g_.ret(c.ret);

    if (auto it = memo_.find(MemoRef{ci, ti, &facts}); it != memo_.end()) return it->second;
    if (use_facts_ && ++work_ > kKnowledgeBudget) throw OverBudget{};

    const BpfTest& t = c.tests[ti];
    NodeId result;
    std::optional<bool> known = use_facts_ ? settled(facts, t) : std::nullopt;
    if (known) {
      result = *known == t.expect ? build(ci, ti + 1, facts) : build(ci + 1, 0, facts);
    } else {
      if (use_facts_) facts.push_back({t, t.expect});
      const NodeId pass = build(ci, ti + 1, facts);
      if (use_facts_) facts.back().held = !t.expect;
      const NodeId fail = build(ci + 1, 0, facts);
      if (use_facts_) facts.pop_back();
      result = g_.test(t.load, t.jmp, t.k, t.expect ? pass : fail, t.expect ? fail : pass);
    }
    memo_.emplace(MemoKey{ci, ti, facts}, result);
    return result;
  }

 private:
  // Where the build stands: the same case, test and path knowledge always
  // build the same node. Lookups use a MemoRef to the live facts, so only an
  // insertion copies them.
  struct MemoKey {
    std::size_t ci, ti;
    std::vector<Fact> facts;
  };
  struct MemoRef {
    std::size_t ci, ti;
    const std::vector<Fact>* facts;
  };
  static MemoRef ref(const MemoKey& k) { return {k.ci, k.ti, &k.facts}; }
  static MemoRef ref(const MemoRef& r) { return r; }
  struct MemoHash {
    using is_transparent = void;
    template <class K>
    std::size_t operator()(const K& key) const {
      const MemoRef r = ref(key);
      FnvHash h;
      h.mix(r.ci);
      h.mix(r.ti);
      for (const Fact& f : *r.facts) {
        h.mix(f.test.load.offset);
        h.mix(f.test.load.mask);
        h.mix(f.test.jmp);
        h.mix(f.test.k);
        h.mix(f.held);
      }
      return static_cast<std::size_t>(h.h);
    }
  };
  struct MemoEqual {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      const MemoRef x = ref(a), y = ref(b);
      return x.ci == y.ci && x.ti == y.ti && *x.facts == *y.facts;
    }
  };

  Graph& g_;
  std::vector<LoweredCase> cases_;
  std::uint32_t otherwise_;
  bool use_facts_;
  std::size_t work_ = 0;
  std::unordered_map<MemoKey, NodeId, MemoHash, MemoEqual> memo_;
};

}  // namespace

Lowered lower(const WordTest& w, bool little_endian) {
  const std::uint32_t offset = w.high ? bpf::arg_high_offset(w.arg, little_endian) : bpf::arg_low_offset(w.arg, little_endian);
  auto make = [&](std::uint16_t jmp, std::uint32_t k, bool expect, std::uint32_t mask = kFull) {
    return Lowered{BpfTest{Load{offset, mask}, jmp, k, expect}, false};
  };
  auto constant = [&](bool compare_result) { return Lowered{std::nullopt, compare_result == w.expect}; };

  switch (w.op) {
    case WordOp::EQ: return make(op::JEQ, w.value, w.expect);
    case WordOp::GT:
      if (w.value == kFull) return constant(false);
      return make(op::JGT, w.value, w.expect);
    case WordOp::GE:
      if (w.value == 0) return constant(true);
      return make(op::JGE, w.value, w.expect);
    case WordOp::MaskedEq: {
      const std::uint32_t m = w.mask, v = w.value;
      if ((v & ~m) != 0) return constant(false);  // bits outside the mask can never match
      if (m == 0) return constant(true);
      if (m == kFull) return make(op::JEQ, v, w.expect);
      if (v == 0) return make(op::JSET, m, !w.expect);                      // no masked bit set
      if (v == m && std::has_single_bit(m)) return make(op::JSET, m, w.expect);  // the one bit set
      return make(op::JEQ, v, w.expect, m);
    }
  }
  return constant(false);
}

NodeId build_decision(Graph& graph, const Decision& decision, bool little_endian) {
  const std::uint32_t otherwise = decision.otherwise.to_ret();
  // Most syscalls check no argument: a return, without the builder's memo.
  if (decision.cases.empty()) return graph.ret(otherwise);
  std::vector<LoweredCase> cases;
  for (const DecisionCase& c : decision.cases) {
    LoweredCase lc{{}, c.action.to_ret()};
    bool never = false;
    for (const WordTest& w : c.tests) {
      Lowered l = lower(w, little_endian);
      if (l.test) lc.tests.push_back(*l.test);
      else if (!l.constant) never = true;
    }
    if (never) continue;
    const bool always = lc.tests.empty();
    cases.push_back(std::move(lc));
    if (always) break;  // nothing after an unconditional case can be reached
  }
  // A trailing case with the fall-back's action changes nothing.
  while (!cases.empty() && cases.back().ret == otherwise) cases.pop_back();

  try {
    DecisionBuilder with_facts(graph, cases, otherwise, true);
    std::vector<Fact> facts;
    return with_facts.build(0, 0, facts);
  } catch (const DecisionBuilder::OverBudget&) {
    DecisionBuilder linear(graph, std::move(cases), otherwise, false);
    std::vector<Fact> no_facts;
    return linear.build(0, 0, no_facts);
  }
}

}  // namespace seccage::compiler
