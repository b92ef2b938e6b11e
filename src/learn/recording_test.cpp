// The recorder: calls counted per arch and number, captured arguments kept
// masked and bounded, clone3 answered with ENOSYS.
#include <gtest/gtest.h>

#include "seccage/learn.hpp"

namespace seccage::learn {
namespace {

std::uint32_t nr(Arch arch, const char* name) { return *syscall_number(arch, name); }
std::uint32_t audit(Arch arch) { return arch_info(arch).audit_arch; }

TEST(LearnRecording, CountsCallsPerArchAndNumber) {
  Recording rec;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(rec.record(audit(Arch::x86_64), nr(Arch::x86_64, "read"), {}), 0);
  EXPECT_EQ(rec.record(audit(Arch::i386), nr(Arch::i386, "read"), {}), 0);
  const auto uses = rec.uses();
  ASSERT_EQ(uses.size(), 2u);
  EXPECT_EQ(uses[0].arch, Arch::x86_64);
  EXPECT_EQ(uses[0].name, "read");
  EXPECT_EQ(uses[0].count, 3u);
  EXPECT_EQ(uses[1].arch, Arch::i386);  // i386 numbers stay i386's
  EXPECT_EQ(uses[1].nr, nr(Arch::i386, "read"));
  EXPECT_EQ(uses[1].count, 1u);
}

TEST(LearnRecording, TellsX32FromX86_64ByTheNumbersBit30) {
  EXPECT_EQ(arch_of_call(audit(Arch::x86_64), 0), Arch::x86_64);
  EXPECT_EQ(arch_of_call(audit(Arch::x86_64), 0x40000000u), Arch::x32);
  EXPECT_EQ(arch_of_call(0x12345678u, 0), std::nullopt);
}

TEST(LearnRecording, KeepsSocketDomainAndTypeWithoutNonblockAndCloexec) {
  Recording rec;
  const std::uint32_t socket = nr(Arch::x86_64, "socket");
  rec.record(audit(Arch::x86_64), socket, {1, 1 | 0x80000, 0, 0, 0, 0});      // AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC
  rec.record(audit(Arch::x86_64), socket, {1, 1 | 0x800, 0, 0, 0, 0});        // AF_UNIX, SOCK_STREAM|SOCK_NONBLOCK
  rec.record(audit(Arch::x86_64), socket, {0xffffffff00000002ULL, 2, 0, 0, 0, 0});  // AF_INET, upper word ignored
  const auto uses = rec.uses();
  ASSERT_EQ(uses.size(), 1u);
  EXPECT_EQ(uses[0].values, (std::set<ArgValues>{{1, 1}, {2, 2}}));
}

TEST(LearnRecording, StopsKeepingValuesPastTheLimit) {
  LearnOptions o;
  o.max_values = 3;
  Recording rec(o);
  for (std::uint64_t request = 0; request < 10; ++request)
    rec.record(audit(Arch::x86_64), nr(Arch::x86_64, "ioctl"), {0, request, 0, 0, 0, 0});
  const auto uses = rec.uses();
  ASSERT_EQ(uses.size(), 1u);
  EXPECT_TRUE(uses[0].too_many_values);
  EXPECT_TRUE(uses[0].values.empty());
  EXPECT_EQ(uses[0].count, 10u);
}

TEST(LearnRecording, AnswersClone3WithEnosys) {
  Recording rec;
  EXPECT_EQ(rec.record(audit(Arch::x86_64), nr(Arch::x86_64, "clone3"), {}), 38);
  EXPECT_EQ(rec.record(audit(Arch::x86_64), nr(Arch::x86_64, "clone"), {0x3d0f00, 0, 0, 0, 0, 0}), 0);
}

TEST(LearnRecording, CapturesOnlyTheDocumentedArguments) {
  EXPECT_EQ(captured_args(Arch::x86_64, "read").size(), 0u);
  EXPECT_EQ(captured_args(Arch::x86_64, "socket").size(), 2u);
  EXPECT_EQ(captured_args(Arch::x86_64, "mmap").size(), 1u);
  EXPECT_EQ(captured_args(Arch::i386, "mmap").size(), 0u);  // old_mmap: a pointer to a struct
  EXPECT_EQ(captured_args(Arch::x86_64, "openat")[0].index, 2);
  EXPECT_EQ(captured_args(Arch::x86_64, "openat")[0].mask, 3u);
}

}  // namespace
}  // namespace seccage::learn
