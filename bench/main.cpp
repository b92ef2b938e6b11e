// seccage_bench: without --table, a plain Google Benchmark binary running the
// compile-time cases (every --benchmark_* flag works). With --table, one run
// that takes every figure for seccage and libseccomp side by side and prints
// them as a markdown table on stdout (Google Benchmark's own output goes to
// stderr). scripts/bench runs the latter; docs/benchmarks.md explains each
// figure.

#include <benchmark/benchmark.h>
#include <seccomp.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "bench_common.hpp"
#include "seccage/action.hpp"
#include "seccage/stats.hpp"

namespace {

using namespace seccage;
using namespace seccage::bench;

// Shows Google Benchmark's usual output on stderr and keeps, per benchmark,
// the fastest repetition's mean CPU time per iteration (seconds). CPU time
// (the thread's, kernel time included: libseccomp's export writes to a memfd)
// rather than wall time, because the machine this runs on is often shared
// with builds: waiting for a CPU is not compile work.
class CapturingReporter : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, double> best;

  // No colour: the output goes to stderr, often a log file.
  CapturingReporter() : ConsoleReporter(OO_Tabular) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred) continue;
      const double seconds = run.GetAdjustedCPUTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
      auto [it, fresh] = best.emplace(run.run_name.str(), seconds);
      if (!fresh) it->second = std::min(it->second, seconds);
    }
  }
};

std::string us(double seconds) { return fmt::format("{:.1f} µs", seconds * 1e6); }

struct Column {
  bpf::Program program;
  ProgramStats stats;
  double compile_s = 0;
  double export_s = -1;  // libseccomp only
  InstallTiming install;
  SyscallTiming calls;
};

void row(const std::string& label, const std::vector<std::string>& cells) {
  std::string line = "| " + label;
  for (const std::string& c : cells) line += " | " + c;
  std::cout << line << " |\n";
}

