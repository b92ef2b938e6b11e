// seccage's guards, on the compiled programs (the BPF emulator): the
// supervised variant sends every guarded call to the supervisor unless the
// policy traps it, and changes nothing else; the kernel filter refuses the
// guarded calls of its arches only.
#include "sandbox/guards.hpp"

#include <gtest/gtest.h>

#include "policy/evaluator.hpp"
#include "sandbox/variant.hpp"
#include "seccage/compiler.hpp"

namespace seccage::sandbox {
namespace {

constexpr std::uint64_t kTiocsti = 0x5412, kTcgets = 0x5401;

Action run(const bpf::Program& p, Arch arch, const char* name, std::array<std::uint64_t, 6> args = {}) {
  bpf::SeccompData d;
  d.arch = arch_info(arch).audit_arch;
  d.nr = static_cast<std::int32_t>(*syscall_number(arch, name));
  d.args = args;
  return bpf::emulate(p, d).action;
}

bpf::Program guarded_variant(const Policy& policy, bool kernel_traps = true) {
  const Policy variant = notify_variant(policy, {}, kernel_traps);
  std::vector<ArchDecisions> decisions = decide_all(variant);
  guard_decisions(decisions);
  return compile_decisions(variant, decisions);
}

Policy allow_all() {
  Policy p;
  p.default_action = Action::allow();
  return p;
}

TEST(SandboxGuards, AnAllowedGuardedCallGoesToTheSupervisorAndNothingElseDoes) {
  const bpf::Program p = guarded_variant(allow_all());
  const Arch a = Arch::x86_64;
  EXPECT_EQ(run(p, a, "ioctl", {0, kTiocsti}), Action::user_notif());
  EXPECT_EQ(run(p, a, "ioctl", {0, (1ULL << 32) | kTiocsti}), Action::user_notif());  // the kernel reads 32 bits
  EXPECT_EQ(run(p, a, "ioctl", {0, 0x541C}), Action::user_notif());
  EXPECT_EQ(run(p, a, "ioctl", {0, kTcgets}), Action::allow());
  EXPECT_EQ(run(p, a, "mount"), Action::user_notif());
  EXPECT_EQ(run(p, a, "fsopen"), Action::user_notif());
  EXPECT_EQ(run(p, a, "read"), Action::allow());
}

TEST(SandboxGuards, APolicyTrapStaysInTheKernelAndTheRestOfTheDecisionStays) {
  Policy p = allow_all();
  // Traps ioctls on fd 3; TCGETS is denied with an errno.
  p.rules.push_back(Rule{std::string("ioctl"), Action::trap(), {Condition{0, CmpOp::EQ, 3}}, "t"});
  p.rules.push_back(Rule{std::string("ioctl"), Action::errno_(25), {Condition{1, CmpOp::EQ, kTcgets}}, "e"});
  const bpf::Program g = guarded_variant(p);
  const Arch a = Arch::x86_64;
  EXPECT_EQ(run(g, a, "ioctl", {3, kTiocsti}), Action::trap());
  EXPECT_EQ(run(g, a, "ioctl", {4, kTiocsti}), Action::user_notif());
  // Elsewhere the guarded program decides as the plain variant does.
  const Policy variant = notify_variant(p);
  const bpf::Program plain = compile(variant);
  for (std::uint64_t arg0 : {3, 4})
    for (std::uint64_t request : {kTcgets, std::uint64_t{0x5402}, std::uint64_t{0x541B}})
      EXPECT_EQ(run(g, a, "ioctl", {arg0, request}), run(plain, a, "ioctl", {arg0, request})) << arg0 << " " << request;
  EXPECT_EQ(run(g, a, "ioctl", {4, 0x5402}), Action::allow());
  // In permissive mode the trap reaches the supervisor like the rest.
  EXPECT_EQ(run(guarded_variant(p, false), a, "ioctl", {3, kTiocsti}), Action::user_notif());
}

TEST(SandboxGuards, EveryArchOfThePolicyIsGuarded) {
  Policy p = allow_all();
  p.arches = {Arch::x86_64, Arch::i386, Arch::x32};
  const bpf::Program g = guarded_variant(p);
  for (Arch a : p.arches) {
    EXPECT_EQ(run(g, a, "ioctl", {0, kTiocsti}), Action::user_notif()) << arch_name(a);
    EXPECT_EQ(run(g, a, "umount2"), Action::user_notif()) << arch_name(a);
    EXPECT_EQ(run(g, a, "ioctl", {0, kTcgets}), Action::allow()) << arch_name(a);
  }
}

TEST(SandboxGuards, TheKernelFilterRefusesTheGuardedCallsOfItsArchesOnly) {
  const bpf::Program k = guard_program({Arch::i386, Arch::x32});
  EXPECT_EQ(run(k, Arch::i386, "ioctl", {0, kTiocsti}), Action::errno_(EPERM));
  EXPECT_EQ(run(k, Arch::i386, "mount"), Action::errno_(EPERM));
  EXPECT_EQ(run(k, Arch::x32, "ioctl", {0, (7ULL << 32) | kTiocsti}), Action::errno_(EPERM));
  EXPECT_EQ(run(k, Arch::i386, "ioctl", {0, kTcgets}), Action::allow());
  EXPECT_EQ(run(k, Arch::x86_64, "mount"), Action::allow());  // the supervisor's
  EXPECT_TRUE(guard_program({}).empty());
}

// The virtual console's families, one masked test each: every KD* and VT_*
// request, in the supervised variant, the kernel filter and guard_for, and
// nothing next to them.
TEST(SandboxGuards, VirtualConsoleIoctlFamilies) {
  const bpf::Program g = guarded_variant(allow_all());
  const bpf::Program k = guard_program({Arch::i386});
  const std::uint32_t x86 = arch_info(Arch::x86_64).audit_arch;
  const std::uint32_t ioctl64 = *syscall_number(Arch::x86_64, "ioctl");
  for (std::uint64_t request : {0x4B45 /* KDSKBMODE */, 0x4B3A /* KDSETMODE */, 0x4B72 /* KDFONTOP */,
                                0x4B00, 0x4BFF, 0x5606 /* VT_ACTIVATE */, 0x5602 /* VT_SETMODE */}) {
    EXPECT_EQ(run(g, Arch::x86_64, "ioctl", {0, request}), Action::user_notif()) << std::hex << request;
    EXPECT_EQ(run(g, Arch::x86_64, "ioctl", {0, (1ULL << 32) | request}), Action::user_notif()) << std::hex << request;
    EXPECT_EQ(run(k, Arch::i386, "ioctl", {0, request}), Action::errno_(EPERM)) << std::hex << request;
    ASSERT_NE(guard_for(x86, ioctl64, {0, request}), nullptr) << std::hex << request;
    EXPECT_NE(std::string(guard_for(x86, ioctl64, {0, request})->why).find("virtual console"), std::string::npos);
  }
  for (std::uint64_t request : {std::uint64_t{0x4AFF}, std::uint64_t{0x4C00}, std::uint64_t{0x55FF}, std::uint64_t{0x5700}, kTcgets, std::uint64_t{0x14B45}}) {
    EXPECT_EQ(run(g, Arch::x86_64, "ioctl", {0, request}), Action::allow()) << std::hex << request;
    EXPECT_EQ(run(k, Arch::i386, "ioctl", {0, request}), Action::allow()) << std::hex << request;
    EXPECT_EQ(guard_for(x86, ioctl64, {0, request}), nullptr) << std::hex << request;
  }
}

TEST(SandboxGuards, ACallIsMatchedOnItsOwnAbi) {
  const auto x86 = arch_info(Arch::x86_64).audit_arch;
  const auto i386 = arch_info(Arch::i386).audit_arch;
  const std::uint32_t ioctl64 = *syscall_number(Arch::x86_64, "ioctl");
  const std::uint32_t ioctl32 = *syscall_number(Arch::i386, "ioctl");
  const std::uint32_t ioctlx32 = *syscall_number(Arch::x32, "ioctl");
  EXPECT_NE(guard_for(x86, ioctl64, {0, kTiocsti}), nullptr);
  EXPECT_NE(guard_for(i386, ioctl32, {0, kTiocsti}), nullptr);
  EXPECT_NE(guard_for(x86, ioctlx32, {0, kTiocsti}), nullptr);
  EXPECT_EQ(guard_for(x86, ioctl64, {0, kTcgets}), nullptr);
  // i386's ioctl number (54) is another call on x86_64.
  EXPECT_EQ(guard_for(x86, ioctl32, {0, kTiocsti}), nullptr);
  EXPECT_EQ(guard_for(x86, *syscall_number(Arch::x86_64, "mount"), {})->syscall, std::string("mount"));
  EXPECT_EQ(guard_for(0x1234, ioctl64, {0, kTiocsti}), nullptr);
  // The line discipline (TIOCSETD, 0x5423) and key request upcalls.
  EXPECT_NE(guard_for(x86, ioctl64, {0, 0x5423}), nullptr);
  EXPECT_NE(guard_for(i386, ioctl32, {0, 0xffffffff00005423ull}), nullptr);  // the low 32 bits decide
  EXPECT_EQ(guard_for(x86, ioctl64, {0, 0x5424 /* TIOCGETD */}), nullptr);
  EXPECT_EQ(guard_for(x86, *syscall_number(Arch::x86_64, "request_key"), {})->syscall, std::string("request_key"));
  EXPECT_EQ(guard_for(x86, *syscall_number(Arch::x86_64, "add_key"), {}), nullptr);
}

}  // namespace
}  // namespace seccage::sandbox
