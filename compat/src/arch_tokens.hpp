// libseccomp's arch tokens (SCMP_ARCH_*) and seccage's Arch.
#pragma once

#include <cstdint>
#include <optional>

#include "seccage/arch.hpp"

namespace seccage::compat {

// 0 (SCMP_ARCH_NATIVE) is the native arch; unknown tokens are nullopt.
std::optional<Arch> arch_from_token(std::uint32_t token);
std::uint32_t token_of(Arch arch);

}  // namespace seccage::compat
