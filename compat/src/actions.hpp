// SCMP_ACT_* values: which ones libseccomp accepts, and their seccage Action.
#pragma once

#include <cstdint>
#include <optional>

#include "seccage/action.hpp"

namespace seccage::compat {

// nullopt for a value libseccomp refuses (-EINVAL): an unknown action, TRAP
// with data, ERRNO of 4095 or more (libseccomp's limit, one below the
// kernel's), data on an action that has none.
//
// Inline: it runs twice per rule added, and as a call its std::optional came
// back packed in a register, was stored to the stack in pieces and reloaded
// whole (a store-forwarding stall, a visible share of seccomp_rule_add in
// perf).
inline std::optional<Action> action_from_scmp(std::uint32_t value) {
  const std::uint32_t data = value & 0xffffu;
  switch (value & 0xffff0000u) {
    case 0x80000000u: return data == 0 ? std::optional(Action::kill_process()) : std::nullopt;
    case 0x00000000u: return data == 0 ? std::optional(Action::kill_thread()) : std::nullopt;
    case 0x00030000u: return data == 0 ? std::optional(Action::trap()) : std::nullopt;
    case 0x00050000u:
      if (data >= 4095) return std::nullopt;
      return Action::errno_(static_cast<std::uint16_t>(data));
    case 0x7fc00000u: return data == 0 ? std::optional(Action::user_notif()) : std::nullopt;
    case 0x7ff00000u: return Action::trace(static_cast<std::uint16_t>(data));
    case 0x7ffc0000u: return data == 0 ? std::optional(Action::log()) : std::nullopt;
    case 0x7fff0000u: return data == 0 ? std::optional(Action::allow()) : std::nullopt;
    default: return std::nullopt;
  }
}

}  // namespace seccage::compat
