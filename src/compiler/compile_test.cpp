// The compiler against the semantics: every program it emits must decide, in
// the emulator, exactly what the decisions it was built from decide.
#include <gtest/gtest.h>

#include <random>

#include "compiler/arg_tests.hpp"
#include "compiler/codegen.hpp"
#include "compiler/dispatch.hpp"
#include "seccage/compiler.hpp"
#include "seccage/decision.hpp"
#include "seccage/error.hpp"

namespace seccage::compiler {
namespace {

using Args = std::array<std::uint64_t, 6>;

constexpr std::uint32_t kInterestingWords[] = {0, 1, 2, 5, 0x7f, 0x80, 0xff, 0x1000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff};

std::uint32_t pick_word(std::mt19937_64& rng) {
  if (rng() % 3 == 0) return static_cast<std::uint32_t>(rng());
  return kInterestingWords[rng() % std::size(kInterestingWords)];
}

Action pick_action(std::mt19937_64& rng) {
  switch (rng() % 5) {
    case 0: return Action::allow();
    case 1: return Action::kill_process();
    case 2: return Action::errno_(static_cast<std::uint16_t>(1 + rng() % 5));
    case 3: return Action::trap(static_cast<std::uint16_t>(rng() % 3));
    default: return Action::log();
  }
}

WordTest random_test(std::mt19937_64& rng) {
  WordTest t;
  t.arg = static_cast<std::uint8_t>(rng() % 3);  // few args, so tests overlap
  t.high = rng() % 2;
  t.op = static_cast<WordOp>(rng() % 4);
  t.value = pick_word(rng);
  t.mask = pick_word(rng);
  if (t.op == WordOp::MaskedEq && rng() % 2) t.value &= t.mask;  // mostly satisfiable
  t.expect = rng() % 4 != 0;
  return t;
}

Decision random_decision(std::mt19937_64& rng, std::size_t max_cases) {
  Decision d;
  d.otherwise = pick_action(rng);
  const std::size_t n = rng() % (max_cases + 1);
  for (std::size_t i = 0; i < n; ++i) {
    DecisionCase c;
    c.action = pick_action(rng);
    const std::size_t tests = rng() % 5;
    for (std::size_t j = 0; j < tests; ++j) c.tests.push_back(random_test(rng));
    d.cases.push_back(std::move(c));
  }
  return d;
}

// Argument vectors built from the decision's own constants, their
// neighbours, and random words, in both halves.
std::vector<Args> probe_args(const Decision& d, std::mt19937_64& rng) {
  std::vector<std::uint32_t> words(std::begin(kInterestingWords), std::end(kInterestingWords));
  for (const auto& c : d.cases)
    for (const auto& t : c.tests) {
      words.push_back(t.value);
      words.push_back(t.value + 1);
      words.push_back(t.value - 1);
      words.push_back(t.value | ~t.mask);
    }
  std::vector<Args> out;
  for (int i = 0; i < 300; ++i) {
    Args a{};
    for (auto& v : a) v = (std::uint64_t{words[rng() % words.size()]} << 32) | words[rng() % words.size()];
    out.push_back(a);
  }
  return out;
}

Action run(const bpf::Program& p, const Args& args, std::int32_t nr = 0) {
  bpf::SeccompData data;
  data.nr = nr;
  data.arch = 0xc000003e;
  data.args = args;
  return bpf::emulate(p, data).action;
}

TEST(CompilerArgTests, RandomDecisionsMatchTheirSemantics) {
  std::mt19937_64 rng(1234);
  std::size_t compared = 0;
  for (int round = 0; round < 400; ++round) {
    const Decision d = random_decision(rng, 6);
    Graph g;
    const bpf::Program p = generate(g, build_decision(g, d, true));
    ASSERT_FALSE(bpf::verify(p).has_value()) << bpf::verify(p)->to_string();
    for (const Args& a : probe_args(d, rng)) {
      ASSERT_EQ(run(p, a), d.evaluate(a)) << "round " << round;
      ++compared;
    }
  }
  EXPECT_GT(compared, 100000u);
}

TEST(CompilerArgTests, LongDecisionsNeedLongJumpsAndStayCorrect) {
  // Hundreds of cases push early jumps past the 8-bit offset limit.
  std::mt19937_64 rng(99);
  for (int round = 0; round < 5; ++round) {
    Decision d = random_decision(rng, 0);
    for (int i = 0; i < 300; ++i) {
      DecisionCase c;
      c.action = pick_action(rng);
      for (int j = 0; j < 3; ++j) c.tests.push_back(random_test(rng));
      d.cases.push_back(c);
    }
    Graph g;
    const bpf::Program p = generate(g, build_decision(g, d, true));
    ASSERT_GT(p.size(), 600u);
    ASSERT_FALSE(bpf::verify(p).has_value());
    for (const Args& a : probe_args(d, rng)) ASSERT_EQ(run(p, a), d.evaluate(a));
  }
}

TEST(CompilerArgTests, HighWordOfAGroupOfValuesIsTestedOnce) {
  // arg0 in {0, 8, 0x20000}: 64-bit equality is hi == 0 && lo == v, and the
  // compiler should test the high word a single time.
  Decision d;
  d.otherwise = Action::errno_(1);
  for (std::uint32_t v : {0u, 8u, 0x20000u}) {
    d.cases.push_back({{WordTest{0, true, WordOp::EQ, 0, 0xffffffffu, true}, WordTest{0, false, WordOp::EQ, v, 0xffffffffu, true}},
                       Action::allow(), -1});
  }
  Graph g;
  const bpf::Program p = generate(g, build_decision(g, d, true));
  std::size_t high_loads = 0;
  for (const auto& insn : p)
    if (insn.code == (bpf::op::LD | bpf::op::W | bpf::op::ABS) && insn.k == bpf::arg_high_offset(0, true)) ++high_loads;
  EXPECT_EQ(high_loads, 1u);
  // LD hi, JEQ, LD lo, 3x JEQ, 2 returns.
  EXPECT_LE(p.size(), 8u);
}

TEST(CompilerArgTests, SingleBitMasksUseJset) {
  const WordTest bit_set{1, false, WordOp::MaskedEq, 0x4, 0x4, true};
  const Lowered l = lower(bit_set, true);
  ASSERT_TRUE(l.test.has_value());
  EXPECT_EQ(l.test->jmp, bpf::op::JSET);
  EXPECT_EQ(l.test->load.mask, 0xffffffffu);  // no AND needed
  const WordTest none_set{1, false, WordOp::MaskedEq, 0, 0x30, true};
  const Lowered n = lower(none_set, true);
  ASSERT_TRUE(n.test.has_value());
  EXPECT_EQ(n.test->jmp, bpf::op::JSET);
  EXPECT_FALSE(n.test->expect);
  const Lowered impossible = lower(WordTest{1, false, WordOp::MaskedEq, 0x8, 0x4, true}, true);
  EXPECT_FALSE(impossible.test.has_value());
  EXPECT_FALSE(impossible.constant);
}

TEST(CompilerDispatch, SearchTreeFindsEveryRange) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 50; ++round) {
    Graph g;
    std::vector<Range> ranges;
    std::uint32_t next = 0;
    const int n = 1 + static_cast<int>(rng() % 300);
    for (int i = 0; i < n && next != 0xffffffffu; ++i) {
      const std::uint32_t len = 1 + static_cast<std::uint32_t>(rng() % 20);
      const std::uint32_t last = i == n - 1 ? 0xffffffffu : next + len - 1;
      append_range(ranges, {next, last, g.ret(Action::errno_(static_cast<std::uint16_t>(rng() % 40)).to_ret()),
                            static_cast<double>(rng() % 10)});
      next = last + 1;
    }
    const bpf::Program p = generate(g, search_tree(g, ranges));
    ASSERT_FALSE(bpf::verify(p).has_value());
    for (const Range& r : ranges) {
      for (std::uint32_t nr : {r.first, r.last, r.first + (r.last - r.first) / 2}) {
        ASSERT_EQ(run(p, {}, static_cast<std::int32_t>(nr)).to_ret(), g[r.code].ret) << nr;
      }
    }
  }
}

