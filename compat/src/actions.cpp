#include "actions.hpp"

namespace seccage::compat {

std::optional<Action> action_from_scmp(std::uint32_t value) {
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
