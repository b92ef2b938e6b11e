#include <linux/seccomp.h>

#include <bit>
#include <cstddef>
#include <cstring>

#include <gtest/gtest.h>

#include "seccage/bpf.hpp"
#include "seccage/error.hpp"

namespace seccage::bpf {
namespace {

// The kernel header is the reference for the offsets.
TEST(BpfLayout, OffsetsMatchTheKernelsStruct) {
  EXPECT_EQ(kOffNr, offsetof(seccomp_data, nr));
  EXPECT_EQ(kOffArch, offsetof(seccomp_data, arch));
  EXPECT_EQ(kOffIp, offsetof(seccomp_data, instruction_pointer));
  EXPECT_EQ(kOffArgs, offsetof(seccomp_data, args));
  EXPECT_EQ(kSeccompDataSize, sizeof(seccomp_data));
}

TEST(BpfLayout, ArgHalvesFollowByteOrder) {
  // Check against the memory of a real seccomp_data on this (little- or
  // big-endian) host: the low half is where the host puts it.
  seccomp_data d{};
  d.args[3] = 0x1111111122222222ull;
  const auto* bytes = reinterpret_cast<const unsigned char*>(&d);
  std::uint32_t at_low = 0, at_high = 0;
  const bool le = std::endian::native == std::endian::little;
  std::memcpy(&at_low, bytes + arg_low_offset(3, le), 4);
  std::memcpy(&at_high, bytes + arg_high_offset(3, le), 4);
  EXPECT_EQ(at_low, 0x22222222u);
  EXPECT_EQ(at_high, 0x11111111u);
  // And the other order is the mirror image.
  EXPECT_EQ(arg_low_offset(0, true), 16u);
  EXPECT_EQ(arg_high_offset(0, true), 20u);
  EXPECT_EQ(arg_low_offset(5, false), 60u);
  EXPECT_EQ(arg_high_offset(5, false), 56u);
}

TEST(BpfLayout, ArgIndexOutOfRangeThrows) {
  EXPECT_THROW(arg_low_offset(6, true), InputError);
  EXPECT_THROW(arg_high_offset(100, false), InputError);
}

}  // namespace
}  // namespace seccage::bpf
