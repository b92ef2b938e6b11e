// seccage emu: run a raw BPF filter on one syscall and print its action.
#include <charconv>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "seccage/arch.hpp"
#include "seccage/bpf.hpp"
#include "seccage/error.hpp"
#include "seccage/integer.hpp"
#include "live_process.hpp"

namespace seccage::cli {
namespace emu_command {  // one per command: tools/seccage is built as one unity source
namespace {

struct EmuArgs {
  std::string file;
  std::string arch;
  std::string syscall;
  std::string args;
  std::string ip;
  bool json = false;
  bool verbose = false;
  int pid = 0;
};

// The shared integer lexer (seccage/integer.hpp): decimal, 0x hex, 0b
// binary, octal, or negative (64-bit two's complement, as a negative int or
// long reaches seccomp_data.args).
std::uint64_t parse_u64(std::string_view text, std::string_view what) {
  if (auto value = parse_integer(text)) return *value;
  throw InputError(fmt::format("{}: '{}' is not a 64-bit number (decimal, 0x hex, 0b binary, 0 or 0o octal, or a "
                               "negative value)",
                               what, text));
}

bpf::SeccompData build_data(const EmuArgs& args, Arch arch) {
  bpf::SeccompData data;
  data.arch = arch_info(arch).audit_arch;
  data.nr = static_cast<std::int32_t>(resolve_syscall(arch, args.syscall));
  if (!args.args.empty()) {
    std::size_t index = 0;
    std::string_view rest = args.args;
    for (;;) {
      const auto comma = rest.find(',');
      const std::string_view item = rest.substr(0, comma);
      if (index >= data.args.size()) throw InputError("--args: a syscall has at most 6 arguments");
      data.args[index] = parse_u64(item, fmt::format("--args item {}", index + 1));
      ++index;
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (!args.ip.empty()) data.instruction_pointer = parse_u64(args.ip, "--ip");
  return data;
}

// A live process's filters, all run as the kernel runs them: newest first,
// and the most severe action wins (on a tie, the newer filter's: the kernel
// replaces its answer only by a strictly more severe one).
int emu_process(const EmuArgs& args, Arch arch, const bpf::SeccompData& data) {
  if (args.verbose) throw InputError("--verbose: with --pid, save the filters (disasm --pid --save) and run emu -v on one");
  const std::vector<bpf::Program> filters = process_filter_programs(args.pid);
  const bool le = arch_info(arch).little_endian;
  std::vector<bpf::EmuResult> results;
  std::size_t decides = 0;
  for (std::size_t i = 0; i < filters.size(); ++i) {
    results.push_back(bpf::emulate(filters[i], data, le));
    if (results[i].action.outranks(results[decides].action)) decides = i;
  }
  const Action action = results[decides].action;
  if (args.json) {
    nlohmann::json j;
    j["action"] = action.to_string();
    j["description"] = action.describe();
    j["deciding_filter"] = decides + 1;
    j["arch"] = std::string(arch_name(arch));
    j["nr"] = data.nr;
    j["filters"] = nlohmann::json::array();
    for (const bpf::EmuResult& r : results)
      j["filters"].push_back({{"action", r.action.to_string()}, {"ret", r.ret}, {"instructions", r.executed}});
    fmt::print("{}\n", j.dump(2));
    return kExitOk;
  }
  fmt::print("{}\n", action.describe());
  for (std::size_t i = 0; i < results.size(); ++i)
    fmt::print("filter {}{}: {}, {} instructions{}\n", i + 1, i == 0 ? " (newest)" : "", results[i].action.describe(),
               results[i].executed, i == decides ? "  <- decides" : "");
  return kExitOk;
}

int run_emu(const EmuArgs& args) {
  const Arch arch = args.arch.empty() ? native_arch() : parse_arch_or_throw(args.arch);
  const bpf::SeccompData data = build_data(args, arch);
  if (args.pid != 0 && !args.file.empty()) throw InputError("give FILE or --pid PID, not both");
  if (args.pid != 0) return emu_process(args, arch, data);
  if (args.file.empty()) throw InputError("no filter: give FILE (`-` for standard input) or --pid PID");
  const bpf::Program program = bpf::read_raw_input(args.file);
  const std::string where = args.file == "-" ? "stdin" : args.file;
  if (auto err = bpf::verify(program)) throw InputError(fmt::format("{}: {}", where, err->to_string()));
  const bool le = arch_info(arch).little_endian;
  const bpf::EmuResult r = bpf::emulate(program, data, le);

  bpf::DisasmOptions options;
  options.arch = arch;
  if (args.json) {
    nlohmann::json j;
    j["action"] = r.action.to_string();
    j["description"] = r.action.describe();
    j["ret"] = r.ret;
    j["arch"] = std::string(arch_name(arch));
    j["nr"] = data.nr;
    if (auto name = syscall_name(arch, static_cast<std::uint32_t>(data.nr))) j["syscall"] = std::string(*name);
    j["instructions"] = r.executed;
    j["path"] = r.path;
    j["cacheable"] = r.cacheable;
    j["read"] = {{"nr", r.read_nr}, {"arch", r.read_arch}, {"instruction_pointer", r.read_ip}, {"args", r.read_args}};
    if (args.verbose) {
      auto lines = nlohmann::json::array();
      for (auto pc : r.path) lines.push_back(bpf::describe_insn(program, pc, options));
      j["disassembly"] = lines;
    }
    fmt::print("{}\n", j.dump(2));
    return kExitOk;
  }
  fmt::print("{}\n", r.action.describe());
  fmt::print("instructions: {}\n", r.executed);
  if (args.verbose) {
    for (auto pc : r.path) fmt::print("{}\n", bpf::describe_insn(program, pc, options));
    fmt::print("cacheable: {}\n", r.cacheable ? "yes" : "no");
  }
  return kExitOk;
}

const CommandRegistration kRegistration{
    "emu", "Run a raw BPF filter (or a process's filters) on one syscall and print the action", [](CLI::App& sub) {
      auto args = std::make_shared<EmuArgs>();
      sub.add_option("FILE", args->file, "raw filter file (`-` for standard input)");
      sub.add_option("--pid", args->pid,
                     "run the filters of this running process instead, as the kernel does (needs root)");
      sub.add_option("--arch", args->arch, "arch of the syscall (default: this machine's)");
      sub.add_option("--syscall", args->syscall, "syscall name or number")->required();
      sub.add_option("--args", args->args,
                     "arguments, comma-separated: decimal, 0x hex or negative (write --args=-1,2 for a leading minus)");
      sub.add_option("--ip", args->ip, "instruction pointer");
      sub.add_flag("--json", args->json, "print the result as JSON");
      sub.add_flag("-v,--verbose", args->verbose,
                   "also print the path taken (disassembled) and whether the kernel's action cache covers it");
      return [args] { return run_emu(*args); };
    }};

}  // namespace
}  // namespace emu_command
}  // namespace seccage::cli
