// seccage compile: a profile or preset -> a verified BPF program, written as
// raw BPF, a C array or a disassembly, with optional run-time statistics.
#include <unistd.h>

#include <iostream>
#include <memory>

#include <fmt/core.h>

#include "command.hpp"
#include "policy_input.hpp"
#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
#include "seccage/stats.hpp"
#include "util/atomic_file.hpp"

namespace seccage::cli {
namespace {

struct Options {
  PolicyInput input;
  std::string output;
  std::string format;
  bool stats = false;
};

std::string as_c(const bpf::Program& p, const std::string& source) {
  std::string out = fmt::format(
      "/* seccomp-BPF filter compiled by seccage {} from {}: {} instructions.\n"
      " * Install with prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) and then\n"
      " * prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &seccage_fprog). */\n"
      "#include <linux/filter.h>\n\n"
      "static struct sock_filter seccage_filter[] = {{\n",
      "0.1.0", source, p.size());
  for (const bpf::Insn& i : p) out += fmt::format("\t{{ 0x{:02x}, {}, {}, 0x{:08x} }},\n", i.code, i.jt, i.jf, i.k);
  out += "};\n\nstatic struct sock_fprog seccage_fprog = {\n"
         "\t.len = sizeof(seccage_filter) / sizeof(seccage_filter[0]),\n"
         "\t.filter = seccage_filter,\n};\n";
  return out;
}

int run(const Options& o) {
  LoadedPolicy loaded = load_policy(o.input);
  for (const std::string& w : loaded.warnings) fmt::print(stderr, "seccage: warning: {}\n", w);
  const bpf::Program program = compile(loaded.policy);

  std::string format = o.format;
  if (format.empty()) format = o.output.empty() ? "disasm" : "raw";
  std::string text;
  if (format == "raw") {
    if (o.output.empty() && ::isatty(STDOUT_FILENO))
      throw InputError("refusing to write binary BPF to a terminal; use -o FILE or --format disasm");
    const std::vector<std::byte> bytes = bpf::to_raw(program);
    text.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  } else if (format == "c") {
    text = as_c(program, loaded.source);
  } else if (format == "disasm") {
    bpf::DisasmOptions d;
    const std::vector<Arch> arches = loaded.policy.effective_arches();
    if (arches.size() == 1) d.arch = arches.front();
    text = bpf::disassemble(program, d);
  } else {
    throw InputError(fmt::format("unknown --format '{}': use raw, c or disasm", format));
  }

  if (o.output.empty() || o.output == "-") std::cout << text << std::flush;
  else write_file_atomically(o.output, text);

  if (o.stats) {
    const std::vector<Arch> arches = loaded.policy.effective_arches();
    const std::string stats = measure_program(program, arches).to_text();
    // Keep stdout clean for the program itself when it goes there.
    if (o.output.empty() || o.output == "-") std::cerr << stats;
    else std::cout << stats;
  }
  return kExitOk;
}

const CommandRegistration registration{
    "compile", "Compile a profile or preset into a seccomp-BPF program", [](CLI::App& sub) {
      auto o = std::make_shared<Options>();
      sub.add_option("profile", o->input.profile, "OCI/Docker/Podman JSON profile (- for stdin)");
      add_policy_options(sub, o->input);
      sub.add_option("-o,--output", o->output, "write here (atomically) instead of stdout; default format raw");
      sub.add_option("--format", o->format, "raw, c or disasm (default: raw with -o, disasm without)")
          ->check(CLI::IsMember({"raw", "c", "disasm"}));
      sub.add_flag("--stats", o->stats,
                   "print program length and, per arch, instructions executed (min/mean/max over every known "
                   "syscall, max over argument checks) and how many allowed syscalls the kernel caches");
      sub.footer("Example: seccage compile docker-default.json --arch x86_64 -o docker.bpf --stats");
      return [o] { return run(*o); };
    }};

}  // namespace
}  // namespace seccage::cli
