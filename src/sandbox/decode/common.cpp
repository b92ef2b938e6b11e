#include "sandbox/decode/common.hpp"

#include <fmt/core.h>

namespace seccage::sandbox::decode_detail {

Family family_of(Arch arch) {
  switch (arch) {
    case Arch::aarch64:
    case Arch::arm:
    case Arch::m68k: return Family::Arm;
    case Arch::ppc64le:
    case Arch::ppc64:
    case Arch::ppc: return Family::Ppc;
    case Arch::mips:
    case Arch::mipsel:
    case Arch::mips64:
    case Arch::mips64el:
    case Arch::mips64n32:
    case Arch::mipsel64n32: return Family::Mips;
    case Arch::parisc:
    case Arch::parisc64: return Family::Parisc;
    default: return Family::Generic;
  }
}

bool generic_tty_ioctls(Arch arch) {
  switch (arch) {
    case Arch::x86_64:
    case Arch::x32:
    case Arch::i386:
    case Arch::aarch64:
    case Arch::arm:
    case Arch::riscv64:
    case Arch::s390x:
    case Arch::s390:
    case Arch::loongarch64: return true;
    default: return false;
  }
}

std::optional<std::string> Call::bytes(std::uint64_t addr, std::size_t size) const {
  if (addr == 0 || !reader) return std::nullopt;
  auto got = reader(addr, size, false);
  if (!got || got->size() != size) return std::nullopt;
  return got;
}

std::string Call::string_at(std::uint64_t addr) const {
  if (addr == 0) return "NULL";
  if (!reader) return hex(addr);
  // One byte more than shown tells whether the string was cut.
  auto got = reader(addr, options.string_limit + 1, true);
  if (!got) return hex(addr);
  const bool cut = got->size() > options.string_limit;
  if (cut) got->resize(options.string_limit);
  return quote(*got, cut);
}

std::uint64_t load(std::string_view bytes, std::size_t offset, std::size_t width, bool little_endian) {
  std::uint64_t v = 0;
  for (std::size_t k = 0; k < width; ++k) {
    const auto b = static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[offset + k]));
    v |= b << (8 * (little_endian ? k : width - 1 - k));
  }
  return v;
}

std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }

std::string pointer(std::uint64_t v) { return v == 0 ? std::string("NULL") : hex(v); }

std::optional<std::string_view> find_name(std::uint64_t value, std::span<const Named> table) {
  for (const Named& n : table)
    if (n.value == value) return n.name;
  return std::nullopt;
}

std::string enum_name(std::uint64_t value, std::span<const Named> table) {
  if (auto n = find_name(value, table)) return std::string(*n);
  return fmt::format("{}", value);
}

std::string flag_names(std::uint64_t value, std::span<const Named> table, std::string first) {
  std::string out = std::move(first);
  for (const Named& f : table) {
    if (f.value != 0 && (value & f.value) == f.value) {
      if (!out.empty()) out += '|';
      out += f.name;
      value &= ~f.value;
    }
  }
  if (value != 0 || out.empty()) {
    if (!out.empty()) out += '|';
    out += value == 0 ? std::string("0") : hex(value);
  }
  return out;
}

}  // namespace seccage::sandbox::decode_detail
