// The host facts Docker resolves a profile against: its name for the host
// arch and the kernel version.
#include <sys/utsname.h>

#include <cerrno>
#include <charconv>

#include <fmt/format.h>

#include "seccage/error.hpp"
#include "seccage/profile.hpp"

namespace seccage {

std::string KernelVersion::to_string() const {
  if (patch == 0) return fmt::format("{}.{}", major, minor);
  return fmt::format("{}.{}.{}", major, minor, patch);
}

namespace {

bool read_number(std::string_view& s, std::uint32_t& out) {
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  if (ec != std::errc() || p == s.data()) return false;
  s.remove_prefix(static_cast<std::size_t>(p - s.data()));
  return true;
}

}  // namespace

KernelVersion parse_kernel_version(std::string_view text) {
  KernelVersion v;
  std::string_view s = text;
  auto bad = [&]() {
    return InputError(fmt::format("invalid kernel version '{}': expected X.Y or X.Y.Z (e.g. 5.10 or 6.1.0-18-amd64)", text));
  };
  if (!read_number(s, v.major) || s.empty() || s.front() != '.') throw bad();
  s.remove_prefix(1);
  if (!read_number(s, v.minor)) throw bad();
  if (!s.empty() && s.front() == '.') {
    s.remove_prefix(1);
    if (!read_number(s, v.patch)) throw bad();
  }
  // A uname release goes on with "-18-amd64", "+", "-rc5", "_1"...; anything
  // starting with a digit or a dot here means a malformed number instead.
  if (!s.empty() && (s.front() == '.' || (s.front() >= '0' && s.front() <= '9'))) throw bad();
  if (!s.empty() && s.front() != '-' && s.front() != '+' && s.front() != '_' && s.front() != '~') throw bad();
  return v;
}

KernelVersion running_kernel_version() {
  struct utsname u {};
  if (uname(&u) != 0) throw SystemError("uname", errno);
  return parse_kernel_version(u.release);
}

std::string_view docker_arch_name(Arch arch) {
  // Docker compares includes/excludes arches with goToNative[runtime.GOARCH]
  // (moby profiles/seccomp/seccomp_linux.go): GOARCH except "386" -> "x86",
  // the MIPS little-endian spellings, and the "mips3l64n32" typo it carries.
  // riscv64 and loong64 are newer GOARCHes with the same spelling.
  switch (arch) {
    case Arch::x86_64: return "amd64";
    case Arch::i386: return "x86";
    case Arch::aarch64: return "arm64";
    case Arch::arm: return "arm";
    case Arch::mips64: return "mips64";
    case Arch::mips64n32: return "mips64n32";
    case Arch::mips64el: return "mipsel64";
    case Arch::mipsel64n32: return "mips3l64n32";
    case Arch::mipsel: return "mipsel";
    case Arch::ppc: return "ppc";
    case Arch::ppc64: return "ppc64";
    case Arch::ppc64le: return "ppc64le";
    case Arch::s390: return "s390";
    case Arch::s390x: return "s390x";
    case Arch::riscv64: return "riscv64";
    case Arch::loongarch64: return "loong64";
    default: return {};
  }
}

}  // namespace seccage