int run_table(int argc, char** argv, int install_children, int syscall_rounds) {
  // Five repetitions of at least 0.2 s each per compile case; the table
  // shows the fastest repetition (other load only ever adds time). Flags
  // given on the command line come after these and override them.
  std::vector<std::string> args{argv[0], "--benchmark_min_time=0.2", "--benchmark_repetitions=5"};
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  std::vector<char*> cargs;
  for (std::string& a : args) cargs.push_back(a.data());
  int cargc = static_cast<int>(cargs.size());
  benchmark::Initialize(&cargc, cargs.data());
  if (benchmark::ReportUnrecognizedArguments(cargc, cargs.data())) return 2;

  CapturingReporter reporter;
  reporter.SetOutputStream(&std::cerr);
  reporter.SetErrorStream(&std::cerr);
  benchmark::RunSpecifiedBenchmarks(&reporter);

  // Every program first, then the kernel figures for all of them together
  // (see time_installs and time_syscalls for why they are interleaved).
  const std::vector<Setup>& all = setups();
  std::vector<std::vector<Column>> table(all.size());
  std::vector<const bpf::Program*> programs;
  for (std::size_t si = 0; si < all.size(); ++si) {
    for (Tool tool : kTools) {
      Column c;
      c.program = build_program(tool, all[si].policy);
      c.stats = measure_program(c.program, all[si].arches);
      auto find = [&](const char* kind) {
        auto it = reporter.best.find(fmt::format("{}/{}/{}", kind, tool_key(tool), all[si].key));
        return it == reporter.best.end() ? -1.0 : it->second;
      };
      c.compile_s = find("compile");
      c.export_s = find("export");
      table[si].push_back(std::move(c));
    }
  }
  for (auto& cols : table)
    for (Column& c : cols) programs.push_back(&c.program);

  std::cerr << "timing installs in forked children...\n";
  const bpf::Program allow_all{bpf::stmt(bpf::op::RET | bpf::op::K, Action::allow().to_ret())};
  std::vector<const bpf::Program*> install_set = programs;
  install_set.push_back(&allow_all);
  const std::vector<InstallTiming> installs = time_installs(install_set, install_children);
  const InstallTiming trivial = installs.back();

  std::cerr << "timing syscalls in forked children...\n";
  std::vector<const bpf::Program*> call_set = programs;
  call_set.push_back(nullptr);
  const std::vector<SyscallTiming> calls = time_syscalls(call_set, syscall_rounds);
  const SyscallTiming no_filter = calls.back();
  for (std::size_t i = 0, k = 0; i < table.size(); ++i)
    for (Column& c : table[i]) {
      c.install = installs[k];
      c.calls = calls[k];
      ++k;
    }

  utsname u{};
  ::uname(&u);
  std::time_t now = std::time(nullptr);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%d", std::gmtime(&now));
  std::cout << fmt::format("Docker default profile, amd64 host, Docker's default capabilities. {}, Linux {}, {} CPUs.\n",
                           date, u.release, ::sysconf(_SC_NPROCESSORS_ONLN));
  if (!all.front().dropped_names.empty()) {
    std::string names;
    for (const std::string& n : all.front().dropped_names) names += (names.empty() ? "" : ", ") + n;
    std::cout << fmt::format("Left out of the policy for all three (libseccomp {}.{}.{} does not know them): {}.\n",
                             seccomp_version()->major, seccomp_version()->minor, seccomp_version()->micro, names);
  }

  for (std::size_t si = 0; si < all.size(); ++si) {
    const Setup& setup = all[si];
    const std::vector<Column>& cols = table[si];
    std::cout << fmt::format("\n### {}\n\n", setup.key);
    std::string header = "| |";
    std::string rule = "|---|";
    for (Tool tool : kTools) {
      header += fmt::format(" {} |", tool_title(tool));
      rule += "---:|";
    }
    std::cout << header << "\n" << rule << "\n";

    auto each = [&](auto&& cell) {
      std::vector<std::string> cells;
      for (const Column& c : cols) cells.push_back(cell(c));
      return cells;
    };
    row("program length (instructions)", each([](const Column& c) { return std::to_string(c.stats.length); }));
    for (std::size_t a = 0; a < setup.arches.size(); ++a) {
      const std::string arch(arch_name(setup.arches[a]));
      const std::size_t n = cols[0].stats.arches[a].syscalls;
      row(fmt::format("{}: executed, mean over {} syscalls", arch, n),
          each([&](const Column& c) { return fmt::format("{:.2f}", c.stats.arches[a].mean_executed); }));
      row(fmt::format("{}: executed, max", arch),
          each([&](const Column& c) { return std::to_string(c.stats.arches[a].max_executed); }));
      row(fmt::format("{}: executed, max on argument-checked paths", arch),
          each([&](const Column& c) { return std::to_string(c.stats.arches[a].max_arg_checked); }));
      row(fmt::format("{}: allowed syscalls the kernel's action cache takes", arch), each([&](const Column& c) {
            return fmt::format("{} of {}", c.stats.arches[a].allowed_cacheable, c.stats.arches[a].allowed);
          }));
    }
    const double base = cols[0].compile_s;
    row("compile time, Policy → program (ratio to seccage)", each([&](const Column& c) {
          if (c.compile_s < 0) return std::string("not run");
          if (&c == &cols[0]) return us(c.compile_s);
          return fmt::format("{} ({:.1f}×)", us(c.compile_s), c.compile_s / base);
        }));
    row("… of which seccomp_export_bpf", each([](const Column& c) {
          return c.export_s < 0 ? std::string("—") : us(c.export_s);
        }));
    row(fmt::format("kernel install, median [p10–p90] of {} (1-instruction filter: {:.1f} µs)", install_children,
                    trivial.median_ns / 1e3),
        each([](const Column& c) {
          return fmt::format("{:.1f} µs [{:.1f}–{:.1f}]", c.install.median_ns / 1e3, c.install.p10_ns / 1e3,
                             c.install.p90_ns / 1e3);
        }));
    row(fmt::format("personality(0xffffffff), ns/call (no filter: {:.0f})", no_filter.personality_ns),
        each([](const Column& c) { return fmt::format("{:.0f}", c.calls.personality_ns); }));
    row(fmt::format("syslog(SIZE_BUFFER) → EPERM, ns/call (no filter, allowed: {:.0f})", no_filter.denied_ns),
        each([](const Column& c) { return fmt::format("{:.0f}", c.calls.denied_ns); }));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool table = false;
  int install_children = 200;
  int syscall_rounds = 10;
  std::vector<char*> rest{argv[0]};
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--table") == 0) {
      table = true;
    } else if (std::strncmp(argv[i], "--install-children=", 19) == 0) {
      install_children = std::max(1, std::atoi(argv[i] + 19));
    } else if (std::strncmp(argv[i], "--syscall-rounds=", 17) == 0) {
      syscall_rounds = std::max(1, std::atoi(argv[i] + 17));
    } else {
      rest.push_back(argv[i]);
    }
  }
  try {
    register_compile_benchmarks();
    int n = static_cast<int>(rest.size());
    if (table) return run_table(n, rest.data(), install_children, syscall_rounds);
    benchmark::Initialize(&n, rest.data());
    if (benchmark::ReportUnrecognizedArguments(n, rest.data())) return 2;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "seccage_bench: " << e.what() << "\n";
    return 1;
  }
}
