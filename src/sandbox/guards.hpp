// seccage's own guards: calls `seccage run` refuses with EPERM whatever the
// policy says, because they would let the program reach past the sandbox:
// - pushing input into a terminal: TIOCSTI types characters into the
//   terminal's input queue and TIOCLINUX's selection paste does the same on
//   a virtual console, so a program sharing the user's terminal could leave
//   commands for the shell to run after the run (the request is an unsigned
//   int: the low 32 bits are compared);
// - changing a virtual console for good: its keyboard mode, keymap, font,
//   display mode and the active console (the KD* and VT_* families), which
//   outlive the run on a console the program shares with the user;
// - mounting or unmounting: the sandbox's /proc is mounted over the host's,
//   and unmounting or moving it would show the host's processes again (a
//   root program, uid 0 in its user namespace as outside, could then open
//   their memory through it).
//
// Where seccage supervises, a guarded call on one of the policy's arches
// goes to the supervisor (guard_decisions), which carries out the policy
// when the policy denies it (a kill stays a kill) and refuses it with EPERM,
// reported as seccage's, when the policy would let it through. A kernel
// filter refusing them with ERRNO cannot do that: the kernel ranks ERRNO
// above the supervisor's USER_NOTIF, so a policy's conditional kill of
// TIOCSTI would become an unreported EPERM. The kernel filter
// (guard_program) still covers what the supervisor does not see: ABIs the
// policy lets through unexamined, and runs without a supervisor.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seccage/bpf.hpp"
#include "seccage/decision.hpp"
#include "seccage/policy.hpp"

namespace seccage::sandbox {

struct Guard {
  const char* syscall;
  std::optional<std::uint32_t> ioctl_request;  // set: only this request (low 32 bits of arg1)
  const char* why;                              // the report's rule text
  std::uint32_t request_mask = 0xffffffffu;     // the bits of the request compared (a family: 0xffffff00)
};

// Every guard, in a fixed order.
const std::vector<Guard>& guards();

// The guard a call falls under, or nullptr. The ABI is the call's own
// (arch_of_call), whether or not the policy covers it.
const Guard* guard_for(std::uint32_t audit_arch, std::uint32_t nr, const std::array<std::uint64_t, 6>& args);

// The ABIs a program on this machine can call the kernel through: the
// policy's, and the native and compat ones the kernel may have (i386 and x32
// beside x86_64, arm beside aarch64).
std::vector<Arch> callable_arches(const Policy& policy);

// Adjusts the decisions of the supervised variant of a policy so that every
// guarded call reaches the supervisor: USER_NOTIF wherever the variant would
// not already stop it (a TRAP stays: it outranks the guard's EPERM in the
// kernel as it would outrank any errno).
void guard_decisions(std::vector<ArchDecisions>& decisions);

// The kernel filter installed under the policy's: EPERM for the guarded
// calls of `arches`; every other ABI is let through to the policy's filter.
// Empty when `arches` is. Where the policy kills a guarded call the kernel
// still kills it (KILL outranks ERRNO), and where it answers with an errno
// of its own that errno wins (the newer filter's, among equals).
bpf::Program guard_program(const std::vector<Arch>& arches);

}  // namespace seccage::sandbox
