#include "sandbox/decode/families.hpp"

#include <gtest/gtest.h>

#include "sandbox/decode/fake_memory.hpp"

namespace seccage::sandbox::decode_detail {
namespace {

using testing::FakeMemory;
using testing::value_of;

TEST(DecodeFiles, OpenFlagsFollowTheArchFamily) {
  EXPECT_EQ(open_flags(Arch::x86_64, 01 | 0100 | 01000), "O_WRONLY|O_CREAT|O_TRUNC");
  // 0200000 is O_DIRECTORY on x86 but O_DIRECT on arm and aarch64; 040000
  // the other way round.
  EXPECT_EQ(open_flags(Arch::x86_64, 0200000), "O_RDONLY|O_DIRECTORY");
  EXPECT_EQ(open_flags(Arch::aarch64, 0200000), "O_RDONLY|O_DIRECT");
  EXPECT_EQ(open_flags(Arch::aarch64, 040000), "O_RDONLY|O_DIRECTORY");
  EXPECT_EQ(open_flags(Arch::ppc64le, 0200000), "O_RDONLY|O_LARGEFILE");
  // MIPS: O_CREAT is 0x100, and 0100 means nothing.
  EXPECT_EQ(open_flags(Arch::mipsel, 0x100 | 0x8), "O_RDONLY|O_CREAT|O_APPEND");
  EXPECT_EQ(open_flags(Arch::mipsel, 0100), "O_RDONLY|0x40");
  EXPECT_EQ(open_flags(Arch::parisc, 1 << 8), "O_RDONLY|O_CREAT");
  // The kernel's O_LARGEFILE (glibc's x86_64 headers define it as 0).
  EXPECT_EQ(open_flags(Arch::x86_64, 0100000 | 02000000), "O_RDONLY|O_LARGEFILE|O_CLOEXEC");
  // Composite flags take their parts.
  EXPECT_EQ(open_flags(Arch::x86_64, 020200000 | 02), "O_RDWR|O_TMPFILE");
  EXPECT_EQ(open_flags(Arch::x86_64, 04010000 | 01), "O_WRONLY|O_SYNC");
  EXPECT_EQ(open_flags(Arch::mips, 0x4010), "O_RDONLY|O_SYNC");
}

TEST(DecodeFiles, FcntlCommandsDifferOnMipsAndPariscAndForThirtyTwoBitLocks) {
  EXPECT_EQ(fcntl_command(Arch::x86_64, 5), "F_GETLK");
  EXPECT_EQ(fcntl_command(Arch::mips, 14), "F_GETLK");
  EXPECT_EQ(fcntl_command(Arch::mips, 5), "5");
  EXPECT_EQ(fcntl_command(Arch::i386, 12), "F_GETLK64");
  EXPECT_EQ(fcntl_command(Arch::x86_64, 12), "12");  // no *64 commands on 64-bit ABIs
  EXPECT_EQ(fcntl_command(Arch::x32, 12), "12");
  EXPECT_EQ(fcntl_command(Arch::mips64, 33), "33");  // o32 only
  EXPECT_EQ(fcntl_command(Arch::mips, 33), "F_GETLK64");
  EXPECT_EQ(fcntl_command(Arch::parisc, 12), "F_SETOWN");
  EXPECT_EQ(fcntl_command(Arch::aarch64, 1030), "F_DUPFD_CLOEXEC");
  // The argument is decoded by the command.
  EXPECT_EQ(decode_call(Arch::x86_64, "fcntl", {3, 4, 04000, 0, 0, 0}, {}),
            "fcntl(fd=3, cmd=F_SETFL, arg=O_RDONLY|O_NONBLOCK)");
  EXPECT_EQ(decode_call(Arch::x86_64, "fcntl", {3, 2, 1, 0, 0, 0}, {}), "fcntl(fd=3, cmd=F_SETFD, arg=FD_CLOEXEC)");
  EXPECT_EQ(decode_call(Arch::x86_64, "fcntl", {3, 10, 10, 0, 0, 0}, {}), "fcntl(fd=3, cmd=F_SETSIG, arg=SIGUSR1)");
  EXPECT_EQ(decode_call(Arch::mips, "fcntl", {3, 10, 10, 0, 0, 0}, {}), "fcntl(fd=3, cmd=F_SETSIG, arg=SIGBUS)");
}

TEST(DecodeFiles, ReadlinkAndStatfsShowThePath) {
  FakeMemory mem;
  mem.blocks[0x1000] = std::string("/proc/self/exe") + '\0';
  EXPECT_EQ(decode_call(Arch::x86_64, "readlink", {0x1000, 0x2000, 4096, 0, 0, 0}, mem.reader()),
            "readlink(pathname=\"/proc/self/exe\", buf=0x2000, bufsiz=4096)");
  EXPECT_EQ(decode_call(Arch::x86_64, "readlinkat", {static_cast<std::uint64_t>(-100), 0x1000, 0x2000, 64, 0, 0},
                        mem.reader()),
            "readlinkat(dirfd=AT_FDCWD, pathname=\"/proc/self/exe\", buf=0x2000, bufsiz=64)");
  EXPECT_EQ(decode_call(Arch::x86_64, "statfs", {0x1000, 0x2000, 0, 0, 0, 0}, mem.reader()),
            "statfs(path=\"/proc/self/exe\", buf=0x2000)");
  EXPECT_EQ(decode_call(Arch::x86_64, "fstatfs", {7, 0x2000, 0, 0, 0, 0}, mem.reader()), "fstatfs(fd=7, buf=0x2000)");
}

TEST(DecodeFiles, ModesDevicesAndAtFlags) {
  EXPECT_EQ(file_mode(0644), "0644");
  EXPECT_EQ(file_mode(0), "0");
  EXPECT_EQ(file_mode(0020000 | 0600), "S_IFCHR|0600");
  EXPECT_EQ(device_number((1u << 8) | 3), "makedev(1, 3)");
  EXPECT_EQ(device_number((259u << 8) | 0xff | (0x12u << 20)), "makedev(259, 4863)");
  EXPECT_EQ(at_flags(0x100 | 0x1000), "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH");
  EXPECT_EQ(at_flags(0), "0");
  EXPECT_EQ(unlinkat_flags(0x200), "AT_REMOVEDIR");
  EXPECT_EQ(faccessat_flags(0x200), "AT_EACCESS");
  EXPECT_EQ(access_mode(0), "F_OK");
  EXPECT_EQ(access_mode(6), "R_OK|W_OK");
  EXPECT_EQ(rename_flags(3), "RENAME_NOREPLACE|RENAME_EXCHANGE");
  EXPECT_EQ(statx_mask(0xfff), "STATX_BASIC_STATS|STATX_BTIME");
}

TEST(DecodeFiles, MountsAndTheirStrings) {
  FakeMemory mem;
  mem.blocks[0x10] = std::string("none") + '\0';
  mem.blocks[0x20] = std::string("/mnt") + '\0';
  mem.blocks[0x30] = std::string("tmpfs") + '\0';
  mem.blocks[0x40] = std::string("size=1m") + '\0';
  const DecodedCall d = decode_call_structured(Arch::x86_64, "mount", {0x10, 0x20, 0x30, 0xc0ed0000 | 4096 | 16384, 0x40, 0},
                                               mem.reader());
  EXPECT_EQ(value_of(d, "filesystemtype"), "\"tmpfs\"");
  EXPECT_EQ(value_of(d, "mountflags"), "MS_MGC_VAL|MS_BIND|MS_REC");
  EXPECT_EQ(value_of(d, "data"), "\"size=1m\"");
  EXPECT_EQ(umount_flags(2), "MNT_DETACH");
  EXPECT_EQ(mount_flags(1 | 1u << 18), "MS_RDONLY|MS_PRIVATE");
  EXPECT_EQ(memfd_flags(3), "MFD_CLOEXEC|MFD_ALLOW_SEALING");
}

}  // namespace
}  // namespace seccage::sandbox::decode_detail
