// Unit tests of code generation (codegen.cpp): layout, load elision, masked
// loads, and the detours for jumps past 255 instructions. Expected programs
// follow from the documented layout (reverse post-order of a depth-first walk
// that visits the true branch first, emitted back to front), worked out in
// the comments.
#include "compiler/codegen.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "support/ir_eval.hpp"

namespace seccage::compiler {
namespace {

namespace op = bpf::op;
using bpf::jump;
using bpf::stmt;

constexpr std::uint32_t kAllow = 0x7fff0000u, kKill = 0x80000000u;
const Load kNr{bpf::kOffNr};
const Load kArg0Low{16};

std::uint32_t emulate_nr(const bpf::Program& p, std::uint32_t nr, std::uint64_t arg0 = 0) {
  bpf::SeccompData d;
  d.nr = static_cast<std::int32_t>(nr);
  d.args[0] = arg0;
  return bpf::emulate(p, d).ret;
}

TEST(Codegen, ALoneReturnIsOneInstruction) {
  Graph g;
  EXPECT_EQ(generate(g, g.ret(kAllow)), (bpf::Program{stmt(op::RET | op::K, kAllow)}));
}

TEST(Codegen, FalseBranchFollowsTheTest) {
  // Walk: root, true (ALLOW) then false (KILL); post-order ALLOW, KILL, root;
  // layout root, KILL, ALLOW.
  Graph g;
  const NodeId root = g.test(kNr, op::JEQ, 5, g.ret(kAllow), g.ret(kKill));
  EXPECT_EQ(generate(g, root), (bpf::Program{
                                   stmt(op::LD | op::W | op::ABS, bpf::kOffNr),
                                   jump(op::JMP | op::JEQ | op::K, 5, 1, 0),
                                   stmt(op::RET | op::K, kKill),
                                   stmt(op::RET | op::K, kAllow),
                               }));
}

TEST(Codegen, TestOnTheWordAlreadyInALoadsNothing) {
  // nr == 5 ? ALLOW : (nr == 6 ? ALLOW : KILL): the second test's only
  // predecessor leaves nr in A, so one load serves both.
  Graph g;
  const NodeId allow = g.ret(kAllow), kill = g.ret(kKill);
  const NodeId root = g.test(kNr, op::JEQ, 5, allow, g.test(kNr, op::JEQ, 6, allow, kill));
  EXPECT_EQ(generate(g, root), (bpf::Program{
                                   stmt(op::LD | op::W | op::ABS, bpf::kOffNr),
                                   jump(op::JMP | op::JEQ | op::K, 5, 2, 0),
                                   jump(op::JMP | op::JEQ | op::K, 6, 1, 0),
                                   stmt(op::RET | op::K, kKill),
                                   stmt(op::RET | op::K, kAllow),
                               }));
}

TEST(Codegen, TestOnAnotherWordLoadsIt) {
  // nr == 5 ? (arg0.lo == 6 ? ALLOW : KILL) : KILL.
  Graph g;
  const NodeId allow = g.ret(kAllow), kill = g.ret(kKill);
  const NodeId root = g.test(kNr, op::JEQ, 5, g.test(kArg0Low, op::JEQ, 6, allow, kill), kill);
  EXPECT_EQ(generate(g, root), (bpf::Program{
                                   stmt(op::LD | op::W | op::ABS, bpf::kOffNr),
                                   jump(op::JMP | op::JEQ | op::K, 5, 0, 2),
                                   stmt(op::LD | op::W | op::ABS, 16),
                                   jump(op::JMP | op::JEQ | op::K, 6, 1, 0),
                                   stmt(op::RET | op::K, kKill),
                                   stmt(op::RET | op::K, kAllow),
                               }));
}

TEST(Codegen, MaskedLoadIsLoadThenAnd) {
  Graph g;
  const NodeId root = g.test(Load{16, 0xf0}, op::JEQ, 0x10, g.ret(kAllow), g.ret(kKill));
  const bpf::Program p = generate(g, root);
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0], stmt(op::LD | op::W | op::ABS, 16));
  EXPECT_EQ(p[1], stmt(op::ALU | op::AND | op::K, 0xf0));
  EXPECT_EQ(p[2], jump(op::JMP | op::JEQ | op::K, 0x10, 1, 0));
  EXPECT_EQ(emulate_nr(p, 0, 0x1f), kAllow);
  EXPECT_EQ(emulate_nr(p, 0, 0x2f), kKill);
}

