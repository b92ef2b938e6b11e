#include <gtest/gtest.h>

#include <set>
#include <string>

#include "policy/arg_types.hpp"
#include "seccage/arch.hpp"
#include "seccage/policy.hpp"

namespace seccage {
namespace {

TEST(ArgTypes, TableIsSortedUniqueAndNamesRealSyscalls) {
  const auto table = detail::arg_types_table();
  ASSERT_FALSE(table.empty());
  for (std::size_t i = 1; i < table.size(); ++i)
    EXPECT_LT(table[i - 1].name, table[i].name) << "arg_types.cpp must stay sorted (lookup is a binary search)";
  for (const auto& t : table) {
    EXPECT_LE(t.args.size(), 6u) << t.name;
    EXPECT_EQ(t.args.find_first_not_of("iu."), std::string_view::npos) << t.name;
    EXPECT_NE(t.args.back(), '.') << t.name << ": trailing '.' is the default, drop it";
    bool somewhere = false;
    for (const ArchInfo& a : all_arches()) somewhere = somewhere || syscall_number(a.arch, t.name).has_value();
    EXPECT_TRUE(somewhere) << t.name << " is no syscall of any arch";
  }
}

TEST(ArgTypes, KernelSignatures) {
  // fds as the kernel declares them: unsigned int for read/write/close/dup,
  // int for sockets and *at() directory fds.
  EXPECT_EQ(syscall_arg_width("write", 0), ArgWidth::U32);
  EXPECT_EQ(syscall_arg_width("write", 1), ArgWidth::U64);  // buffer
  EXPECT_EQ(syscall_arg_width("write", 2), ArgWidth::U64);  // size_t
  EXPECT_EQ(syscall_arg_width("close", 0), ArgWidth::U32);
  EXPECT_EQ(syscall_arg_width("dup3", 2), ArgWidth::S32);
  EXPECT_EQ(syscall_arg_width("openat", 0), ArgWidth::S32);
  EXPECT_EQ(syscall_arg_width("openat", 2), ArgWidth::S32);  // flags
  EXPECT_EQ(syscall_arg_width("openat", 3), ArgWidth::U32);  // umode_t
  EXPECT_EQ(syscall_arg_width("ioctl", 0), ArgWidth::U32);
  EXPECT_EQ(syscall_arg_width("ioctl", 1), ArgWidth::U32);   // request: unsigned int
  EXPECT_EQ(syscall_arg_width("ioctl", 2), ArgWidth::U64);
  EXPECT_EQ(syscall_arg_width("socket", 0), ArgWidth::S32);
  EXPECT_EQ(syscall_arg_width("kill", 1), ArgWidth::S32);
  EXPECT_EQ(syscall_arg_width("tgkill", 2), ArgWidth::S32);
  EXPECT_EQ(syscall_arg_width("setuid", 0), ArgWidth::U32);
  EXPECT_EQ(syscall_arg_width("personality", 0), ArgWidth::U32);
  EXPECT_EQ(syscall_arg_width("prctl", 0), ArgWidth::S32);
  EXPECT_EQ(syscall_arg_width("prctl", 1), ArgWidth::U64);
  EXPECT_EQ(syscall_arg_width("renameat2", 4), ArgWidth::U32);
  EXPECT_EQ(syscall_arg_width("execveat", 4), ArgWidth::S32);
  EXPECT_EQ(syscall_arg_width("unlinkat", 2), ArgWidth::S32);
  // Unsigned long in the kernel: all 64 bits count.
  EXPECT_EQ(syscall_arg_width("mmap", 2), ArgWidth::U64);  // prot
  EXPECT_EQ(syscall_arg_width("mmap", 3), ArgWidth::U64);  // flags
  EXPECT_EQ(syscall_arg_width("mprotect", 2), ArgWidth::U64);
  EXPECT_EQ(syscall_arg_width("ptrace", 0), ArgWidth::U64);
  EXPECT_EQ(syscall_arg_width("unshare", 0), ArgWidth::U64);
  // Declared wider but truncated on use (see arg_types.cpp).
  EXPECT_EQ(syscall_arg_width("clone", 0), ArgWidth::U32);
  EXPECT_EQ(syscall_arg_width("readv", 0), ArgWidth::U32);
  EXPECT_EQ(syscall_arg_width("mmap", 4), ArgWidth::U32);
  // Not listed: 64 bits.
  EXPECT_EQ(syscall_arg_width("getpid", 0), ArgWidth::U64);
  EXPECT_EQ(syscall_arg_width("no_such_call", 0), ArgWidth::U64);
  EXPECT_EQ(syscall_arg_width("write", 9), ArgWidth::U64);
}

TEST(ArgTypes, ApplyKernelWidthsOnlyTouchesRulesByNameAndU64Conditions) {
  Rule r{std::string("write"), Action::errno_(1), {arg(0) == 2, arg(2) > 10}, {}};
  apply_kernel_widths(r);
  EXPECT_EQ(r.conditions[0].width, ArgWidth::U32);
  EXPECT_EQ(r.conditions[1].width, ArgWidth::U64);
  Rule by_number{std::uint32_t{1}, Action::errno_(1), {arg(0) == 2}, {}};
  apply_kernel_widths(by_number);
  EXPECT_EQ(by_number.conditions[0].width, ArgWidth::U64);
  Rule explicit_width{std::string("kill"), Action::errno_(1), {Condition{1, CmpOp::EQ, 9, 0, ArgWidth::U32}}, {}};
  apply_kernel_widths(explicit_width);
  EXPECT_EQ(explicit_width.conditions[0].width, ArgWidth::U32);
}

}  // namespace
}  // namespace seccage
