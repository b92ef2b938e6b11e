#include "arch_tokens.hpp"

namespace seccage::compat {

// The token is the AUDIT_ARCH value, except for x32: libseccomp tells it from
// x86_64 (which shares AUDIT_ARCH_X86_64) by dropping the 64-bit flag.
std::uint32_t token_of(Arch arch) {
  if (arch == Arch::x32) return 0x4000003eu;  // EM_X86_64 | __AUDIT_ARCH_LE
  return arch_info(arch).audit_arch;
}

std::optional<Arch> arch_from_token(std::uint32_t token) {
  if (token == 0) return native_arch();
  for (const ArchInfo& info : all_arches()) {
    if (token_of(info.arch) == token) return info.arch;
  }
  return std::nullopt;
}

}  // namespace seccage::compat
