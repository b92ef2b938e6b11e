// Counts as compiler weights: read back, filtered by arch, and cheaper
// filters for the calls that run them.
#include <gtest/gtest.h>

#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
#include "seccage/learn.hpp"

namespace seccage::learn {
namespace {

const Arch kArch = Arch::x86_64;

SyscallUse use(const char* name, std::uint64_t count, Arch arch = kArch) {
  SyscallUse u;
  u.arch = arch;
  u.name = name;
  u.nr = *syscall_number(arch, name);
  u.count = count;
  return u;
}

TEST(LearnFrequencies, CountsReadBackAsWritten) {
  const auto counts = parse_counts_json(counts_json({use("read", 7), use("write", 2, Arch::i386)}));
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].syscall, "read");
  EXPECT_EQ(counts[0].count, 7u);
  EXPECT_EQ(counts[1].arch, Arch::i386);
  const std::vector<Arch> only64{kArch};
  const auto f = frequencies_for(counts, only64);
  EXPECT_EQ(f.size(), 1u);
  EXPECT_EQ(f.at("read"), 7.0);
  EXPECT_THROW(parse_counts_json("{\"defaultAction\": 1}"), InputError);
  EXPECT_THROW(parse_counts_json("{\"syscalls\": [{\"arch\": \"vax\", \"nr\": 1, \"syscall\": \"x\", \"count\": 1}]}"), InputError);
}

// A policy where most allowed syscalls are cached and a few calls run the
// filter: with the counts, the frequent filtered calls must get cheaper.
TEST(LearnFrequencies, MakeTheFilteredCallsCheaper) {
  Policy p;
  p.default_action = Action::errno_(1);
  p.arches = {kArch};
  for (const auto& e : syscall_table(kArch)) {
    if (e.nr % 3 == 0) p.rules.push_back(Rule{std::string(e.name), Action::allow(), {}, ""});
  }
  // Frequent, argument-checked calls at the far end of the table.
  p.rules.push_back(Rule{"openat", Action::allow(), {Condition{2, CmpOp::MaskedEq, 0, 3, ArgWidth::U64}}, ""});
  p.rules.push_back(Rule{"futex", Action::allow(), {Condition{1, CmpOp::EQ, 128, 0, ArgWidth::U64}}, ""});
  std::vector<SyscallUse> uses{use("openat", 50000), use("futex", 50000), use("read", 1000000)};
  const auto counts = parse_counts_json(counts_json(uses));
  const std::vector<Arch> arches{kArch};
  CompileOptions weighted;
  weighted.frequency = frequencies_for(counts, arches);
  const double with = mean_instructions_per_call(compile(p, weighted), counts, arches);
  const double without = mean_instructions_per_call(compile(p), counts, arches);
  EXPECT_LT(with, without);
  EXPECT_GT(with, 0.0);
}

}  // namespace
}  // namespace seccage::learn
