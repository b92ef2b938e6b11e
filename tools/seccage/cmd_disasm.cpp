// seccage disasm: print a raw BPF filter as readable lines, or every
// filter of a running process.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <fmt/core.h>

#include "seccage/bpf.hpp"
#include "command.hpp"
#include "seccage/arch.hpp"
#include "seccage/bpf.hpp"
#include "seccage/error.hpp"
#include "seccage/kernel.hpp"

namespace seccage::cli {
namespace disasm_command {  // one per command: tools/seccage is built as one unity source
namespace {

struct DisasmArgs {
  std::string file;
  std::string arch;
  bool no_raw = false;
  bool force = false;
  int pid = 0;
  std::string save_dir;
};

// Every filter of a live process, in the order the kernel runs them; with
// --save, each also as a raw file (DIR/filter-N.bpf, N as printed) for emu.
int disasm_process(const DisasmArgs& args, const bpf::DisasmOptions& options) {
  if (args.pid <= 0) throw InputError(fmt::format("--pid {}: expected a process id", args.pid));
  if (!args.save_dir.empty() && !std::filesystem::is_directory(args.save_dir))
    throw InputError(fmt::format("--save {}: not a directory", args.save_dir));
  const std::vector<kernel::LiveFilter> filters = kernel::read_process_filters(args.pid);
  if (filters.empty()) {
    fmt::print("# pid {}: no seccomp filter\n", args.pid);
    return kExitOk;
  }
  fmt::print("# pid {}: {} filter{}, newest first; the kernel runs them all and the most severe action wins\n",
             args.pid, filters.size(), filters.size() == 1 ? "" : "s");
  for (std::size_t i = 0; i < filters.size(); ++i) {
    const kernel::LiveFilter& f = filters[i];
    std::string saved;
    if (!args.save_dir.empty()) {
      const std::filesystem::path file = std::filesystem::path(args.save_dir) / fmt::format("filter-{}.bpf", i + 1);
      bpf::write_raw_file(f.program, file);
      saved = fmt::format(", saved as {}", file.string());
    }
    fmt::print("\n# filter {} of {}{}: {} instructions{}{}\n", i + 1, filters.size(),
               i == 0 ? " (newest)" : i + 1 == filters.size() ? " (oldest)" : "", f.program.size(),
               f.log ? ", flag LOG" : "", saved);
    fmt::print("{}", bpf::disassemble(f.program, options));
  }
  return kExitOk;
}

int run_disasm(const DisasmArgs& args) {
  bpf::DisasmOptions options;
  if (!args.arch.empty()) options.arch = parse_arch_or_throw(args.arch);
  options.raw_fields = !args.no_raw;
  if (args.pid != 0 && !args.file.empty()) throw InputError("give FILE or --pid PID, not both");
  if (args.pid != 0) return disasm_process(args, options);
  if (!args.save_dir.empty()) throw InputError("--save needs --pid");
  if (args.file.empty()) throw InputError("no filter: give FILE (`-` for standard input) or --pid PID");
  const bpf::Program program = bpf::read_raw_input(args.file);
  const std::string where = args.file == "-" ? "stdin" : args.file;
  if (auto err = bpf::verify(program)) {
    // An invalid program is an error unless asked otherwise: what it would
    // do is moot, the kernel refuses to load it.
    if (!args.force) throw InputError(fmt::format("{}: {}", where, err->to_string()));
    fmt::print(stderr, "seccage: warning: {}: {} (the kernel would refuse this program)\n", where, err->to_string());
  }
  fmt::print("{}", bpf::disassemble(program, options));
  return kExitOk;
}

const CommandRegistration kRegistration{
    "disasm", "Disassemble a raw BPF filter (struct sock_filter array), or every filter of a process",
    [](CLI::App& sub) {
      auto args = std::make_shared<DisasmArgs>();
      sub.add_option("FILE", args->file, "raw filter file (`-` for standard input)");
      sub.add_option("--pid", args->pid,
                     "read the filters of this running process instead (needs root: CAP_SYS_ADMIN and ptrace)");
      sub.add_option("--save", args->save_dir, "with --pid: also write each filter to DIR/filter-N.bpf");
      sub.add_option("--arch", args->arch,
                     "arch for naming syscalls and argument halves (default: inferred from the filter's arch checks)");
      sub.add_flag("--no-raw", args->no_raw, "omit the code/jt/jf/k columns");
      sub.add_flag("--force", args->force, "disassemble even a program the kernel would refuse");
      return [args] { return run_disasm(*args); };
    }};

}  // namespace
}  // namespace disasm_command
}  // namespace seccage::cli
