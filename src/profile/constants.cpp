// The constant table. See constants.hpp for the arch families and sources.
#include "profile/constants.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "seccage/action.hpp"
#include "seccage/error.hpp"
#include "util/did_you_mean.hpp"

namespace seccage::text_detail {
namespace {

// Arch families, as bits so one row can cover several.
enum : std::uint8_t {
  kGeneric = 1,
  kArm = 2,
  kPpc = 4,
  kMips = 8,
  kParisc = 16,
  kAll = 31,
  kNotMips = kAll & ~kMips,
};

struct Row {
  std::string_view name;
  std::uint8_t families;  // the families this value holds for
  std::uint64_t value;
};

std::uint8_t family_of(Arch a) {
  switch (a) {
    case Arch::aarch64:
    case Arch::arm:
    case Arch::m68k:
      return kArm;
    case Arch::ppc64le:
    case Arch::ppc64:
    case Arch::ppc:
      return kPpc;
    case Arch::mips:
    case Arch::mipsel:
    case Arch::mips64:
    case Arch::mips64el:
    case Arch::mips64n32:
    case Arch::mipsel64n32:
      return kMips;
    case Arch::parisc:
    case Arch::parisc64:
      return kParisc;
    default:
      return kGeneric;
  }
}

constexpr std::uint64_t kNeg100 = ~std::uint64_t{99};  // AT_FDCWD (-100) as a 64-bit value

// A name with no row for an arch's family has no known value there.
constexpr Row kRows[] = {
    // Address families (linux/socket.h): the same everywhere.
    {"AF_UNSPEC", kAll, 0}, {"AF_UNIX", kAll, 1}, {"AF_LOCAL", kAll, 1}, {"AF_INET", kAll, 2},
    {"AF_AX25", kAll, 3}, {"AF_IPX", kAll, 4}, {"AF_APPLETALK", kAll, 5}, {"AF_NETROM", kAll, 6},
    {"AF_BRIDGE", kAll, 7}, {"AF_X25", kAll, 9}, {"AF_INET6", kAll, 10}, {"AF_KEY", kAll, 15},
    {"AF_NETLINK", kAll, 16}, {"AF_PACKET", kAll, 17}, {"AF_RDS", kAll, 21}, {"AF_PPPOX", kAll, 24},
    {"AF_LLC", kAll, 26}, {"AF_IB", kAll, 27}, {"AF_MPLS", kAll, 28}, {"AF_CAN", kAll, 29},
    {"AF_TIPC", kAll, 30}, {"AF_BLUETOOTH", kAll, 31}, {"AF_ALG", kAll, 38}, {"AF_NFC", kAll, 39},
    {"AF_VSOCK", kAll, 40}, {"AF_KCM", kAll, 41}, {"AF_QIPCRTR", kAll, 42}, {"AF_SMC", kAll, 43},
    {"AF_XDP", kAll, 44},
    // Socket types (asm-generic/socket.h; MIPS swaps STREAM and DGRAM).
    {"SOCK_STREAM", kNotMips, 1}, {"SOCK_STREAM", kMips, 2},
    {"SOCK_DGRAM", kNotMips, 2}, {"SOCK_DGRAM", kMips, 1},
    {"SOCK_RAW", kAll, 3}, {"SOCK_RDM", kAll, 4}, {"SOCK_SEQPACKET", kAll, 5},
    {"SOCK_DCCP", kAll, 6}, {"SOCK_PACKET", kAll, 10},
    {"SOCK_NONBLOCK", kGeneric | kArm | kPpc, 04000}, {"SOCK_NONBLOCK", kMips, 0x80},
    {"SOCK_NONBLOCK", kParisc, 0x40000000},
    {"SOCK_CLOEXEC", kGeneric | kArm | kPpc, 02000000}, {"SOCK_CLOEXEC", kMips, 0x80000},
    {"SOCK_CLOEXEC", kParisc, 010000000},
    // open(2) flags (asm-generic/fcntl.h and the arch overrides).
    {"O_RDONLY", kAll, 0}, {"O_WRONLY", kAll, 1}, {"O_RDWR", kAll, 2}, {"O_ACCMODE", kAll, 3},
    {"O_CREAT", kGeneric | kArm | kPpc, 0100}, {"O_CREAT", kMips, 0x100},
    {"O_EXCL", kGeneric | kArm | kPpc, 0200}, {"O_EXCL", kMips, 0x400},
    {"O_NOCTTY", kGeneric | kArm | kPpc, 0400}, {"O_NOCTTY", kMips, 0x800},
    {"O_TRUNC", kGeneric | kArm | kPpc, 01000}, {"O_TRUNC", kMips, 0x200},
    {"O_APPEND", kGeneric | kArm | kPpc, 02000}, {"O_APPEND", kMips, 0x8},
    {"O_NONBLOCK", kGeneric | kArm | kPpc, 04000}, {"O_NONBLOCK", kMips, 0x80},
    {"O_DSYNC", kGeneric | kArm | kPpc, 010000}, {"O_DSYNC", kMips, 0x10},
    {"O_DIRECT", kGeneric, 040000}, {"O_DIRECT", kArm, 0200000}, {"O_DIRECT", kPpc, 0400000},
    {"O_DIRECT", kMips, 0x8000},
    {"O_LARGEFILE", kGeneric, 0100000}, {"O_LARGEFILE", kArm, 0400000}, {"O_LARGEFILE", kPpc, 0200000},
    {"O_LARGEFILE", kMips, 0x2000},
    {"O_DIRECTORY", kGeneric | kMips, 0200000}, {"O_DIRECTORY", kArm | kPpc, 040000},
    {"O_NOFOLLOW", kGeneric | kMips, 0400000}, {"O_NOFOLLOW", kArm | kPpc, 0100000},
    {"O_NOATIME", kGeneric | kArm | kPpc | kMips, 01000000},
    {"O_CLOEXEC", kGeneric | kArm | kPpc | kMips, 02000000},
    {"O_SYNC", kGeneric | kArm | kPpc, 04010000}, {"O_SYNC", kMips, 0x4010},
    {"O_PATH", kGeneric | kArm | kPpc | kMips, 010000000},
    {"O_TMPFILE", kGeneric | kMips, 020200000}, {"O_TMPFILE", kArm | kPpc, 020040000},
    // mmap/mprotect protections (asm-generic/mman-common.h).
    {"PROT_NONE", kAll, 0}, {"PROT_READ", kAll, 1}, {"PROT_WRITE", kAll, 2}, {"PROT_EXEC", kAll, 4},
    {"PROT_GROWSDOWN", kAll, 0x01000000}, {"PROT_GROWSUP", kAll, 0x02000000},
    // mmap flags.
    {"MAP_SHARED", kAll, 1}, {"MAP_PRIVATE", kAll, 2}, {"MAP_SHARED_VALIDATE", kGeneric | kArm | kPpc | kMips, 3},
    {"MAP_FIXED", kGeneric | kArm | kPpc | kMips, 0x10},
    {"MAP_ANONYMOUS", kGeneric | kArm | kPpc, 0x20}, {"MAP_ANONYMOUS", kMips, 0x800},
    {"MAP_ANON", kGeneric | kArm | kPpc, 0x20}, {"MAP_ANON", kMips, 0x800},
    {"MAP_GROWSDOWN", kGeneric | kArm | kPpc, 0x100}, {"MAP_GROWSDOWN", kMips, 0x1000},
    {"MAP_DENYWRITE", kGeneric | kArm | kPpc, 0x800}, {"MAP_DENYWRITE", kMips, 0x2000},
    {"MAP_EXECUTABLE", kGeneric | kArm | kPpc, 0x1000}, {"MAP_EXECUTABLE", kMips, 0x4000},
    {"MAP_LOCKED", kGeneric | kArm, 0x2000}, {"MAP_LOCKED", kPpc, 0x80}, {"MAP_LOCKED", kMips, 0x8000},
    {"MAP_NORESERVE", kGeneric | kArm, 0x4000}, {"MAP_NORESERVE", kPpc, 0x40}, {"MAP_NORESERVE", kMips, 0x400},
    {"MAP_POPULATE", kGeneric | kArm | kPpc, 0x8000}, {"MAP_POPULATE", kMips, 0x10000},
    {"MAP_NONBLOCK", kGeneric | kArm | kPpc, 0x10000}, {"MAP_NONBLOCK", kMips, 0x20000},
    {"MAP_STACK", kGeneric | kArm | kPpc, 0x20000}, {"MAP_STACK", kMips, 0x40000},
    {"MAP_HUGETLB", kGeneric | kArm | kPpc, 0x40000}, {"MAP_HUGETLB", kMips, 0x80000},
    {"MAP_SYNC", kGeneric | kArm | kPpc, 0x80000},
    {"MAP_FIXED_NOREPLACE", kGeneric | kArm | kPpc, 0x100000},
    // clone flags (linux/sched.h): the same everywhere.
    {"CSIGNAL", kAll, 0xff}, {"CLONE_NEWTIME", kAll, 0x80}, {"CLONE_VM", kAll, 0x100},
    {"CLONE_FS", kAll, 0x200}, {"CLONE_FILES", kAll, 0x400}, {"CLONE_SIGHAND", kAll, 0x800},
    {"CLONE_PIDFD", kAll, 0x1000}, {"CLONE_PTRACE", kAll, 0x2000}, {"CLONE_VFORK", kAll, 0x4000},
    {"CLONE_PARENT", kAll, 0x8000}, {"CLONE_THREAD", kAll, 0x10000}, {"CLONE_NEWNS", kAll, 0x20000},
    {"CLONE_SYSVSEM", kAll, 0x40000}, {"CLONE_SETTLS", kAll, 0x80000}, {"CLONE_PARENT_SETTID", kAll, 0x100000},
    {"CLONE_CHILD_CLEARTID", kAll, 0x200000}, {"CLONE_DETACHED", kAll, 0x400000},
    {"CLONE_UNTRACED", kAll, 0x800000}, {"CLONE_CHILD_SETTID", kAll, 0x1000000},
    {"CLONE_NEWCGROUP", kAll, 0x2000000}, {"CLONE_NEWUTS", kAll, 0x4000000}, {"CLONE_NEWIPC", kAll, 0x8000000},
    {"CLONE_NEWUSER", kAll, 0x10000000}, {"CLONE_NEWPID", kAll, 0x20000000}, {"CLONE_NEWNET", kAll, 0x40000000},
    {"CLONE_IO", kAll, 0x80000000},
    // prctl options (linux/prctl.h): the same everywhere.
    {"PR_SET_PDEATHSIG", kAll, 1}, {"PR_GET_PDEATHSIG", kAll, 2}, {"PR_GET_DUMPABLE", kAll, 3},
    {"PR_SET_DUMPABLE", kAll, 4}, {"PR_GET_KEEPCAPS", kAll, 7}, {"PR_SET_KEEPCAPS", kAll, 8},
    {"PR_SET_NAME", kAll, 15}, {"PR_GET_NAME", kAll, 16}, {"PR_GET_SECCOMP", kAll, 21},
    {"PR_SET_SECCOMP", kAll, 22}, {"PR_CAPBSET_READ", kAll, 23}, {"PR_CAPBSET_DROP", kAll, 24},
    {"PR_GET_SECUREBITS", kAll, 27}, {"PR_SET_SECUREBITS", kAll, 28}, {"PR_SET_TIMERSLACK", kAll, 29},
    {"PR_GET_TIMERSLACK", kAll, 30}, {"PR_SET_MM", kAll, 35}, {"PR_SET_CHILD_SUBREAPER", kAll, 36},
    {"PR_GET_CHILD_SUBREAPER", kAll, 37}, {"PR_SET_NO_NEW_PRIVS", kAll, 38}, {"PR_GET_NO_NEW_PRIVS", kAll, 39},
    {"PR_GET_TID_ADDRESS", kAll, 40}, {"PR_SET_THP_DISABLE", kAll, 41}, {"PR_GET_THP_DISABLE", kAll, 42},
    {"PR_CAP_AMBIENT", kAll, 47}, {"PR_GET_SPECULATION_CTRL", kAll, 52}, {"PR_SET_SPECULATION_CTRL", kAll, 53},
    {"PR_SET_PTRACER", kAll, 0x59616d61}, {"PR_SET_VMA", kAll, 0x53564d41},
    // *at() directory fd and flags (linux/fcntl.h): the same everywhere.
    {"AT_FDCWD", kAll, kNeg100}, {"AT_SYMLINK_NOFOLLOW", kAll, 0x100}, {"AT_REMOVEDIR", kAll, 0x200},
    {"AT_SYMLINK_FOLLOW", kAll, 0x400}, {"AT_EMPTY_PATH", kAll, 0x1000},
    // fcntl commands (asm-generic/fcntl.h, linux/fcntl.h; MIPS differs for locks and owners).
    {"F_DUPFD", kAll, 0}, {"F_GETFD", kAll, 1}, {"F_SETFD", kAll, 2}, {"F_GETFL", kAll, 3}, {"F_SETFL", kAll, 4},
    {"F_GETLK", kGeneric | kArm | kPpc, 5}, {"F_GETLK", kMips, 14},
    {"F_SETLK", kGeneric | kArm | kPpc | kMips, 6}, {"F_SETLKW", kGeneric | kArm | kPpc | kMips, 7},
    {"F_SETOWN", kGeneric | kArm | kPpc, 8}, {"F_SETOWN", kMips, 24},
    {"F_GETOWN", kGeneric | kArm | kPpc, 9}, {"F_GETOWN", kMips, 23},
    {"F_OFD_GETLK", kAll, 36}, {"F_OFD_SETLK", kAll, 37}, {"F_OFD_SETLKW", kAll, 38},
    {"F_DUPFD_CLOEXEC", kAll, 1030}, {"F_SETPIPE_SZ", kAll, 1031}, {"F_GETPIPE_SZ", kAll, 1032},
    {"F_ADD_SEALS", kAll, 1033}, {"F_GET_SEALS", kAll, 1034}, {"FD_CLOEXEC", kAll, 1},
    // tty and file ioctls (asm-generic/ioctls.h); ppc, mips, parisc and sh
    // define their own and are left out on purpose.
    {"TCGETS", kGeneric | kArm, 0x5401}, {"TCSETS", kGeneric | kArm, 0x5402},
    {"TCSETSW", kGeneric | kArm, 0x5403}, {"TCSETSF", kGeneric | kArm, 0x5404},
    {"TIOCSCTTY", kGeneric | kArm, 0x540E}, {"TIOCGPGRP", kGeneric | kArm, 0x540F},
    {"TIOCSPGRP", kGeneric | kArm, 0x5410}, {"TIOCSTI", kGeneric | kArm, 0x5412},
    {"TIOCGWINSZ", kGeneric | kArm, 0x5413}, {"TIOCSWINSZ", kGeneric | kArm, 0x5414},
    {"FIONREAD", kGeneric | kArm, 0x541B}, {"TIOCLINUX", kGeneric | kArm, 0x541C},
    {"FIONBIO", kGeneric | kArm, 0x5421}, {"TIOCNOTTY", kGeneric | kArm, 0x5422},
    {"FIONCLEX", kGeneric | kArm, 0x5450}, {"FIOCLEX", kGeneric | kArm, 0x5451},
    {"FIOASYNC", kGeneric | kArm, 0x5452}, {"TIOCGPTN", kGeneric | kArm, 0x80045430},
    {"TIOCSPTLCK", kGeneric | kArm, 0x40045431},
    // access(2) modes.
    {"F_OK", kAll, 0}, {"X_OK", kAll, 1}, {"W_OK", kAll, 2}, {"R_OK", kAll, 4},
};

// sh and sheb use the generic fcntl/mman/socket values but their own ioctls.
bool sh_without_value(Arch a, std::string_view name) {
  if (a != Arch::sh && a != Arch::sheb) return false;
  return name.starts_with("TC") || name.starts_with("TIOC") || name.starts_with("FIO");
}

}  // namespace

ConstantValue lookup_constant(std::string_view name, Arch arch) {
  bool known = false;
  const std::uint8_t fam = family_of(arch);
  for (const Row& r : kRows) {
    if (r.name != name) continue;
    known = true;
    if ((r.families & fam) && !sh_without_value(arch, name)) return {ConstantLookup::Found, r.value};
  }
  if (known) return {ConstantLookup::NoValueForArch, 0};
  if (auto e = errno_from_name(name)) return {ConstantLookup::Found, static_cast<std::uint64_t>(*e)};
  return {ConstantLookup::UnknownName, 0};
}

std::span<const std::string_view> constant_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const Row& r : kRows) v.push_back(r.name);
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  }();
  return names;
}

std::uint64_t resolve_constant(std::string_view name, std::span<const Arch> arches) {
  std::optional<std::uint64_t> agreed;
  Arch first{};
  for (Arch a : arches) {
    ConstantValue v = lookup_constant(name, a);
    if (v.status == ConstantLookup::UnknownName) {
      std::string msg = fmt::format("unknown constant '{}'", name);
      if (auto s = did_you_mean(name, constant_names())) msg += fmt::format(" (did you mean '{}'?)", *s);
      throw InputError(msg);
    }
    if (v.status == ConstantLookup::NoValueForArch)
      throw InputError(fmt::format("seccage does not know the value of {} on {}; write the number", name,
                                   arch_name(a)));
    if (agreed && *agreed != v.value)
      throw InputError(fmt::format("{} is {:#x} on {} but {:#x} on {}; write per-arch sections or a number", name,
                                   *agreed, arch_name(first), v.value, arch_name(a)));
    if (!agreed) {
      agreed = v.value;
      first = a;
    }
  }
  return agreed.value_or(0);
}

}  // namespace seccage::text_detail
