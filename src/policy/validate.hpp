// validate() as the semantic layer uses it: the same checks, plus each rule's
// syscall name id (all_syscall_names() position), so that the simulation
// looks every name up once rather than once per check and per arch.
#pragma once

#include <cstdint>
#include <vector>

#include "seccage/policy.hpp"

namespace seccage {

inline constexpr std::uint32_t kNoNameId = 0xffffffffu;  // a rule by number

// Throws InputError as validate() does; otherwise one id per rule.
std::vector<std::uint32_t> validated_name_ids(const Policy& policy);

}  // namespace seccage