TEST(Codegen, FarReturnIsCopiedNearTheJump) {
  // 300 tests "nr == i ? ALLOW : next", ending in KILL: the first tests'
  // ALLOW would be more than 255 instructions away, so a copy of
  // RET ALLOW is placed within reach (a return costs one instruction, the
  // same as a JA to it).
  Graph g;
  const NodeId allow = g.ret(kAllow);
  NodeId chain = g.ret(kKill);
  for (std::uint32_t i = 300; i-- > 0;) chain = g.test(kNr, op::JEQ, i, allow, chain);
  const bpf::Program p = generate(g, chain);
  EXPECT_FALSE(bpf::verify(p).has_value());
  const auto allows = std::count(p.begin(), p.end(), stmt(op::RET | op::K, kAllow));
  EXPECT_GE(allows, 2);
  EXPECT_EQ(std::count_if(p.begin(), p.end(), [](const bpf::Insn& in) { return in.code == (op::JMP | op::JA); }), 0);
  for (std::uint32_t nr = 0; nr < 302; ++nr) ASSERT_EQ(emulate_nr(p, nr), nr < 300 ? kAllow : kKill) << nr;
}

TEST(Codegen, FarTestIsReachedThroughAJa) {
  // As above, but the far target is a test (arg0.lo == 7): it cannot be
  // copied, so the jump goes through a JA.
  Graph g;
  const NodeId far = g.test(kArg0Low, op::JEQ, 7, g.ret(kAllow), g.ret(0x00050001u));
  NodeId chain = g.ret(kKill);
  for (std::uint32_t i = 300; i-- > 0;) chain = g.test(kNr, op::JEQ, i, far, chain);
  const bpf::Program p = generate(g, chain);
  EXPECT_FALSE(bpf::verify(p).has_value());
  EXPECT_GE(std::count_if(p.begin(), p.end(), [](const bpf::Insn& in) { return in.code == (op::JMP | op::JA); }), 1);
  for (std::uint32_t nr = 0; nr < 302; nr += 7) {
    ASSERT_EQ(emulate_nr(p, nr, 7), nr < 300 ? kAllow : kKill) << nr;
    ASSERT_EQ(emulate_nr(p, nr, 8), nr < 300 ? 0x00050001u : kKill) << nr;
  }
}

// Property: random DAGs over nr and argument words; the emitted program
// verifies and returns what the graph does, for random inputs.
TEST(Codegen, ProgramDecidesAsTheGraph) {
  std::mt19937_64 rng(4);
  const std::vector<Load> loads{kNr, kArg0Low, Load{20}, Load{24}, Load{16, 0xff}};
  const std::vector<std::uint16_t> jumps{op::JEQ, op::JGT, op::JGE, op::JSET};
  for (int round = 0; round < 200; ++round) {
    Graph g;
    std::vector<NodeId> pool;
    for (std::uint32_t r = 0; r < 4; ++r) pool.push_back(g.ret(0x00050000u | r));
    const int tests = 1 + static_cast<int>(rng() % (round < 190 ? 40 : 400));
    for (int i = 0; i < tests; ++i) {
      const NodeId t = pool[rng() % pool.size()], f = pool[rng() % pool.size()];
      pool.push_back(g.test(loads[rng() % loads.size()], jumps[rng() % jumps.size()],
                            static_cast<std::uint32_t>(rng() % 8), t, f));
    }
    const NodeId root = pool.back();
    const bpf::Program p = generate(g, root);
    ASSERT_FALSE(bpf::verify(p).has_value()) << "round " << round;
    for (int probe = 0; probe < 50; ++probe) {
      bpf::SeccompData d;
      d.nr = static_cast<std::int32_t>(rng() % 9);
      for (auto& a : d.args) a = (rng() % 9) | ((rng() % 3) << 32);
      ASSERT_EQ(bpf::emulate(p, d).ret, test::run_graph(g, root, d)) << "round " << round;
    }
  }
}

}  // namespace
}  // namespace seccage::compiler
