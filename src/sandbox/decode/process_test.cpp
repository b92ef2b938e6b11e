#include "sandbox/decode/families.hpp"

#include <gtest/gtest.h>

#include "sandbox/decode/fake_memory.hpp"

namespace seccage::sandbox::decode_detail {
namespace {

using testing::FakeMemory;
using testing::value_of;

TEST(DecodeProcess, SignalsFollowTheArch) {
  EXPECT_EQ(signal_name(Arch::x86_64, 10), "SIGUSR1");
  EXPECT_EQ(signal_name(Arch::mips, 10), "SIGBUS");
  EXPECT_EQ(signal_name(Arch::mips64el, 18), "SIGCHLD");
  EXPECT_EQ(signal_name(Arch::aarch64, 17), "SIGCHLD");
  EXPECT_EQ(signal_name(Arch::parisc, 10), "10");  // not carried
  EXPECT_EQ(signal_name(Arch::x86_64, 34), "SIGRT_2");
  EXPECT_EQ(signal_name(Arch::x86_64, 65), "65");
  EXPECT_EQ(signal_name(Arch::mips, 100), "SIGRT_68");
  EXPECT_EQ(decode_call(Arch::x86_64, "tgkill", {10, 11, 31, 0, 0, 0}, {}), "tgkill(tgid=10, tid=11, sig=SIGSYS)");
}

TEST(DecodeProcess, CloneArgumentsInTheArchOrder) {
  const std::uint64_t flags = 0x10000000 | 0x20000 | 17;  // CLONE_NEWUSER|CLONE_NEWNS|SIGCHLD
  EXPECT_EQ(decode_call(Arch::x86_64, "clone", {flags, 0, 0x10, 0x20, 0x30, 0}, {}),
            "clone(flags=CLONE_NEWNS|CLONE_NEWUSER|SIGCHLD, stack=NULL, parent_tid=0x10, child_tid=0x20, tls=0x30)");
  // s390 swaps the first two; i386 and arm put tls before child_tid.
  EXPECT_EQ(value_of(decode_call_structured(Arch::s390x, "clone", {0x7000, flags, 0, 0, 0, 0}, {}), "flags"),
            "CLONE_NEWNS|CLONE_NEWUSER|SIGCHLD");
  const DecodedCall arm = decode_call_structured(Arch::arm, "clone", {flags, 0, 0x10, 0x20, 0x30, 0}, {});
  EXPECT_EQ(value_of(arm, "tls"), "0x20");
  EXPECT_EQ(value_of(arm, "child_tid"), "0x30");
  // Where the order is not carried the arguments after the stack are unnamed.
  EXPECT_EQ(value_of(decode_call_structured(Arch::riscv64, "clone", {flags, 0, 0x10, 0x20, 0x30, 0}, {}), "arg2"),
            "0x10");
  EXPECT_EQ(decode_call(Arch::x86_64, "unshare", {0x80 | 0x40000000, 0, 0, 0, 0, 0}, {}),
            "unshare(flags=CLONE_NEWTIME|CLONE_NEWNET)");
  EXPECT_EQ(decode_call(Arch::x86_64, "setns", {5, 0, 0, 0, 0, 0}, {}), "setns(fd=5, nstype=0)");
}

TEST(DecodeProcess, Clone3ReadsTheStruct) {
  FakeMemory mem;
  std::string args;
  for (std::uint64_t v : {std::uint64_t{0x10000000 | 0x20000000}, std::uint64_t{0}, std::uint64_t{0},
                          std::uint64_t{0}, std::uint64_t{17}, std::uint64_t{0}, std::uint64_t{0}, std::uint64_t{0},
                          std::uint64_t{0}, std::uint64_t{0}, std::uint64_t{0}})
    args += FakeMemory::integer(v, 8);
  mem.blocks[0x5000] = args;
  EXPECT_EQ(decode_call(Arch::x86_64, "clone3", {0x5000, 88, 0, 0, 0, 0}, mem.reader()),
            "clone3(cl_args={flags=CLONE_NEWUSER|CLONE_NEWPID, exit_signal=SIGCHLD, stack=NULL, stack_size=0}, "
            "size=88)");
  // Big-endian arches store the same struct the other way round.
  FakeMemory be;
  std::string be_args;
  for (std::uint64_t v : {std::uint64_t{0x100}, std::uint64_t{0}, std::uint64_t{0}, std::uint64_t{0},
                          std::uint64_t{17}, std::uint64_t{0x7000}, std::uint64_t{4096}, std::uint64_t{0}})
    be_args += FakeMemory::integer(v, 8, false);
  be.blocks[0x5000] = be_args;
  EXPECT_EQ(value_of(decode_call_structured(Arch::s390x, "clone3", {0x5000, 64, 0, 0, 0, 0}, be.reader()), "cl_args"),
            "{flags=CLONE_VM, exit_signal=SIGCHLD, stack=0x7000, stack_size=4096}");
  // Too small for the kernel, or unreadable: the address.
  EXPECT_EQ(value_of(decode_call_structured(Arch::x86_64, "clone3", {0x5000, 32, 0, 0, 0, 0}, mem.reader()), "cl_args"),
            "0x5000");
  EXPECT_EQ(value_of(decode_call_structured(Arch::x86_64, "clone3", {0x9000, 88, 0, 0, 0, 0}, mem.reader()), "cl_args"),
            "0x9000");
}

TEST(DecodeProcess, PtraceRequestsAndTheirData) {
  EXPECT_EQ(decode_call(Arch::x86_64, "ptrace", {16, 1234, 0, 0, 0, 0}, {}),
            "ptrace(request=PTRACE_ATTACH, pid=1234, addr=NULL, data=0x0)");
  EXPECT_EQ(value_of(decode_call_structured(Arch::aarch64, "ptrace", {0x4206, 1, 0, 0x100080, 0, 0}, {}), "data"),
            "PTRACE_O_TRACESECCOMP|PTRACE_O_EXITKILL");
  EXPECT_EQ(value_of(decode_call_structured(Arch::x86_64, "ptrace", {7, 1, 0, 9, 0, 0}, {}), "data"), "SIGKILL");
  EXPECT_EQ(ptrace_request(Arch::x86_64, 12), "PTRACE_GETREGS");
  EXPECT_EQ(ptrace_request(Arch::aarch64, 12), "0xc");  // arm64 numbers its own requests differently
}

TEST(DecodeProcess, ResourceLimits) {
  FakeMemory mem;
  mem.blocks[0x100] = FakeMemory::integer(64, 8) + FakeMemory::integer(~std::uint64_t{0}, 8);
  EXPECT_EQ(decode_call(Arch::x86_64, "prlimit64", {0, 7, 0x100, 0, 0, 0}, mem.reader()),
            "prlimit64(pid=0, resource=RLIMIT_NOFILE, new_limit={cur=64, max=RLIM_INFINITY}, old_limit=NULL)");
  EXPECT_EQ(rlimit_resource(Arch::mips, 5), "RLIMIT_NOFILE");
  EXPECT_EQ(rlimit_resource(Arch::mips, 7), "RLIMIT_RSS");
  EXPECT_EQ(rlimit_resource(Arch::ppc64le, 7), "RLIMIT_NOFILE");
  EXPECT_EQ(rlimit_resource(Arch::parisc, 7), "7");
  // setrlimit's struct has the ABI's longs: 4 bytes on i386.
  mem.blocks[0x200] = FakeMemory::integer(1024, 4) + FakeMemory::integer(0xffffffff, 4);
  EXPECT_EQ(decode_call(Arch::i386, "setrlimit", {3, 0x200, 0, 0, 0, 0}, mem.reader()),
            "setrlimit(resource=RLIMIT_STACK, rlim={cur=1024, max=RLIM_INFINITY})");
}

TEST(DecodeProcess, PrctlAndPersonality) {
  FakeMemory mem;
  mem.blocks[0x10] = std::string("worker") + '\0';
  EXPECT_EQ(value_of(decode_call_structured(Arch::x86_64, "prctl", {15, 0x10, 0, 0, 0, 0}, mem.reader()), "arg2"),
            "\"worker\"");
  EXPECT_EQ(decode_call(Arch::x86_64, "prctl", {22, 2, 0x20, 0, 0, 0}, {}),
            "prctl(option=PR_SET_SECCOMP, arg2=SECCOMP_MODE_FILTER, arg3=0x20, arg4=0x0, arg5=0x0)");
  EXPECT_EQ(value_of(decode_call_structured(Arch::x86_64, "prctl", {24, 21, 0, 0, 0, 0}, {}), "arg2"), "CAP_SYS_ADMIN");
  EXPECT_EQ(value_of(decode_call_structured(Arch::x86_64, "prctl", {1, 9, 0, 0, 0, 0}, {}), "arg2"), "SIGKILL");
  EXPECT_EQ(prctl_option(38), "PR_SET_NO_NEW_PRIVS");
  EXPECT_EQ(personality(0x0040000), "PER_LINUX|ADDR_NO_RANDOMIZE");
  EXPECT_EQ(personality(0xffffffff), "0xffffffff (query)");
  EXPECT_EQ(personality(8), "PER_LINUX32");
  EXPECT_EQ(wait_options(1 | 0x40000000), "WNOHANG|__WALL");
  EXPECT_EQ(user_id(0xffffffff), "-1");
}

}  // namespace
}  // namespace seccage::sandbox::decode_detail
