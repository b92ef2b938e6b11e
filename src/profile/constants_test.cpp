#include "profile/constants.hpp"

#include <gtest/gtest.h>

#include "seccage/error.hpp"

namespace seccage::text_detail {
namespace {

std::uint64_t on(std::string_view name, Arch a) {
  ConstantValue v = lookup_constant(name, a);
  EXPECT_EQ(v.status, ConstantLookup::Found) << name << " on " << arch_name(a);
  return v.value;
}

TEST(Constants, ValuesFromTheUapiHeaders) {
  EXPECT_EQ(on("AF_INET", Arch::x86_64), 2u);
  EXPECT_EQ(on("AF_INET6", Arch::mips), 10u);
  EXPECT_EQ(on("AF_NETLINK", Arch::aarch64), 16u);
  EXPECT_EQ(on("SOCK_STREAM", Arch::x86_64), 1u);
  EXPECT_EQ(on("SOCK_STREAM", Arch::mipsel), 2u);  // MIPS swaps STREAM and DGRAM
  EXPECT_EQ(on("SOCK_CLOEXEC", Arch::x86_64), 02000000u);
  EXPECT_EQ(on("O_CREAT", Arch::x86_64), 0100u);
  EXPECT_EQ(on("O_CREAT", Arch::mips64), 0x100u);
  EXPECT_EQ(on("O_DIRECTORY", Arch::x86_64), 0200000u);
  EXPECT_EQ(on("O_DIRECTORY", Arch::aarch64), 040000u);
  EXPECT_EQ(on("O_DIRECTORY", Arch::riscv64), 0200000u);
  EXPECT_EQ(on("O_LARGEFILE", Arch::ppc64le), 0200000u);
  EXPECT_EQ(on("O_TMPFILE", Arch::arm), 020040000u);
  EXPECT_EQ(on("PROT_EXEC", Arch::s390x), 4u);
  EXPECT_EQ(on("MAP_ANONYMOUS", Arch::x86_64), 0x20u);
  EXPECT_EQ(on("MAP_ANONYMOUS", Arch::mips), 0x800u);
  EXPECT_EQ(on("MAP_NORESERVE", Arch::ppc64), 0x40u);
  EXPECT_EQ(on("CLONE_NEWUSER", Arch::i386), 0x10000000u);
  EXPECT_EQ(on("PR_SET_NO_NEW_PRIVS", Arch::x86_64), 38u);
  EXPECT_EQ(on("TIOCSTI", Arch::x86_64), 0x5412u);
  EXPECT_EQ(on("F_GETFL", Arch::x86_64), 3u);
  EXPECT_EQ(on("F_GETLK", Arch::mips), 14u);
  EXPECT_EQ(on("AT_FDCWD", Arch::x86_64), ~std::uint64_t{99});
  EXPECT_EQ(on("EPERM", Arch::x86_64), 1u);  // errno names through action.hpp
}

TEST(Constants, ArchesWithoutAKnownValueSaySo) {
  EXPECT_EQ(lookup_constant("TCGETS", Arch::ppc64le).status, ConstantLookup::NoValueForArch);
  EXPECT_EQ(lookup_constant("TCGETS", Arch::sh).status, ConstantLookup::NoValueForArch);
  EXPECT_EQ(lookup_constant("O_CREAT", Arch::parisc).status, ConstantLookup::NoValueForArch);
  EXPECT_EQ(lookup_constant("NOT_A_CONSTANT", Arch::x86_64).status, ConstantLookup::UnknownName);
}

TEST(Constants, ResolveAcrossArches) {
  const Arch same[] = {Arch::x86_64, Arch::i386, Arch::aarch64};
  EXPECT_EQ(resolve_constant("AF_INET6", same), 10u);
  try {
    resolve_constant("O_DIRECTORY", same);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "O_DIRECTORY is 0x10000 on x86_64 but 0x4000 on aarch64; write per-arch sections or a number");
  }
  try {
    resolve_constant("PROT_EXCE", same);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "unknown constant 'PROT_EXCE' (did you mean 'PROT_EXEC'?)");
  }
}

}  // namespace
}  // namespace seccage::text_detail