// Σ weight × tests on the path, read off the emulator: every path is the load
// of nr, the tests, and one return.
double weighted_tests(const bpf::Program& p, const std::vector<Range>& ranges) {
  double total = 0;
  for (const Range& r : ranges) {
    bpf::SeccompData data;
    data.nr = static_cast<std::int32_t>(r.first);
    data.arch = 0xc000003e;
    total += r.weight * static_cast<double>(bpf::emulate(p, data).executed - 2);
  }
  return total;
}

// The textbook O(n^3) optimal alphabetic tree cost, to check the fast DP.
double reference_cost(const std::vector<Range>& r) {
  const std::size_t n = r.size();
  std::vector<double> prefix(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + r[i].weight;
  std::vector<std::vector<double>> cost(n, std::vector<double>(n, 0));
  for (std::size_t len = 2; len <= n; ++len) {
    for (std::size_t i = 0; i + len <= n; ++i) {
      const std::size_t j = i + len - 1;
      double best = 1e300;
      for (std::size_t k = i + 1; k <= j; ++k) best = std::min(best, cost[i][k - 1] + cost[k][j]);
      cost[i][j] = best + prefix[j + 1] - prefix[i];
    }
  }
  return cost[0][n - 1];
}

TEST(CompilerDispatch, SearchTreeIsAnOptimalAlphabeticTree) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 40; ++round) {
    Graph g;
    std::vector<Range> ranges;
    const int n = 1 + static_cast<int>(rng() % 90);
    std::uint32_t next = 0;
    for (int i = 0; i < n; ++i) {
      const std::uint32_t last = i == n - 1 ? 0xffffffffu : next + static_cast<std::uint32_t>(rng() % 5);
      // A distinct return per range, so that no two subtrees can merge.
      ranges.push_back({next, last, g.ret(static_cast<std::uint32_t>(i)), 0.1 + static_cast<double>(rng() % 8)});
      next = last + 1;
    }
    const bpf::Program p = generate(g, search_tree(g, ranges, 0));
    EXPECT_NEAR(weighted_tests(p, ranges), reference_cost(ranges), 1e-6) << "round " << round << ", " << n << " ranges";
  }
}

