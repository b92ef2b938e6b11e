// libseccomp as the independent reference: builds the filter libseccomp makes
// for a seccage Policy, the way runc and libseccomp-golang feed it (names
// resolved with seccomp_syscall_resolve_name, rules added with
// seccomp_rule_add_array, one context for all arches).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seccage/bpf.hpp"
#include "seccage/policy.hpp"

namespace seccage::test {

// SCMP_ARCH_* for an arch, nullopt where libseccomp 2.5.4 lacks it (m68k,
// sh, sheb, loongarch64).
std::optional<std::uint32_t> scmp_arch(Arch arch);

// True when libseccomp resolves `name` on `arch` to the number seccage's table
// has, or neither knows it there (libseccomp may return a negative pseudo
// number for a name the arch lacks). Random policies use only such names.
bool libseccomp_agrees(Arch arch, std::string_view name);

struct RefusedByLibseccomp {
  int rule = -1;   // index into Policy::rules
  int error = 0;   // the negative errno libseccomp returned
  std::string to_string() const;
};

// A libseccomp filter context built once from a policy; export() may be
// called many times (the benchmark times it).
class LibseccompFilter {
 public:
  // optimize_level: 1 (priority-sorted list) or 2 (binary tree). Rules whose
  // action equals the default are skipped, as runc does (libseccomp refuses
  // them with EACCES); rules libseccomp refuses otherwise are listed in
  // refused(). Rules by number are given to libseccomp as native numbers, so
  // they mean the raw number only on the native arch: a policy with a rule by
  // number and another arch throws std::invalid_argument.
  explicit LibseccompFilter(const Policy& policy, int optimize_level = 1);
  ~LibseccompFilter();
  LibseccompFilter(const LibseccompFilter&) = delete;
  LibseccompFilter& operator=(const LibseccompFilter&) = delete;

  bpf::Program export_bpf() const;
  std::string export_pfc() const;
  const std::vector<RefusedByLibseccomp>& refused() const { return refused_; }

 private:
  void* ctx_ = nullptr;
  bool big_endian_ = false;
  std::vector<RefusedByLibseccomp> refused_;
};

struct LibseccompProgram {
  bpf::Program program;
  std::vector<RefusedByLibseccomp> refused;
};
LibseccompProgram libseccomp_compile(const Policy& policy, int optimize_level = 1);

// The same in a forked child with a time limit: libseccomp 2.5.4 loops
// forever on some rule sets (docs/semantics.md). The child also exports the
// PFC text of the very context it built (the parent never builds it: a rule
// set that hangs would hang the test).
struct GuardedLibseccomp {
  enum class Outcome {
    Built,     // program, pfc and refused are valid
    TimedOut,  // still running after the time limit: libseccomp's loop
    Failed,    // libseccomp (or the reference's set-up) reported an error
  };
  Outcome outcome = Outcome::Failed;
  LibseccompProgram result;
  std::string pfc;
  std::string error;  // Failed: what went wrong, in the child's words
};
GuardedLibseccomp libseccomp_compile_guarded(const Policy& policy, int optimize_level,
                                             std::chrono::milliseconds timeout);

}  // namespace seccage::test
