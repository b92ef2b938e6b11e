// Shared pieces of the argument decoder (src/sandbox/decode.cpp drives it):
// what a decoder sees of a call, the arch families whose constants differ,
// and small helpers to name flags and enums and to read the caller's memory.
//
// Flag and enum values are written out here from the Linux UAPI headers, not
// taken from this machine's headers: the decoder names calls of every arch a
// policy covers (i386 on an x86_64 host, say), and where an arch's value is
// not carried here the value is shown as a number rather than named wrongly.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sandbox/decode.hpp"
#include "seccage/arch.hpp"

namespace seccage::sandbox::decode_detail {

// Arch families for constants that differ between arches.
//   generic  x86_64, x32, i386, riscv64, s390x, s390, loongarch64, sh, sheb
//            (asm-generic/fcntl.h, mman-common.h, signal.h, resource.h)
//   arm      aarch64, arm, m68k: generic, but O_DIRECTORY, O_NOFOLLOW,
//            O_DIRECT and O_LARGEFILE differ (arch/{arm,arm64,m68k}/.../fcntl.h)
//   ppc      ppc64le, ppc64, ppc: O_* as arm with O_LARGEFILE/O_DIRECT
//            swapped, MAP_NORESERVE/MAP_LOCKED differ, tty ioctls differ,
//            ioctl numbers encoded with 3 direction bits
//   mips     every MIPS ABI: most O_*, MAP_*, signals, rlimits, socket types
//            and fcntl lock commands differ
//   parisc   parisc, parisc64: O_* differ; most other tables not carried here
enum class Family : std::uint8_t { Generic, Arm, Ppc, Mips, Parisc };
Family family_of(Arch arch);

// The kernel's asm-generic/ioctls.h tty numbers (0x54xx) and FIO* hold on
// x86, arm, aarch64, riscv, s390 and loongarch; ppc, mips, parisc, sh and
// m68k have their own ioctls.h.
bool generic_tty_ioctls(Arch arch);

// The call being decoded.
struct Call {
  Arch arch;
  const std::array<std::uint64_t, 6>& args;
  const MemoryReader& reader;
  const DecodeOptions& options;

  bool is64() const { return arch_info(arch).is_64bit; }
  // Bytes of a pointer or a long in the caller's ABI.
  std::size_t word() const { return is64() ? 8 : 4; }
  bool little_endian() const { return arch_info(arch).little_endian; }
  // Argument i as the kernel reads an int: the low 32 bits, signed.
  std::int64_t as_int(std::size_t i) const {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(args[i]));
  }
  // Argument i as a long / unsigned long of the ABI.
  std::int64_t as_long(std::size_t i) const { return is64() ? static_cast<std::int64_t>(args[i]) : as_int(i); }
  std::uint64_t as_ulong(std::size_t i) const { return is64() ? args[i] : static_cast<std::uint32_t>(args[i]); }

  // Exactly `size` bytes at `addr`, or nullopt (no reader, NULL, unreadable
  // or short).
  std::optional<std::string> bytes(std::uint64_t addr, std::size_t size) const;
  // A NUL-terminated string at `addr`, quoted and cut at the options' limit;
  // NULL, or the address in hex when it cannot be read.
  std::string string_at(std::uint64_t addr) const;
};

// An unsigned integer of `width` bytes at `offset` of `bytes`, in the byte
// order of `little_endian`. The caller checks the size.
std::uint64_t load(std::string_view bytes, std::size_t offset, std::size_t width, bool little_endian);

std::string hex(std::uint64_t v);
// "NULL" or the address in hex.
std::string pointer(std::uint64_t v);

struct Named {
  std::uint64_t value;
  std::string_view name;
};

// The name of `value` in `table`, or nullopt.
std::optional<std::string_view> find_name(std::uint64_t value, std::span<const Named> table);
// The name, or `value` in decimal.
std::string enum_name(std::uint64_t value, std::span<const Named> table);
// Names the set bits (a table entry may cover several bits: it is named when
// all of them are set, and takes them); what no entry covers is appended in
// hex. `first` is put in front (an access mode, a map type). "0" when
// nothing is set and `first` is empty.
std::string flag_names(std::uint64_t value, std::span<const Named> table, std::string first = {});

}  // namespace seccage::sandbox::decode_detail
