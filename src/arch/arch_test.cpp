#include "seccage/arch.hpp"

#include <sys/syscall.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "seccage/error.hpp"
#include "support/child.hpp"

namespace seccage {
namespace {

std::string resolve_error(Arch arch, std::string_view text) {
  try {
    resolve_syscall(arch, text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ArchTables, SortedWithoutDuplicateNumbersOrNames) {
  for (const ArchInfo& info : all_arches()) {
    auto table = syscall_table(info.arch);
    ASSERT_FALSE(table.empty()) << info.name;
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < table.size(); ++i) {
      if (i > 0) {
        EXPECT_LT(table[i - 1].nr, table[i].nr) << info.name << " at " << table[i].name;
      }
      EXPECT_TRUE(names.insert(table[i].name).second) << info.name << " lists " << table[i].name << " twice";
    }
  }
}

TEST(ArchTables, NumbersCarryTheArchOffset) {
  for (const ArchInfo& info : all_arches()) {
    for (const SyscallEntry& e : syscall_table(info.arch)) {
      if (info.arch == Arch::x32) {
        // Every x32 call, including the 512+ compat ones, has bit 30 set.
        EXPECT_EQ(e.nr & kX32SyscallBit, kX32SyscallBit) << e.name;
        EXPECT_LT(e.nr - kX32SyscallBit, 1000u) << e.name;
      } else if (info.nr_offset != 0) {
        // MIPS: each ABI owns a block of 1000 numbers above its base.
        EXPECT_GE(e.nr, info.nr_offset) << info.name << " " << e.name;
        EXPECT_LT(e.nr, info.nr_offset + 1000) << info.name << " " << e.name;
      } else {
        EXPECT_EQ(e.nr & kX32SyscallBit, 0u) << info.name << " " << e.name;
      }
    }
  }
}

TEST(ArchTables, MaxNrIsTheHighestEntry) {
  for (const ArchInfo& info : all_arches()) {
    std::uint32_t highest = 0;
    for (const SyscallEntry& e : syscall_table(info.arch)) highest = std::max(highest, e.nr);
    EXPECT_EQ(info.max_nr, highest) << info.name;
  }
}

TEST(ArchTables, KnownAnchors) {
  EXPECT_EQ(syscall_number(Arch::x86_64, "execve"), 59u);
  EXPECT_EQ(syscall_number(Arch::aarch64, "openat"), 56u);
  EXPECT_EQ(syscall_number(Arch::x32, "execve"), 0x40000000u + 520u);
  EXPECT_EQ(syscall_number(Arch::x32, "read"), 0x40000000u);
  EXPECT_EQ(syscall_number(Arch::i386, "socketcall"), 102u);
  EXPECT_EQ(syscall_number(Arch::i386, "ipc"), 117u);
  EXPECT_EQ(syscall_number(Arch::mips64el, "read"), 5000u);
  EXPECT_EQ(syscall_number(Arch::mips64, "read"), 5000u);
  EXPECT_EQ(syscall_number(Arch::mips, "read"), 4003u);
  EXPECT_EQ(syscall_number(Arch::mipsel64n32, "read"), 6000u);
  EXPECT_EQ(syscall_number(Arch::arm, "breakpoint"), 0xf0001u);
  EXPECT_EQ(syscall_number(Arch::arm, "set_tls"), 0xf0005u);
  EXPECT_EQ(syscall_number(Arch::riscv64, "riscv_flush_icache"), 259u);
  EXPECT_EQ(syscall_number(Arch::s390x, "read"), 3u);
  // Absent calls are absent, not zero.
  EXPECT_EQ(syscall_number(Arch::aarch64, "open"), std::nullopt);
  EXPECT_EQ(syscall_number(Arch::x86_64, "socketcall"), std::nullopt);
  EXPECT_EQ(syscall_name(Arch::x86_64, 59), "execve");
  EXPECT_EQ(syscall_name(Arch::x86_64, 0x40000000u + 59), std::nullopt);
  EXPECT_EQ(syscall_name(Arch::x32, 0x40000000u + 520), "execve");
}

// The host's own <sys/syscall.h> is an independent reference for the native
// arch: its __NR_ values come from the kernel headers of this machine.
TEST(ArchTables, NativeTableAgreesWithHostHeaders) {
  const Arch native = native_arch();
  int compared = 0;
#define SECCAGE_COMPARE(name)                                                      \
  do {                                                                             \
    EXPECT_EQ(syscall_number(native, #name), static_cast<std::uint32_t>(__NR_##name)) \
        << #name;                                                                  \
    ++compared;                                                                    \
  } while (0)
#ifdef __NR_read
  SECCAGE_COMPARE(read);
#endif
#ifdef __NR_write
  SECCAGE_COMPARE(write);
#endif
#ifdef __NR_open
  SECCAGE_COMPARE(open);
#endif
#ifdef __NR_openat
  SECCAGE_COMPARE(openat);
#endif
#ifdef __NR_close
  SECCAGE_COMPARE(close);
#endif
#ifdef __NR_execve
  SECCAGE_COMPARE(execve);
#endif
#ifdef __NR_execveat
  SECCAGE_COMPARE(execveat);
#endif
#ifdef __NR_exit_group
  SECCAGE_COMPARE(exit_group);
#endif
#ifdef __NR_mmap
  SECCAGE_COMPARE(mmap);
#endif
#ifdef __NR_clone
  SECCAGE_COMPARE(clone);
#endif
#ifdef __NR_clone3
  SECCAGE_COMPARE(clone3);
#endif
#ifdef __NR_futex
  SECCAGE_COMPARE(futex);
#endif
#ifdef __NR_ioctl
  SECCAGE_COMPARE(ioctl);
#endif
#ifdef __NR_socket
  SECCAGE_COMPARE(socket);
#endif
#ifdef __NR_seccomp
  SECCAGE_COMPARE(seccomp);
#endif
#ifdef __NR_rt_sigreturn
  SECCAGE_COMPARE(rt_sigreturn);
#endif
#ifdef __NR_pidfd_getfd
  SECCAGE_COMPARE(pidfd_getfd);
#endif
#ifdef __NR_set_mempolicy_home_node
  SECCAGE_COMPARE(set_mempolicy_home_node);
#endif
#undef SECCAGE_COMPARE
  EXPECT_GE(compared, 10);
}

TEST(ArchTables, LookupsRoundTrip) {
  for (const ArchInfo& info : all_arches()) {
    for (const SyscallEntry& e : syscall_table(info.arch)) {
      EXPECT_EQ(syscall_number(info.arch, e.name), e.nr) << info.name << " " << e.name;
      EXPECT_EQ(syscall_name(info.arch, e.nr), e.name) << info.name << " " << e.nr;
      EXPECT_EQ(resolve_syscall(info.arch, e.name), e.nr) << info.name << " " << e.name;
    }
  }
}

TEST(ArchTables, GeneratedFileIsUpToDate) {
  const std::string script = std::string(SECCAGE_SOURCE_DIR) + "/scripts/gen-syscalls.py";
  const std::string csv = std::string(SECCAGE_TEST_DATA_DIR) + "/data/syscalls.csv";
  if (!std::ifstream(csv)) GTEST_SKIP() << "no " << csv;
  if (std::system("python3 --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3";
  const test::CommandResult r = test::run_command({"/usr/bin/env", "python3", script, "--stdout", "--csv", csv});
  ASSERT_EQ(r.exit_code(), 0) << script << ": " << r.err;
  const std::string& generated = r.status.output;
  std::ifstream committed_file(std::string(SECCAGE_SOURCE_DIR) + "/src/arch/syscall_tables.inc");
  std::stringstream committed;
  committed << committed_file.rdbuf();
  EXPECT_TRUE(generated == committed.str())
      << "src/arch/syscall_tables.inc is stale: rerun scripts/gen-syscalls.py";
}

TEST(SyscallNames, UnionIsSortedUniqueAndComplete) {
  auto names = all_syscall_names();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
  std::set<std::string_view> expected;
  for (const ArchInfo& info : all_arches())
    for (const SyscallEntry& e : syscall_table(info.arch)) expected.insert(e.name);
  EXPECT_EQ(std::set<std::string_view>(names.begin(), names.end()), expected);
  // Arch-private calls are in the union although most arches lack them.
  EXPECT_TRUE(std::binary_search(names.begin(), names.end(), "breakpoint"));
  EXPECT_TRUE(std::binary_search(names.begin(), names.end(), "riscv_flush_icache"));
}

// AUDIT_ARCH values are facts of the kernel ABI (linux/audit.h).
TEST(ArchDescriptions, AuditArchValues) {
  struct Want {
    Arch arch;
    std::uint32_t audit;
  };
  const Want wants[] = {
      {Arch::x86_64, 0xc000003e},      {Arch::x32, 0xc000003e},         {Arch::i386, 0x40000003},
      {Arch::aarch64, 0xc00000b7},     {Arch::arm, 0x40000028},         {Arch::riscv64, 0xc00000f3},
      {Arch::ppc64le, 0xc0000015},     {Arch::ppc64, 0x80000015},       {Arch::ppc, 0x00000014},
      {Arch::s390x, 0x80000016},       {Arch::s390, 0x00000016},        {Arch::mips, 0x00000008},
      {Arch::mipsel, 0x40000008},      {Arch::mips64, 0x80000008},      {Arch::mips64el, 0xc0000008},
      {Arch::mips64n32, 0xa0000008},   {Arch::mipsel64n32, 0xe0000008}, {Arch::loongarch64, 0xc0000102},
      {Arch::parisc, 0x0000000f},      {Arch::parisc64, 0x8000000f},    {Arch::m68k, 0x00000004},
      {Arch::sh, 0x4000002a},          {Arch::sheb, 0x0000002a},
  };
  ASSERT_EQ(std::size(wants), all_arches().size());
  for (const Want& w : wants) EXPECT_EQ(arch_info(w.arch).audit_arch, w.audit) << arch_name(w.arch);
}

TEST(ArchDescriptions, FlagsAgreeWithAuditBits) {
  for (const ArchInfo& info : all_arches()) {
    EXPECT_EQ(info.little_endian, (info.audit_arch & 0x40000000u) != 0) << info.name;
    // x32 and n32 have 64-bit registers (so the audit bit) but 32-bit longs.
    const bool ilp32_on_64 = info.arch == Arch::x32 || info.arch == Arch::mips64n32 || info.arch == Arch::mipsel64n32;
    EXPECT_EQ(info.is_64bit, (info.audit_arch & 0x80000000u) != 0 && !ilp32_on_64) << info.name;
  }
}

TEST(ArchDescriptions, EnumOrderAndNames) {
  auto arches = all_arches();
  ASSERT_EQ(arches.size(), 23u);
  // No spelling may name two arches (an arch may reuse one, as arm does).
  std::map<std::string_view, Arch> owner;
  for (std::size_t i = 0; i < arches.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(arches[i].arch), i);
    EXPECT_EQ(&arch_info(arches[i].arch), &arches[i]);
    EXPECT_EQ(arch_name(arches[i].arch), arches[i].name);
    EXPECT_TRUE(arches[i].oci_name.starts_with("SCMP_ARCH_")) << arches[i].name;
    for (auto n : {arches[i].name, arches[i].go_name, arches[i].oci_name}) {
      if (n.empty()) continue;
      auto [it, fresh] = owner.emplace(n, arches[i].arch);
      EXPECT_TRUE(fresh || it->second == arches[i].arch) << n << " names two arches";
    }
  }
}

TEST(ArchDescriptions, SharedAuditArchIsOnlyX86_64AndX32) {
  EXPECT_TRUE(shares_audit_arch(Arch::x86_64, Arch::x32));
  EXPECT_TRUE(shares_audit_arch(Arch::x32, Arch::x86_64));
  EXPECT_FALSE(shares_audit_arch(Arch::x86_64, Arch::i386));
  for (const ArchInfo& a : all_arches())
    for (const ArchInfo& b : all_arches()) {
      if (a.arch == b.arch) continue;
      const bool x86_pair = (a.arch == Arch::x86_64 && b.arch == Arch::x32) ||
                            (a.arch == Arch::x32 && b.arch == Arch::x86_64);
      EXPECT_EQ(shares_audit_arch(a.arch, b.arch), x86_pair) << a.name << " / " << b.name;
    }
}

TEST(ArchDescriptions, NativeArchMatchesThisBinary) {
  const ArchInfo& native = arch_info(native_arch());
  EXPECT_EQ(native.is_64bit, sizeof(void*) == 8);
  EXPECT_EQ(native.little_endian, __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__);
#if defined(__x86_64__) && !defined(__ILP32__)
  EXPECT_EQ(native_arch(), Arch::x86_64);
#elif defined(__aarch64__)
  EXPECT_EQ(native_arch(), Arch::aarch64);
#endif
}

TEST(ArchParse, EveryCanonicalGoAndOciNameInAnyCase) {
  auto upper = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
  };
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  for (const ArchInfo& info : all_arches()) {
    for (auto n : {info.name, info.go_name, info.oci_name}) {
      if (n.empty()) continue;
      EXPECT_EQ(parse_arch(n), info.arch) << n;
      EXPECT_EQ(parse_arch(upper(n)), info.arch) << n;
      EXPECT_EQ(parse_arch(lower(n)), info.arch) << n;
      EXPECT_EQ(parse_arch_or_throw(n), info.arch) << n;
    }
  }
}

TEST(ArchParse, Aliases) {
  const std::pair<std::string_view, Arch> aliases[] = {
      {"amd64", Arch::x86_64},      {"x86-64", Arch::x86_64},       {"x64", Arch::x86_64},
      {"x86", Arch::i386},          {"386", Arch::i386},            {"i686", Arch::i386},
      {"i486", Arch::i386},         {"i586", Arch::i386},           {"ia32", Arch::i386},
      {"arm64", Arch::aarch64},     {"armhf", Arch::arm},           {"armel", Arch::arm},
      {"armv7l", Arch::arm},        {"ppc64el", Arch::ppc64le},     {"powerpc64le", Arch::ppc64le},
      {"powerpc64", Arch::ppc64},   {"powerpc", Arch::ppc},         {"mipsle", Arch::mipsel},
      {"mipsel64", Arch::mips64el}, {"mips64le", Arch::mips64el},   {"mips64p32", Arch::mips64n32},
      {"mips64p32le", Arch::mipsel64n32}, {"loong64", Arch::loongarch64}, {"hppa", Arch::parisc},
      {"hppa64", Arch::parisc64},   {"sh4", Arch::sh},              {"shel", Arch::sh},
      {"sh4eb", Arch::sheb},        {"SCMP_ARCH_X86", Arch::i386},  {"scmp_arch_mipsel64", Arch::mips64el},
      {"AMD64", Arch::x86_64},      {"Arm64", Arch::aarch64},
  };
  for (const auto& [spelling, arch] : aliases) EXPECT_EQ(parse_arch(spelling), arch) << spelling;
  EXPECT_EQ(parse_arch("native"), native_arch());
  EXPECT_EQ(parse_arch("SCMP_ARCH_NATIVE"), native_arch());
}

TEST(ArchParse, RejectsUnknown) {
  for (std::string_view bad : {"", "x86_65", "sparc64", "SCMP_ARCH_", "amd 64", " x86_64", "arm64 "}) {
    EXPECT_EQ(parse_arch(bad), std::nullopt) << "'" << bad << "'";
    EXPECT_THROW(parse_arch_or_throw(bad), InputError) << "'" << bad << "'";
  }
  try {
    parse_arch_or_throw("aarch46");
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_TRUE(msg.starts_with("unknown architecture 'aarch46' (did you mean 'aarch64'?)")) << msg;
    EXPECT_NE(msg.find("x86_64, x32, i386"), std::string::npos) << msg;
  }
}

TEST(SyscallResolve, NumbersAreTakenAsIs) {
  EXPECT_EQ(resolve_syscall(Arch::x86_64, "59"), 59u);
  EXPECT_EQ(resolve_syscall(Arch::x86_64, "0x3b"), 59u);
  EXPECT_EQ(resolve_syscall(Arch::x86_64, "0X3B"), 59u);
  EXPECT_EQ(resolve_syscall(Arch::x86_64, "0"), 0u);
  // Numbers need not be in the table: filters may name unassigned ones.
  EXPECT_EQ(resolve_syscall(Arch::x86_64, "9999"), 9999u);
  EXPECT_EQ(resolve_syscall(Arch::x32, "0x40000208"), 0x40000208u);
  EXPECT_EQ(resolve_syscall(Arch::x86_64, "4294967295"), 0xffffffffu);
  EXPECT_EQ(resolve_syscall(Arch::x86_64, "0xffffffff"), 0xffffffffu);
}

TEST(SyscallResolve, BadNumbers) {
  EXPECT_EQ(resolve_error(Arch::x86_64, "4294967296"), "syscall number '4294967296' on x86_64 does not fit in 32 bits");
  EXPECT_EQ(resolve_error(Arch::x86_64, "0x100000000"), "syscall number '0x100000000' on x86_64 does not fit in 32 bits");
  EXPECT_EQ(resolve_error(Arch::x86_64, "99999999999999999999999"),
            "syscall number '99999999999999999999999' on x86_64 does not fit in 32 bits");
  EXPECT_EQ(resolve_error(Arch::x86_64, "12abc"),
            "'12abc' on x86_64 is neither a syscall name nor a number (decimal, 0x hex, 0b binary or octal)");
  EXPECT_EQ(resolve_error(Arch::x86_64, "0x"),
            "'0x' on x86_64 is neither a syscall name nor a number (decimal, 0x hex, 0b binary or octal)");
  EXPECT_EQ(resolve_error(Arch::x86_64, ""), "empty syscall name on x86_64");
}

TEST(SyscallResolve, UnknownNamesSuggest) {
  EXPECT_EQ(resolve_error(Arch::x86_64, "opnat"), "unknown syscall 'opnat' on x86_64 (did you mean 'openat'?)");
  EXPECT_EQ(resolve_error(Arch::aarch64, "execev"), "unknown syscall 'execev' on aarch64 (did you mean 'execve'?)");
  EXPECT_EQ(resolve_error(Arch::x86_64, "xyzzyplugh"), "unknown syscall 'xyzzyplugh' on x86_64");
  // Suggestions come from the arch's own table: aarch64 has no "open".
  EXPECT_EQ(resolve_error(Arch::aarch64, "opne"), "unknown syscall 'opne' on aarch64");
}

TEST(SyscallResolve, NamesOfOtherArchesSaySo) {
  EXPECT_EQ(resolve_error(Arch::x86_64, "breakpoint"), "syscall 'breakpoint' does not exist on x86_64 (it exists on arm)");
  EXPECT_EQ(resolve_error(Arch::x86_64, "socketcall"),
            "syscall 'socketcall' does not exist on x86_64 (it exists on i386, ppc64le, ppc64, ppc, s390x, s390, mips, "
            "mipsel and 3 more)");
  const std::string open_msg = resolve_error(Arch::aarch64, "open");
  EXPECT_TRUE(open_msg.starts_with("syscall 'open' does not exist on aarch64 (it exists on x86_64, x32, i386, arm, "))
      << open_msg;
}

TEST(SyscallMultiplexed, SubCallsAndLookup) {
  auto calls = multiplexed_calls();
  EXPECT_EQ(calls.size(), 32u);
  std::set<std::string_view> names;
  std::set<std::pair<std::string_view, std::uint32_t>> slots;
  for (const MultiplexedCall& c : calls) {
    EXPECT_TRUE(c.via == "socketcall" || c.via == "ipc") << c.name;
    EXPECT_TRUE(names.insert(c.name).second) << c.name;
    EXPECT_TRUE(slots.insert({c.via, c.call}).second) << c.name;
    // Each sub-call is a real syscall somewhere (directly wired on most arches).
    auto all = all_syscall_names();
    EXPECT_TRUE(std::binary_search(all.begin(), all.end(), c.name)) << c.name;
    auto found = multiplexed_call(c.name);
    ASSERT_TRUE(found.has_value()) << c.name;
    EXPECT_EQ(found->call, c.call);
    const std::uint32_t id = find_syscall_name_id(c.name);
    ASSERT_NE(id, kNoSyscall) << c.name;
    auto by_id = multiplexed_call_by_id(id);
    ASSERT_TRUE(by_id.has_value()) << c.name;
    EXPECT_EQ(by_id->name, c.name);
  }
  EXPECT_EQ(multiplexed_call_by_id(find_syscall_name_id("openat")), std::nullopt);
  EXPECT_EQ(multiplexed_call("socket")->call, 1u);
  EXPECT_EQ(multiplexed_call("socket")->via, "socketcall");
  EXPECT_EQ(multiplexed_call("sendmmsg")->call, 20u);
  EXPECT_EQ(multiplexed_call("semop")->via, "ipc");
  EXPECT_EQ(multiplexed_call("semtimedop")->call, 4u);
  EXPECT_EQ(multiplexed_call("shmctl")->call, 24u);
  EXPECT_EQ(multiplexed_call("openat"), std::nullopt);
  // The multiplexers themselves exist where the docs say they do.
  EXPECT_TRUE(syscall_number(Arch::i386, "socketcall").has_value());
  EXPECT_TRUE(syscall_number(Arch::s390x, "ipc").has_value());
  EXPECT_FALSE(syscall_number(Arch::x86_64, "ipc").has_value());
  EXPECT_FALSE(syscall_number(Arch::aarch64, "socketcall").has_value());
}

// The name-id index agrees with the tables for every name of every arch.
TEST(SyscallNameIds, AgreeWithTables) {
  const auto names = all_syscall_names();
  for (std::size_t id = 0; id < names.size(); ++id) {
    ASSERT_EQ(find_syscall_name_id(names[id]), id) << names[id];
  }
  EXPECT_EQ(find_syscall_name_id("no_such_syscall"), kNoSyscall);
  EXPECT_EQ(find_syscall_name_id(""), kNoSyscall);
  EXPECT_EQ(find_syscall_name_id("read "), kNoSyscall);
  for (const ArchInfo& info : all_arches()) {
    const auto numbers = syscall_numbers_by_id(info.arch);
    ASSERT_EQ(numbers.size(), names.size());
    std::size_t listed = 0;
    for (std::size_t id = 0; id < names.size(); ++id) {
      const auto nr = syscall_number(info.arch, names[id]);
      EXPECT_EQ(numbers[id] == kNoSyscall ? std::nullopt : std::optional<std::uint32_t>(numbers[id]), nr) << names[id];
      if (nr) ++listed;
    }
    EXPECT_EQ(listed, syscall_table(info.arch).size()) << info.name;
  }
}

TEST(ArchOfCall, TheX32BitPicksTheAbiOnAuditArchX8664) {
  const std::uint32_t x86 = arch_info(Arch::x86_64).audit_arch;
  EXPECT_EQ(arch_of_call(x86, 16), Arch::x86_64);
  EXPECT_EQ(arch_of_call(x86, kX32SyscallBit | 16), Arch::x32);
  EXPECT_EQ(arch_of_call(x86, kNoSyscallNr), Arch::x86_64);
  EXPECT_TRUE(arch_owns_number(Arch::x32, kNoSyscallNr));  // a rule on -1 applies on either
  EXPECT_FALSE(arch_owns_number(Arch::x86_64, kX32SyscallBit));
  EXPECT_FALSE(arch_owns_number(Arch::x32, 16));
  EXPECT_EQ(arch_of_call(arch_info(Arch::i386).audit_arch, 54), Arch::i386);
  EXPECT_EQ(arch_of_call(arch_info(Arch::aarch64).audit_arch, 29), Arch::aarch64);
  EXPECT_EQ(arch_of_call(0x1234, 1), std::nullopt);
}

}  // namespace
}  // namespace seccage

namespace seccage {
namespace {

TEST(ScmpArchNames, EveryArchReadsBackExactly) {
  for (const ArchInfo& info : all_arches()) {
    EXPECT_EQ(scmp_arch_name(info.arch), info.oci_name);
    EXPECT_EQ(arch_from_scmp_name(info.oci_name), info.arch) << info.oci_name;
  }
  EXPECT_EQ(scmp_arch_name(Arch::i386), "SCMP_ARCH_X86");
  EXPECT_FALSE(arch_from_scmp_name(kScmpArchNative));
  EXPECT_FALSE(arch_from_scmp_name("scmp_arch_x86_64"));
  EXPECT_FALSE(arch_from_scmp_name("x86_64"));
}

}  // namespace
}  // namespace seccage
