// Filters the program stacks on its own (docs/run.md, "Stacked filters").
//
// The kernel runs every filter of a task and takes the most severe answer:
// KILL > TRAP > ERRNO > USER_NOTIF. seccage carries out the policy's kills
// through USER_NOTIF, so a program's own filter that answers a call with an
// errno or a trap outranks a kill of the policy: the call never reaches
// seccage. seccage sees every install (seccomp and prctl always notify),
// reads the filter being installed and works out which of the policy's
// kills it outranks, so the report can say so.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "sandbox/variant.hpp"
#include "seccage/bpf.hpp"
#include "seccage/sandbox.hpp"

namespace seccage::sandbox {

// seccomp(SECCOMP_SET_MODE_FILTER, ...) or prctl(PR_SET_SECCOMP,
// SECCOMP_MODE_FILTER, ...): the call installs a filter.
bool installs_filter(const std::string& name, const std::array<std::uint64_t, 6>& args);

// The filter a blocked task is installing, read from its memory (the
// sock_fprog its call points to). Only for the report: another thread could
// change the bytes before the kernel copies them. nullopt when unreadable or
// not a valid program, or on an arch other than the native one.
std::optional<bpf::Program> read_installing_filter(pid_t tid, Arch arch, const std::array<std::uint64_t, 6>& args);

// Fills `outranks_kills` and `exact`: the syscalls of `arch` that the policy
// kills (for some arguments) and that `filter` answers with ERRNO or TRAP
// (evaluated with every argument 0), or whose answer depends on arguments or
// the instruction pointer (then it may, and `exact` is false).
void find_outranked_kills(const bpf::Program& filter, const Classifier& policy, Arch arch, OwnFilter& out);

}  // namespace seccage::sandbox
