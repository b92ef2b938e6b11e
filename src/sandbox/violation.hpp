// Every Violation record a report holds is made here, from what seccage saw:
// a call the supervisor holds (classified against the policy, or refused by
// one of seccage's guards), or a process the kernel killed of SIGSYS with no
// call to show. The supervisor and the runner fill in only what happened to
// it (the outcome, the process id).
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <string>

#include "sandbox/decode.hpp"
#include "sandbox/variant.hpp"
#include "seccage/sandbox.hpp"

namespace seccage::sandbox {

// A call as the notification shows it.
struct HeldCall {
  pid_t tid = 0;
  std::uint32_t nr = 0;
  std::uint32_t audit_arch = 0;
  std::array<std::uint64_t, 6> args{};
};

// The call and what the policy (or guard) says of it: syscall, nr, arch, tid,
// registers, action, rule and origin. The pid is the tid until the caller
// knows the thread group; the decoded line comes from decode_arguments.
Violation violation_of(const HeldCall& call, const Classification& c);

// Fills `decoded` and `arguments`: memory read through `reader` (an empty
// reader: registers only, for a task that may be gone).
void decode_arguments(Violation& v, const Classification& c, const MemoryReader& reader, const DecodeOptions& options);

// A process the kernel killed of SIGSYS: the kernel shows neither the call
// nor its arguments, only that the policy (`rule`) must have done it.
Violation violation_unseen(pid_t program, std::string rule, RuleOrigin origin, Action action);

}  // namespace seccage::sandbox
