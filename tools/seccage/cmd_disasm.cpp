// seccage disasm: print a raw BPF filter as readable lines.
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/core.h>

#include "seccage/bpf.hpp"
#include "command.hpp"
#include "seccage/arch.hpp"
#include "seccage/bpf.hpp"
#include "seccage/error.hpp"

namespace seccage::cli {
namespace disasm_command {  // one per command: tools/seccage is built as one unity source
namespace {

struct DisasmArgs {
  std::string file;
  std::string arch;
  bool no_raw = false;
  bool force = false;
};

int run_disasm(const DisasmArgs& args) {
  bpf::DisasmOptions options;
  if (!args.arch.empty()) options.arch = parse_arch_or_throw(args.arch);
  options.raw_fields = !args.no_raw;
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
    "disasm", "Disassemble a raw BPF filter (struct sock_filter array)", [](CLI::App& sub) {
      auto args = std::make_shared<DisasmArgs>();
      sub.add_option("FILE", args->file, "raw filter file (`-` for standard input)")->required();
      sub.add_option("--arch", args->arch,
                     "arch for naming syscalls and argument halves (default: inferred from the filter's arch checks)");
      sub.add_flag("--no-raw", args->no_raw, "omit the code/jt/jf/k columns");
      sub.add_flag("--force", args->force, "disassemble even a program the kernel would refuse");
      return [args] { return run_disasm(*args); };
    }};

}  // namespace
}  // namespace disasm_command
}  // namespace seccage::cli
