// Named constants for syscall arguments in the text policy language: AF_*,
// SOCK_*, O_*, PROT_*, MAP_*, CLONE_*, PR_*, AT_*, F_* (fcntl commands), the
// tty/file ioctl commands people filter on, and errno names.
//
// Values are the Linux UAPI headers'. Most are the same on every arch; the
// ones that are not (open flags, mmap flags, socket types, fcntl lock
// commands, tty ioctls) are looked up per arch family:
//   generic  x86_64, x32, i386, riscv64, s390x, s390, loongarch64, sh, sheb
//            (asm-generic/fcntl.h, mman-common.h, ioctls.h)
//   arm      aarch64, arm, m68k (O_DIRECTORY 040000, O_NOFOLLOW 0100000,
//            O_DIRECT 0200000, O_LARGEFILE 0400000)
//   ppc      ppc64le, ppc64, ppc (O_* as arm but O_LARGEFILE/O_DIRECT swapped,
//            MAP_NORESERVE 0x40, MAP_LOCKED 0x80; tty ioctls differ)
//   mips     every MIPS ABI (arch/mips/include/uapi/asm/{fcntl,mman,socket}.h)
//   parisc   parisc, parisc64
// Where seccage does not carry an arch's value (the tty ioctls on ppc, mips,
// parisc and sh; most flags on parisc), lookup says so instead of guessing,
// and the policy must use a number.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "seccage/arch.hpp"

namespace seccage::text_detail {

enum class ConstantLookup : std::uint8_t { Found, UnknownName, NoValueForArch };

struct ConstantValue {
  ConstantLookup status = ConstantLookup::UnknownName;
  std::uint64_t value = 0;
};

// The constant's value on `arch`. errno names (EPERM, ...) come from
// action.hpp's table.
ConstantValue lookup_constant(std::string_view name, Arch arch);

// The value every arch in `arches` agrees on. Throws InputError when the name
// is unknown (with a did-you-mean), when an arch has no value, or when the
// arches disagree (naming two of them and their values).
std::uint64_t resolve_constant(std::string_view name, std::span<const Arch> arches);

// Every constant name, sorted (errno names not included).
std::span<const std::string_view> constant_names();

}  // namespace seccage::text_detail
