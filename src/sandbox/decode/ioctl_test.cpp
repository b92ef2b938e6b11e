#include "sandbox/decode/families.hpp"

#include <gtest/gtest.h>

#include "sandbox/decode/fake_memory.hpp"

namespace seccage::sandbox::decode_detail {
namespace {

using testing::FakeMemory;

TEST(DecodeIoctl, TtyRequestsOnTheArchesThatShareThem) {
  EXPECT_EQ(ioctl_request(Arch::x86_64, 0x5412), "TIOCSTI");
  EXPECT_EQ(ioctl_request(Arch::aarch64, 0x541c), "TIOCLINUX");
  EXPECT_EQ(ioctl_request(Arch::i386, 0x541b), "FIONREAD");
  EXPECT_EQ(ioctl_request(Arch::riscv64, 0x5401), "TCGETS");
  EXPECT_EQ(ioctl_request(Arch::x86_64, 0x5413), "TIOCGWINSZ");
  EXPECT_EQ(ioctl_request(Arch::x86_64, 0x80045430), "TIOCGPTN");
  // ppc and MIPS number their tty requests differently: not named there.
  EXPECT_EQ(ioctl_request(Arch::ppc64le, 0x5412), "0x5412");
  EXPECT_EQ(ioctl_request(Arch::mips, 0x5401), "0x5401");
  EXPECT_EQ(ioctl_request(Arch::parisc, 0x5412), "0x5412");
  // The kernel reads the request as 32 bits.
  EXPECT_EQ(ioctl_request(Arch::x86_64, 0x100005412), "TIOCSTI");
}

TEST(DecodeIoctl, EveryRequestTheReadOnlyPresetRefusesIsNamed) {
  // src/policy/presets.cpp, kWritingIoctls (x86 encoding).
  const std::pair<std::uint64_t, std::string_view> requests[] = {
      {0x40086602, "FS_IOC_SETFLAGS"},   {0x40046602, "FS_IOC32_SETFLAGS"},    {0x401c5820, "FS_IOC_FSSETXATTR"},
      {0x40087602, "FS_IOC_SETVERSION"}, {0x40047602, "FS_IOC32_SETVERSION"},  {0x40049409, "FICLONE"},
      {0x4020940d, "FICLONERANGE"},      {0xc0189436, "FIDEDUPERANGE"},        {0x41009432, "FS_IOC_SETFSLABEL"},
      {0x40806685, "FS_IOC_ENABLE_VERITY"}, {0x800c6613, "FS_IOC_SET_ENCRYPTION_POLICY"},
      {0x40086604, "EXT4_IOC_SETVERSION"}, {0x40046604, "EXT4_IOC32_SETVERSION"}, {0xc028660f, "EXT4_IOC_MOVE_EXT"},
      {0x00006611, "EXT4_IOC_SWAP_BOOT"}, {0x50009401, "BTRFS_IOC_SNAP_CREATE"}, {0x50009417, "BTRFS_IOC_SNAP_CREATE_V2"},
      {0x5000940e, "BTRFS_IOC_SUBVOL_CREATE"}, {0x50009418, "BTRFS_IOC_SUBVOL_CREATE_V2"},
      {0x5000940f, "BTRFS_IOC_SNAP_DESTROY"}, {0x5000943f, "BTRFS_IOC_SNAP_DESTROY_V2"},
      {0x4008941a, "BTRFS_IOC_SUBVOL_SETFLAGS"}};
  for (const auto& [value, name] : requests) EXPECT_EQ(ioctl_request(Arch::x86_64, value), name) << std::hex << value;
}

TEST(DecodeIoctl, EncodedRequestsDependOnTheArch) {
  // _IOW('f', 2, long): the size of a long and the direction bits are in the number.
  EXPECT_EQ(ioctl_request(Arch::i386, 0x40046602), "FS_IOC_SETFLAGS");
  EXPECT_EQ(ioctl_request(Arch::ppc64le, 0x80086602), "FS_IOC_SETFLAGS");
  EXPECT_EQ(ioctl_request(Arch::ppc64le, 0x40086602), "_IOR('f', 0x2, 8)");
  EXPECT_EQ(ioctl_request(Arch::mips64, 0x40086601), "FS_IOC_GETFLAGS");
  EXPECT_EQ(ioctl_request(Arch::x86_64, 0xc0502100), "SECCOMP_IOCTL_NOTIF_RECV");
  // Unnamed requests show their parts where the encoding is known.
  EXPECT_EQ(ioctl_request(Arch::x86_64, 0x8008aeff), "_IOR(0xae, 0xff, 8)");
  EXPECT_EQ(ioctl_request(Arch::x86_64, 0x4b3a), "_IO('K', 0x3a)");
  EXPECT_EQ(ioctl_request(Arch::parisc, 0x40086602), "0x40086602");
  EXPECT_EQ(ioctl_request(Arch::x86_64, 0x8933), "SIOCGIFINDEX");
  EXPECT_EQ(ioctl_request(Arch::mips, 0x8933), "SIOCGIFINDEX");
}

TEST(DecodeIoctl, TiocstiShowsTheByteItWouldType) {
  FakeMemory mem;
  mem.blocks[0x700] = "x";
  EXPECT_EQ(decode_call(Arch::x86_64, "ioctl", {0, 0x5412, 0x700, 0, 0, 0}, mem.reader()),
            "ioctl(fd=0, request=TIOCSTI, arg=\"x\")");
  mem.blocks[0x800] = FakeMemory::integer(1, 4);
  EXPECT_EQ(decode_call(Arch::x86_64, "ioctl", {3, 0x5421, 0x800, 0, 0, 0}, mem.reader()),
            "ioctl(fd=3, request=FIONBIO, arg=[1])");
  EXPECT_EQ(decode_call(Arch::x86_64, "ioctl", {3, 0x541b, 0x900, 0, 0, 0}, mem.reader()),
            "ioctl(fd=3, request=FIONREAD, arg=0x900)");
}

}  // namespace
}  // namespace seccage::sandbox::decode_detail
