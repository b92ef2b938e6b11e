// seccage compile: a profile or preset -> a verified BPF program, written as
// raw BPF, a C array, base64 or a disassembly, or the policy itself written
// back as resolved OCI JSON, Security Profiles Operator YAML or a Graphviz
// picture; with optional run-time statistics.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <memory>

#include <fmt/core.h>

#include "command.hpp"
#include "policy_input.hpp"
#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
#include "seccage/formats.hpp"
#include "seccage/learn.hpp"
#include "seccage/policy_text.hpp"
#include "seccage/stats.hpp"
#include "seccage/writers.hpp"
#include "seccage/atomic_file.hpp"

namespace seccage::cli {
namespace compile_command {  // one per command: tools/seccage is built as one unity source
namespace {

// The --input-format word for each format.
std::string_view input_format_name(PolicyFormat format) {
  switch (format) {
    case PolicyFormat::Text: return "text";
    case PolicyFormat::OciJson: return "json";
    case PolicyFormat::SpoYaml: return "spo";
    case PolicyFormat::Minijail: return "minijail";
    case PolicyFormat::Lxc: return "lxc";
  }
  return "?";
}

struct Options {
  PolicyInput input;
  std::string output;
  std::string format;
  std::string input_format;  // "" or input_format_name() of the format the file must have
  std::string name;          // SPO metadata.name
  std::string k8s_namespace; // SPO metadata.namespace
  std::string spo_version;   // SPO apiVersion's version: v1 (default) or v1beta1
  bool stats = false;
  std::string frequencies;   // a `seccage learn --counts` file
};

// Everything that can fail happens before the output is opened: a bad
// profile or an inexpressible policy leaves nothing at the output path.
std::string render(const Options& o, const LoadedPolicy& loaded, const bpf::Program& program,
                   const std::string& format, std::vector<std::string>& warnings) {
  if (format == "raw") {
    if (o.output.empty() && ::isatty(STDOUT_FILENO))
      throw InputError("refusing to write binary BPF to a terminal; use -o FILE or --format disasm");
    return write_raw_program(program);
  }
  if (format == "c") return write_c_header(program, loaded.source);
  if (format == "base64") return write_base64_program(program);
  if (format == "disasm") {
    bpf::DisasmOptions d;
    const std::vector<Arch> arches = loaded.policy.effective_arches();
    if (arches.size() == 1) d.arch = arches.front();
    return bpf::disassemble(program, d);
  }
  if (format == "oci") return write_oci_json(loaded.policy, OciWriteOptions{}, &warnings);
  if (format == "spo") {
    SpoWriteOptions spo;
    if (!o.name.empty()) spo.name = o.name;
    spo.namespace_ = o.k8s_namespace;
    if (!o.spo_version.empty()) spo.api_version = "security-profiles-operator.x-k8s.io/" + o.spo_version;
    return write_spo_yaml(loaded.policy, spo, &warnings);
  }
  if (format == "dot") return write_dot(loaded.policy, loaded.source);
  if (format == "text") return write_text_policy(loaded.policy, TextWriteOptions{"from " + loaded.source});
  throw InputError(fmt::format("unknown --format '{}': use raw, c, base64, disasm, oci, spo, text or dot", format));
}

int run(const Options& o) {
  // The format is detected from the content; an explicit --input-format
  // only guards against feeding one format for another.
  if (!o.input_format.empty() && !o.input.profile.empty() && o.input.profile != "-") {
    std::ifstream in(o.input.profile, std::ios::binary);
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    const PolicyFormat found = detect_policy_format(head);
    if (!head.empty() && input_format_name(found) != o.input_format)
      throw InputError(fmt::format("--input-format {}: '{}' reads as {} (docs/formats.md, \"Detection\")", o.input_format,
                                   o.input.profile, policy_format_name(found)));
  }
  LoadedPolicy loaded = load_policy(o.input);
  for (const std::string& w : loaded.warnings) fmt::print(stderr, "seccage: warning: {}\n", w);
  std::vector<RefusedRule> refused;
  CompileOptions options;
  std::vector<learn::RecordedCount> counts;
  const std::vector<Arch> policy_arches = loaded.policy.effective_arches();
  if (!o.frequencies.empty()) {
    counts = learn::parse_counts_json(read_profile_text(o.frequencies));
    options.frequency = learn::frequencies_for(counts, policy_arches);
  }
  const bpf::Program program = compile(loaded.policy, options, &refused);
  // A rule libseccomp would refuse has no effect in the program (as it would
  // have none in libseccomp's): say so rather than drop it silently.
  for (const RefusedRule& r : refused) {
    const std::string where = rule_origin(loaded.policy.rules[static_cast<std::size_t>(r.rule)], static_cast<std::size_t>(r.rule));
    fmt::print(stderr, "seccage: warning: {} has no effect: {}, so libseccomp refuses it; `seccage check` lists such rules\n",
               where, r.reason);
  }

  std::string format = o.format;
  if (format.empty()) format = o.output.empty() ? "disasm" : "raw";
  if ((!o.name.empty() || !o.k8s_namespace.empty()) && format != "spo")
    throw InputError("--name and --namespace apply to --format spo only");
  std::vector<std::string> warnings;
  const std::string text = render(o, loaded, program, format, warnings);
  for (const std::string& w : warnings) fmt::print(stderr, "seccage: warning: {}\n", w);

  if (o.output.empty() || o.output == "-") std::cout << text << std::flush;
  else write_file_atomically(o.output, text);

  if (o.stats) {
    const std::vector<Arch> arches = loaded.policy.effective_arches();
    std::string stats = measure_program(program, arches).to_text();
    if (!counts.empty()) {
      // What the counts bought: instructions per recorded call, with the
      // tree shaped by them and without (issue 14, docs/learn.md).
      const double with = learn::mean_instructions_per_call(program, counts, policy_arches);
      const double without = learn::mean_instructions_per_call(compile(loaded.policy), counts, policy_arches);
      stats += fmt::format("per recorded call of {}: mean {:.2f} instructions with --frequencies, {:.2f} without "
                           "(calls the kernel's cache answers count 0)\n", o.frequencies, with, without);
    }
    // Keep stdout clean for the program itself when it goes there.
    if (o.output.empty() || o.output == "-") std::cerr << stats;
    else std::cout << stats;
  }
  return kExitOk;
}

const CommandRegistration registration{
    "compile", "Compile a profile or preset into a seccomp-BPF program", [](CLI::App& sub) {
      auto o = std::make_shared<Options>();
      sub.add_option("profile", o->input.profile,
                     "policy file (- for stdin): text, OCI/Docker/Podman JSON, SPO YAML, minijail or LXC, detected "
                     "from the content (docs/formats.md)");
      add_policy_options(sub, o->input);
      sub.add_option("-o,--output", o->output, "write here (atomically) instead of stdout; default format raw");
      sub.add_option("--format", o->format,
                     "raw (sock_filter bytes), c (header), base64 (of raw, one line: crun's "
                     "run.oci.seccomp_bpf_data), disasm, oci (resolved OCI JSON for runc/crun/containerd/CRI-O), "
                     "spo (Security Profiles Operator SeccompProfile YAML), text (the policy language, canonical) or dot (Graphviz picture of the "
                     "decisions). Default: raw with -o, disasm without")
          ->check(CLI::IsMember({"raw", "c", "base64", "disasm", "oci", "spo", "text", "dot"}));
      sub.add_option("--input-format", o->input_format,
                     "text, json, spo, minijail or lxc: refuse a file that reads as another format (the format is "
                     "always detected from the content; docs/formats.md)")
          ->check(CLI::IsMember({"text", "json", "spo", "minijail", "lxc"}));
      sub.add_option("--name", o->name, "--format spo: metadata.name (default seccage-profile)");
      sub.add_option("--namespace", o->k8s_namespace,
                     "--format spo: metadata.namespace (default: none; the v1 SeccompProfile is cluster-scoped)");
      sub.add_option("--spo-version", o->spo_version, "--format spo: apiVersion v1 (default) or v1beta1")
          ->check(CLI::IsMember({"v1", "v1beta1"}));
      sub.add_flag("--stats", o->stats,
                   "print program length and, per arch, instructions executed (min/mean/max over every known "
                   "syscall, max over argument checks) and how many allowed syscalls the kernel caches");
      sub.add_option("--frequencies", o->frequencies,
                     "a `seccage learn --counts` file: shape the syscall search so the recorded calls that run the "
                     "filter (argument-checked, denied, logged, notified) take fewer instructions");
      sub.footer("Examples: seccage compile docker-default.json --arch x86_64 -o docker.bpf --stats\n"
                 "          seccage compile app.json --arch x86_64 --arch aarch64 --format spo --name app -o app.yaml");
      return [o] { return run(*o); };
    }};

}  // namespace
}  // namespace compile_command
}  // namespace seccage::cli
