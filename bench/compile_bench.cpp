// Compile time, Policy -> program, for seccage and for libseccomp at both
// optimization levels, on Docker's default profile.
//
// The clock starts from a parsed, resolved Policy so that JSON reading (which
// runc and Docker do in Go, outside libseccomp) is not part of either figure.
// For libseccomp the case covers everything a runtime pays to get a program
// out of it: seccomp_init, the attributes, one seccomp_rule_add_array per rule
// (names resolved with seccomp_syscall_resolve_name, as runc does) and
// seccomp_export_bpf. libseccomp 2.5.4 can only export to a file descriptor, so
// the case includes writing the program to a memfd and reading it back; the
// "export" cases time that step alone (from a context built once) to show how
// the time divides between building libseccomp's rule database and generating
// BPF from it.

#include <benchmark/benchmark.h>

#include <seccomp.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>

#include <fmt/core.h>

#include "bench_common.hpp"
#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
#include "seccage/profile.hpp"
#include "support/libseccomp_ref.hpp"

namespace seccage::bench {
namespace {

Setup x86_64_only(const Policy& resolved) {
  // As `seccage compile --arch x86_64` does (tools/seccage/policy_input.cpp):
  // rules naming syscalls that exist on none of the kept arches (chown32 and
  // the other i386-only names) go first, or validate() refuses the policy.
  Setup s{"x86_64", resolved, {Arch::x86_64}, {}};
  std::erase_if(s.policy.rules, [](const Rule& rule) {
    const auto* name = std::get_if<std::string>(&rule.syscall);
    return name != nullptr && !syscall_number(Arch::x86_64, *name);
  });
  s.policy.arches = s.arches;
  return s;
}

// Names libseccomp 2.5.4 cannot resolve (syscalls newer than it: mseal,
// listmount, the *xattrat family...). runc skips such names with a warning, so
// libseccomp's program would allow fewer syscalls than seccage's; they are
// dropped from the policy all three tools compile, so that every figure
// compares programs making the same decisions.
std::vector<std::string> drop_unknown_to_libseccomp(Policy& policy) {
  std::set<std::string> dropped;
  std::erase_if(policy.rules, [&](const Rule& rule) {
    const auto* name = std::get_if<std::string>(&rule.syscall);
    if (name == nullptr || seccomp_syscall_resolve_name(name->c_str()) != __NR_SCMP_ERROR) return false;
    dropped.insert(*name);
    return true;
  });
  return {dropped.begin(), dropped.end()};
}

std::vector<Setup> load_setups() {
  const std::string path = std::string(SECCAGE_TEST_DATA_DIR) + "/profiles/docker-default.json";
  OciResolveOptions options;
  options.host_arch = Arch::x86_64;  // an amd64 host, whatever this binary runs as
  options.capabilities = docker_default_capabilities();
  OciProfile profile = read_oci_profile(path, options);
  // libseccomp's meaning for socketcall/ipc sub-calls, so that both tools
  // compile the same decisions (seccage's CLI defaults to the safe mode,
  // which differs on i386 only; docs/benchmarks.md).
  profile.policy.multiplex = MultiplexMode::Compatible;
  std::vector<std::string> dropped = drop_unknown_to_libseccomp(profile.policy);

  const std::vector<Arch> expected{Arch::x86_64, Arch::i386, Arch::x32};
  std::vector<Arch> got = profile.policy.effective_arches();
  if (std::is_permutation(got.begin(), got.end(), expected.begin(), expected.end()) == false)
    throw InputError(path + ": expected the profile to resolve to x86_64, i386 and x32 on amd64");

  std::vector<Setup> out;
  out.push_back(x86_64_only(profile.policy));
  out.push_back(Setup{"x86_64+i386+x32", profile.policy, got, {}});
  for (Setup& s : out) s.dropped_names = dropped;
  return out;
}

}  // namespace

const std::vector<Setup>& setups() {
  static const std::vector<Setup> all = load_setups();
  return all;
}

const char* tool_key(Tool tool) {
  switch (tool) {
    case Tool::Seccage: return "seccage";
    case Tool::Libseccomp1: return "libseccomp_opt1";
    case Tool::Libseccomp2: return "libseccomp_opt2";
  }
  return "?";
}

const char* tool_title(Tool tool) {
  switch (tool) {
    case Tool::Seccage: return "seccage";
    case Tool::Libseccomp1: return "libseccomp, optimize=1 (default)";
    case Tool::Libseccomp2: return "libseccomp, optimize=2 (binary tree)";
  }
  return "?";
}

static int optimize_level(Tool tool) { return tool == Tool::Libseccomp2 ? 2 : 1; }

bpf::Program build_program(Tool tool, const Policy& policy) {
  if (tool == Tool::Seccage) return compile(policy);
  test::LibseccompProgram p = test::libseccomp_compile(policy, optimize_level(tool));
  if (!p.refused.empty())
    throw std::runtime_error(fmt::format("{}: {}", tool_key(tool), p.refused.front().to_string()));
  return std::move(p.program);
}

void register_compile_benchmarks() {
  for (const Setup& setup : setups()) {
    const Setup* s = &setup;  // setups() lives until exit
    for (Tool tool : kTools) {
      const std::string name = fmt::format("compile/{}/{}", tool_key(tool), s->key);
      if (tool == Tool::Seccage) {
        benchmark::RegisterBenchmark(name.c_str(), [s](benchmark::State& state) {
          for (auto _ : state) benchmark::DoNotOptimize(compile(s->policy));
        })->Unit(benchmark::kMicrosecond);
        continue;
      }
      const int level = optimize_level(tool);
      benchmark::RegisterBenchmark(name.c_str(), [s, level](benchmark::State& state) {
        for (auto _ : state) {
          test::LibseccompFilter filter(s->policy, level);
          benchmark::DoNotOptimize(filter.export_bpf());
        }
      })->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark(fmt::format("export/{}/{}", tool_key(tool), s->key).c_str(),
                                   [s, level](benchmark::State& state) {
                                     test::LibseccompFilter filter(s->policy, level);
                                     for (auto _ : state) benchmark::DoNotOptimize(filter.export_bpf());
                                   })
          ->Unit(benchmark::kMicrosecond);
    }
  }
}

}  // namespace seccage::bench