// Spans that alternate one code with lone numbers become equality-test
// leaves; every number must still reach its own code.
TEST(CompilerDispatch, EqualityLeavesKeepEveryNumber) {
  std::mt19937_64 rng(12);
  for (int round = 0; round < 60; ++round) {
    Graph g;
    std::vector<Range> ranges;
    const NodeId base = g.ret(Action::errno_(100).to_ret());
    std::uint32_t next = 0;
    const int n = 1 + static_cast<int>(rng() % 120);
    for (int i = 0; i < n; ++i) {
      const bool lone = i % 2 == 1 && rng() % 4 != 0;
      const std::uint32_t last = i == n - 1 ? 0xffffffffu : next + (lone ? 0 : static_cast<std::uint32_t>(rng() % 6));
      const NodeId code = i % 2 == 0 ? base : g.ret(Action::errno_(static_cast<std::uint16_t>(1 + rng() % 3)).to_ret());
      append_range(ranges, {next, last, code, lone ? 1.0 : static_cast<double>(1 + rng() % 6)});
      next = last + 1;
    }
    for (std::size_t max_exceptions : {1u, 2u, 3u}) {
      const bpf::Program p = generate(g, search_tree(g, ranges, max_exceptions));
      ASSERT_FALSE(bpf::verify(p).has_value());
      for (const Range& r : ranges) {
        for (std::uint32_t nr : {r.first, r.last}) {
          ASSERT_EQ(run(p, {}, static_cast<std::int32_t>(nr)).to_ret(), g[r.code].ret) << "round " << round << ", nr " << nr;
        }
      }
    }
  }
}

Policy docker_like_policy() {
  Policy p;
  p.default_action = Action::errno_(1);
  p.arches = {Arch::x86_64};
  for (const char* name : {"read", "write", "openat", "close", "mmap", "exit_group", "futex"})
    p.rules.push_back({std::string(name), Action::allow(), {}, ""});
  for (std::uint64_t v : {0ull, 8ull, 0x20000ull, 0xffffffffull})
    p.rules.push_back({std::string("personality"), Action::allow(), {arg(0) == v}, ""});
  return p;
}

TEST(Compiler, AllowedSyscallsWithoutArgumentsAreCacheable) {
  const Policy p = docker_like_policy();
  const bpf::Program prog = compile(p);
  const ArchDecisions d = decide(p, Arch::x86_64);
  std::size_t checked = 0;
  for (const auto& [nr, decision] : d.by_number) {
    if (decision.depends_on_args() || decision.otherwise != Action::allow()) continue;
    bpf::SeccompData data;
    data.nr = static_cast<std::int32_t>(nr);
    data.arch = arch_info(Arch::x86_64).audit_arch;
    EXPECT_TRUE(bpf::emulate(prog, data).cacheable) << nr;
    ++checked;
  }
  EXPECT_EQ(checked, 7u);
}

TEST(Compiler, ForeignArchAndX32NumbersGetTheBadArchAction) {
  const Policy p = docker_like_policy();
  const bpf::Program prog = compile(p);
  bpf::SeccompData data;
  data.arch = arch_info(Arch::i386).audit_arch;
  EXPECT_EQ(bpf::emulate(prog, data).action, Action::kill_process());
  data.arch = arch_info(Arch::x86_64).audit_arch;
  data.nr = static_cast<std::int32_t>(kX32SyscallBit | 1);
  EXPECT_EQ(bpf::emulate(prog, data).action, Action::kill_process());
}

TEST(Compiler, OversizedPolicyIsAClearError) {
  Policy p;
  p.default_action = Action::allow();
  p.arches = {Arch::x86_64};
  for (std::uint64_t v = 0; v < 3000; ++v)
    p.rules.push_back({std::string("ioctl"), Action::errno_(1), {arg(1) == v * 7 + 0x100000000ull * (v % 3)}, ""});
  try {
    compile(p);
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("4096"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace seccage::compiler
