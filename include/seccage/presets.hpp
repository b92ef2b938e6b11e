// Built-in policies, written for seccage (docs/presets.md says what each
// allows and why).
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "seccage/policy.hpp"

namespace seccage {

struct PresetInfo {
  std::string_view name;
  std::string_view summary;
};

std::span<const PresetInfo> presets();

// The preset for the given arches (empty: the native arch). Throws InputError
// for an unknown name, with a did-you-mean.
Policy preset_policy(std::string_view name, std::vector<Arch> arches = {});

}  // namespace seccage
