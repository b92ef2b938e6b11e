// The API level (seccomp_api_get/set): which kernel features the library
// uses, 1..7 as libseccomp numbers them. Found by probing the kernel once;
// seccomp_api_set may lower (or raise) it, seccomp_reset(NULL, ..) probes again.
#pragma once

namespace seccage::compat {

inline constexpr unsigned kMaxApiLevel = 7;
unsigned api_level();
void set_api_level(unsigned level);
void reprobe_api_level();

}  // namespace seccage::compat
