#include "sandbox/decode/families.hpp"

#include <gtest/gtest.h>

#include "sandbox/decode/fake_memory.hpp"

namespace seccage::sandbox::decode_detail {
namespace {

using testing::FakeMemory;

TEST(DecodeSystem, KernelInterfaces) {
  EXPECT_EQ(decode_call(Arch::x86_64, "bpf", {5, 0x100, 144, 0, 0, 0}, {}), "bpf(cmd=BPF_PROG_LOAD, attr=0x100, size=144)");
  EXPECT_EQ(bpf_command(99), "99");
  EXPECT_EQ(decode_call(Arch::x86_64, "keyctl", {0, static_cast<std::uint64_t>(-3), 1, 0, 0, 0}, {}),
            "keyctl(operation=KEYCTL_GET_KEYRING_ID, arg2=0xfffffffffffffffd, arg3=0x1, arg4=0x0, arg5=0x0)");
  EXPECT_EQ(key_serial(-4), "KEY_SPEC_USER_KEYRING");
  EXPECT_EQ(key_serial(42), "42");
  EXPECT_EQ(decode_call(Arch::x86_64, "reboot", {0xfee1dead, 0x28121969, 0x4321fedc, 0, 0, 0}, {}),
            "reboot(magic=LINUX_REBOOT_MAGIC1, magic2=LINUX_REBOOT_MAGIC2, cmd=LINUX_REBOOT_CMD_POWER_OFF, arg=NULL)");
  EXPECT_EQ(decode_call(Arch::x86_64, "seccomp", {1, 8 | 2, 0x10, 0, 0, 0}, {}),
            "seccomp(operation=SECCOMP_SET_MODE_FILTER, flags=SECCOMP_FILTER_FLAG_LOG|SECCOMP_FILTER_FLAG_NEW_LISTENER, "
            "args=0x10)");
  EXPECT_EQ(syslog_action(3), "SYSLOG_ACTION_READ_ALL");
  EXPECT_EQ(clock_id(0), "CLOCK_REALTIME");
  EXPECT_EQ(clock_id(-2), "-2");
  EXPECT_EQ(quotactl_command((0x800002u << 8) | 1), "QCMD(Q_QUOTAON, GRPQUOTA)");
  EXPECT_EQ(swap_flags(0x8000 | 5 | 0x10000), "SWAP_FLAG_PREFER|5|SWAP_FLAG_DISCARD");
  EXPECT_EQ(mount_attr_flags(1 | 0x10), "MOUNT_ATTR_NOATIME|MOUNT_ATTR_RDONLY");
  EXPECT_EQ(fanotify_init_flags(4 | 1), "FAN_CLASS_CONTENT|FAN_CLOEXEC");
  EXPECT_EQ(userfaultfd_flags(Arch::x86_64, 02000000 | 1), "O_CLOEXEC|UFFD_USER_MODE_ONLY");
  EXPECT_EQ(userfaultfd_flags(Arch::mips, 0x80), "O_NONBLOCK");
  EXPECT_EQ(mempolicy_mode(2 | (1 << 15)), "MPOL_BIND|MPOL_F_STATIC_NODES");
}

TEST(DecodeSystem, ModulesAndKeysShowTheirStrings) {
  FakeMemory mem;
  mem.blocks[0x10] = std::string("user") + '\0';
  mem.blocks[0x20] = std::string("mykey") + '\0';
  mem.blocks[0x30] = std::string("debug=1") + '\0';
  EXPECT_EQ(decode_call(Arch::x86_64, "add_key", {0x10, 0x20, 0x40, 4, static_cast<std::uint64_t>(-2), 0}, mem.reader()),
            "add_key(type=\"user\", description=\"mykey\", payload=0x40, plen=4, keyring=KEY_SPEC_PROCESS_KEYRING)");
  EXPECT_EQ(decode_call(Arch::x86_64, "finit_module", {3, 0x30, 2, 0, 0, 0}, mem.reader()),
            "finit_module(fd=3, param_values=\"debug=1\", flags=MODULE_INIT_IGNORE_VERMAGIC)");
}

}  // namespace
}  // namespace seccage::sandbox::decode_detail
