// The compiler: Policy -> verified seccomp-BPF program.
#pragma once

#include <map>
#include <string>

#include "seccage/bpf.hpp"
#include "seccage/decision.hpp"
#include "seccage/policy.hpp"

namespace seccage {

struct CompileOptions {
  // Optional: how often each syscall is called (name -> count or weight), as
  // `seccage learn` records it. When given, the syscall search tree is shaped
  // so frequent syscalls take fewer instructions; otherwise it is balanced.
  std::map<std::string, double> frequency;
};

// Throws InputError for an invalid policy or one whose program would pass
// 4096 instructions. The result has passed bpf::verify.
bpf::Program compile(const Policy& policy, const CompileOptions& options = {});
// The same, also handing back the rules libseccomp would refuse (they have
// no effect in the program) from the same pass over the policy, for callers
// that report them (`seccage compile`).
bpf::Program compile(const Policy& policy, const CompileOptions& options, std::vector<RefusedRule>* refused);
// Compiles decisions already made from `policy` (decide(), one per arch of
// policy.effective_arches(), in that order), for a caller that adjusts them
// first: `seccage run` sends seccage's own guarded calls to its supervisor
// this way (src/sandbox/guards.hpp). The policy gives the arches and the
// bad-arch action. Throws InputError when the decisions do not match the
// arches.
bpf::Program compile_decisions(const Policy& policy, const std::vector<ArchDecisions>& decisions,
                               const CompileOptions& options = {});

}  // namespace seccage
