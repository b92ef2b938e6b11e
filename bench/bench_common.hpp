// Shared by the benchmark files: the two policies every figure is measured
// on (Docker's default profile for an amd64 host, with x86_64 alone and with
// the three x86 ABIs) and the three programs built from each.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "seccage/arch.hpp"
#include "seccage/bpf.hpp"
#include "seccage/policy.hpp"

namespace seccage::bench {

struct Setup {
  std::string key;    // "x86_64", "x86_64+i386+x32": used in benchmark names
  Policy policy;
  std::vector<Arch> arches;  // what measure_program walks (== policy.arches)
  // Profile syscall names left out because libseccomp does not know them.
  std::vector<std::string> dropped_names;
};

// Loaded once from SECCAGE_TEST_DATA_DIR/profiles/docker-default.json. Throws
// seccage::Error when the profile cannot be read or resolved.
const std::vector<Setup>& setups();

// The compilers compared, in table column order.
enum class Tool { Seccage, Libseccomp1, Libseccomp2 };
inline constexpr Tool kTools[] = {Tool::Seccage, Tool::Libseccomp1, Tool::Libseccomp2};
const char* tool_key(Tool tool);    // "seccage", "libseccomp_opt1", ...: benchmark names
const char* tool_title(Tool tool);  // column headings

// Builds the program. For libseccomp, throws if libseccomp refuses a rule:
// a program missing rules would make every comparison meaningless.
bpf::Program build_program(Tool tool, const Policy& policy);

// compile_bench.cpp: registers the Google Benchmark compile-time cases
// ("compile/<tool>/<setup>", "export/<tool>/<setup>"), all in microseconds.
void register_compile_benchmarks();

// syscall_bench.cpp: the figures that need the kernel, each taken in forked
// children because a seccomp filter can never be removed from a process.
struct InstallTiming {
  double median_ns = 0;
  double p10_ns = 0, p90_ns = 0;
  int samples = 0;
};
// One seccomp(SECCOMP_SET_MODE_FILTER) call per fresh child, `children` per
// program, the programs taken in turn so that a change in the machine's load
// spreads over all of them instead of landing on one.
std::vector<InstallTiming> time_installs(const std::vector<const bpf::Program*>& programs, int children);

struct SyscallTiming {
  double personality_ns = 0;  // personality(0xffffffff): allowed through an argument check
  double denied_ns = 0;       // syslog(SYSLOG_ACTION_SIZE_BUFFER): EPERM from the filter
};
// A nullptr entry = no filter (the baseline). `rounds` children per entry,
// taken in turn as above. Throws if a call is not answered as the comparison
// assumes (personality allowed, syslog denied with EPERM).
std::vector<SyscallTiming> time_syscalls(const std::vector<const bpf::Program*>& programs, int rounds);

}  // namespace seccage::bench
