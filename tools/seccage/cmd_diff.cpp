// seccage diff: do two filters decide the same? Raw programs (as `compile -o`
// writes them, `disasm --pid --save` reads them from a process, libseccomp's
// seccomp_export_bpf exports them) or policies in any format, compiled first;
// or a running process's filters, together as the kernel runs them, against
// one of those.
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "live_process.hpp"
#include "policy_input.hpp"
#include "seccage/arch.hpp"
#include "seccage/bpf.hpp"
#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
#include "seccage/filter_diff.hpp"
#include "seccage/load_policy.hpp"
#include "syntax/units.hpp"

namespace seccage::cli {
namespace diff_command {  // one per command: tools/seccage is built as one unity source
namespace {

struct DiffArgs {
  std::string first, second;
  int pid = 0;
  std::vector<std::string> arches;
  std::string max_probes;
  bool json = false;
};

// A raw program when the bytes are one (whole instructions the verifier
// accepts: text never is), else a policy, compiled as `seccage compile` does.
bpf::Program read_filter(const std::string& file, const std::vector<Arch>& arches) {
  const std::string bytes = read_profile_text(file);
  if (!bytes.empty() && bytes.size() % sizeof(bpf::Insn) == 0) {
    const bpf::Program raw = bpf::read_raw(std::as_bytes(std::span(bytes.data(), bytes.size())));
    if (!bpf::verify(raw)) return raw;
  }
  PolicyLoadOptions options;
  options.arches = arches;
  return compile(load_policy_text(bytes, file, options).policy);
}

std::string args_text(const FilterDifference& f) {
  std::string out;
  for (std::uint64_t a : f.args) out += fmt::format("{}{:#x}", out.empty() ? "" : ", ", a);
  return out;
}

int run_diff(const DiffArgs& a) {
  std::vector<Arch> arches;
  for (const std::string& name : a.arches) arches.push_back(parse_arch_or_throw(name));
  const std::uint64_t cap = a.max_probes.empty() ? 4096 : parse_count("--max-probes", a.max_probes);
  if (cap == 0) throw InputError("--max-probes 0: expected at least 1");
  // With --pid the process's filters are the first side, and the one file
  // given the second.
  std::string first_name = a.first, second_name = a.second;
  std::vector<bpf::Program> first;
  if (a.pid != 0) {
    if (a.first.empty() || !a.second.empty()) throw InputError("with --pid, give one filter or policy to compare with");
    first = process_filter_programs(a.pid);
    first_name = fmt::format("pid {}'s {} filter{}", a.pid, first.size(), first.size() == 1 ? "" : "s");
    second_name = a.first;
  } else {
    if (a.first.empty() || a.second.empty()) throw InputError("give two filters or policies to compare (or --pid PID and one)");
    first.push_back(read_filter(a.first, arches));
  }
  const std::vector<bpf::Program> second{read_filter(second_name, arches)};
  const FilterDiff d = diff_filter_stacks(first, second, arches, cap);

  if (a.json) {
    nlohmann::json j;
    j["same"] = d.same();
    j["differences"] = nlohmann::json::array();
    for (const FilterDifference& f : d.differences) {
      j["differences"].push_back({{"arch", std::string(arch_name(f.arch))}, {"syscall", f.syscall}, {"nr", f.nr},
                                  {"args", f.args}, {"instruction_pointer", f.instruction_pointer},
                                  {"first", f.first.to_string()}, {"second", f.second.to_string()}});
    }
    j["arches"] = nlohmann::json::array();
    for (Arch arch : d.arches) j["arches"].push_back(std::string(arch_name(arch)));
    j["numbers"] = d.numbers;
    j["probes"] = d.probes;
    j["capped"] = d.capped;
    fmt::print("{}\n", j.dump(2));
  } else {
    if (d.same()) {
      fmt::print("same decisions\n");
    } else {
      fmt::print("{} call{} decided differently (first: {}, second: {}):\n", d.differences.size(),
                 d.differences.size() == 1 ? "" : "s", first_name, second_name);
      for (const FilterDifference& f : d.differences) {
        fmt::print("  {} {} ({}): {} / {}, e.g. args {}{}\n", arch_name(f.arch), f.syscall,
                   static_cast<std::int32_t>(f.nr), f.first.describe(), f.second.describe(), args_text(f),
                   f.instruction_pointer ? fmt::format(", ip {:#x}", f.instruction_pointer) : std::string());
      }
    }
    fmt::print("compared {} arch{}, {} syscall numbers, {} probes{}\n", d.arches.size(),
               d.arches.size() == 1 ? "" : "es", d.numbers, d.probes,
               d.capped ? fmt::format(" ({} numbers' argument search stopped at --max-probes {})", d.capped, cap)
                        : std::string());
  }
  return d.same() ? kExitOk : kExitFindings;
}

const CommandRegistration kRegistration{
    "diff", "Compare what two filters decide (raw BPF programs or policies), call by call", [](CLI::App& sub) {
      auto a = std::make_shared<DiffArgs>();
      sub.add_option("FIRST", a->first, "a raw filter file or a policy (any format; `-` for standard input)");
      sub.add_option("SECOND", a->second, "the other one");
      sub.add_option("--pid", a->pid,
                     "compare this running process's filters, together as the kernel runs them, with FIRST (needs "
                     "root: CAP_SYS_ADMIN and ptrace)");
      sub.add_option("--arch", a->arches,
                     "arches to compare (repeatable; default: every arch seccage knows); policies are compiled for them")
          ->allow_extra_args(false);
      sub.add_option("--max-probes", a->max_probes, "argument vectors tried per syscall number at most (default 4096)");
      sub.add_flag("--json", a->json, "print the result as JSON");
      sub.footer(
          "Every syscall number of each arch (and -1, and the numbers either filter compares with) is run\n"
          "through both filters in the emulator, with the arguments each filter reads varied over the values\n"
          "either compares them with. A difference shown is real (check it with `seccage emu`); 'same' is as\n"
          "thorough as those probes. Exit status: 0 same, 1 different, 2 bad input.");
      return [a] { return run_diff(*a); };
    }};

}  // namespace
}  // namespace diff_command
}  // namespace seccage::cli
