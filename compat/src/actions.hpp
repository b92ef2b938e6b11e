// SCMP_ACT_* values: which ones libseccomp accepts, and their seccage Action.
#pragma once

#include <cstdint>
#include <optional>

#include "seccage/action.hpp"

namespace seccage::compat {

// nullopt for a value libseccomp refuses (-EINVAL): an unknown action, TRAP
// with data, ERRNO of 4095 or more (libseccomp's limit, one below the
// kernel's), data on an action that has none.
std::optional<Action> action_from_scmp(std::uint32_t value);

}  // namespace seccage::compat
