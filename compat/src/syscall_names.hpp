// Syscall names and numbers as libseccomp's API gives them: per arch from
// seccage's tables, with libseccomp's negative pseudo numbers (__PNR_*) for
// names an arch lacks, and the multiplexer rewrite of socketcall/ipc arches.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "seccage/arch.hpp"

namespace seccage::compat {

inline constexpr int kNrError = -1;  // __NR_SCMP_ERROR

// The pseudo number of a name, or nullopt when libseccomp has none for it.
std::optional<int> pseudo_number(std::string_view name);
// The name of a pseudo number (negative), or nullopt.
std::optional<std::string_view> pseudo_name(int number);

// seccomp_syscall_resolve_name_arch: the arch's number; the pseudo number for
// a name the arch lacks, and for a socket/IPC sub-call on an arch with the
// multiplexers (libseccomp files those under the pseudo number and expands
// them itself); kNrError for an unknown name.
int resolve_name(Arch arch, std::string_view name);
// seccomp_syscall_resolve_name_rewrite: as resolve_name, but a sub-call on an
// arch with the multiplexers gives the multiplexer's number.
int resolve_name_rewrite(Arch arch, std::string_view name);
// seccomp_syscall_resolve_num_arch: the name of a real number of the arch.
std::optional<std::string> resolve_number(Arch arch, int number);

// syscall_numbers_by_id(arch): the arch's numbers by name id (built on the
// arch's first use, then one load per call).
std::span<const std::uint32_t> numbers_by_id(Arch arch);

// Whether the arch has socketcall (resp. ipc) in its table.
bool has_multiplexer(Arch arch, std::string_view via);

}  // namespace seccage::compat
