// seccomp_export_pfc's text: the rules as the filter holds them, then the
// program seccage compiled, instruction by instruction in seccomp-tools'
// pseudo-code ("if (A != 59 /* execve */) goto 0011").
#pragma once

#include <string>

#include "context.hpp"

namespace seccage::compat {

// The context's program must be built.
std::string pfc_text(const FilterContext& ctx);

}  // namespace seccage::compat
