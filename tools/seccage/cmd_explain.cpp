// seccage explain: read a raw BPF filter, or the filters of a running process
// (together, or one), back as a policy that says what each syscall gets
// (lift_filters).
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "live_process.hpp"
#include "seccage/arch.hpp"
#include "seccage/bpf.hpp"
#include "seccage/error.hpp"
#include "seccage/lift.hpp"
#include "seccage/policy_text.hpp"
#include "seccage/writers.hpp"

namespace seccage::cli {
namespace explain_command {  // one per command: tools/seccage is built as one unity source
namespace {

struct ExplainArgs {
  std::string file;
  int pid = 0;
  int filter = 0;  // 1-based, newest first, as `disasm --pid` numbers them
  std::vector<std::string> arches;
  std::string format = "text";
  bool json = false;
};

struct Source {
  std::vector<bpf::Program> stack;  // newest first; one for a file
  std::string name;                 // "f.bpf", "filter 2 of pid 1234", "the 3 filters of pid 1234"
  std::size_t instructions() const {
    std::size_t n = 0;
    for (const bpf::Program& p : stack) n += p.size();
    return n;
  }
};

Source read_source(const ExplainArgs& args) {
  if (args.pid != 0 && !args.file.empty()) throw InputError("give FILE or --pid PID, not both");
  if (args.pid == 0) {
    if (args.filter != 0) throw InputError("--filter needs --pid");
    if (args.file.empty()) throw InputError("no filter: give FILE (`-` for standard input) or --pid PID");
    return {{bpf::read_raw_input(args.file)}, args.file == "-" ? "stdin" : args.file};
  }
  std::vector<bpf::Program> filters = process_filter_programs(args.pid);
  if (args.filter == 0) {
    // All of them, as the kernel runs them: what the process may do.
    const std::size_t n = filters.size();
    return {std::move(filters), n == 1 ? fmt::format("the filter of pid {}", args.pid)
                                       : fmt::format("the {} filters of pid {} together", n, args.pid)};
  }
  if (args.filter < 1 || static_cast<std::size_t>(args.filter) > filters.size())
    throw InputError(fmt::format("--filter {}: pid {} has {} filter{}", args.filter, args.pid, filters.size(),
                                 filters.size() == 1 ? "" : "s"));
  return {{filters[static_cast<std::size_t>(args.filter) - 1]},
          fmt::format("filter {} of {} of pid {}", args.filter, filters.size(), args.pid)};
}

std::string arch_list(const std::vector<Arch>& arches) {
  std::string out;
  for (Arch a : arches) out += (out.empty() ? "" : ", ") + std::string(arch_name(a));
  return out;
}

nlohmann::json policy_json(const Policy& p) {
  nlohmann::json rules = nlohmann::json::array();
  for (const Rule& r : p.rules) {
    nlohmann::json conditions = nlohmann::json::array();
    for (const Condition& c : r.conditions) {
      std::string text = c.to_string();
      if (c.width == ArgWidth::U32) text += " (low 32 bits)";
      conditions.push_back(text);
    }
    rules.push_back({{"syscall", to_string(r.syscall)}, {"action", r.action.to_string()}, {"conditions", conditions}});
  }
  nlohmann::json arches = nlohmann::json::array();
  for (Arch a : p.effective_arches()) arches.push_back(std::string(arch_name(a)));
  return {{"arches", arches},
          {"default", p.default_action.to_string()},
          {"unknown_numbers", p.enosys_for_unknown ? "ERRNO(38)" : p.default_action.to_string()},
          {"foreign_arch", p.bad_arch_action.to_string()},
          {"rules", rules},
          {"text", write_text_policy(p)}};
}

int run_explain(const ExplainArgs& args) {
  if (args.format != "text" && args.format != "oci")
    throw InputError(fmt::format("--format {}: expected text or oci", args.format));
  std::vector<Arch> arches;
  for (const std::string& a : args.arches) arches.push_back(parse_arch_or_throw(a));
  const Source source = read_source(args);
  LiftedFilter lifted;
  try {
    lifted = lift_filters(source.stack, arches);
  } catch (const InputError& e) {
    throw InputError(fmt::format("{}: {}", source.name, e.what()));
  }
  if (args.json) {
    nlohmann::json j;
    j["source"] = source.name;
    j["filters"] = source.stack.size();
    j["instructions"] = source.instructions();
    j["arches"] = nlohmann::json::array();
    for (Arch a : lifted.arches) j["arches"].push_back(std::string(arch_name(a)));
    j["policies"] = nlohmann::json::array();
    for (const Policy& p : lifted.policies) j["policies"].push_back(policy_json(p));
    fmt::print("{}\n", j.dump(2));
    return kExitOk;
  }
  if (args.format == "oci") {
    if (lifted.policies.size() > 1) {
      throw InputError(fmt::format(
          "{}: its arches ({}) decide differently by name, so they need one policy each, and an OCI profile holds "
          "one: choose one with --arch",
          source.name, arch_list(lifted.arches)));
    }
    std::vector<std::string> warnings;
    fmt::print("{}", write_oci_json(lifted.policies.front(), {}, &warnings));
    for (const std::string& w : warnings) fmt::print(stderr, "seccage: warning: {}\n", w);
    return kExitOk;
  }
  for (std::size_t i = 0; i < lifted.policies.size(); ++i) {
    const Policy& p = lifted.policies[i];
    TextWriteOptions options;
    options.header = fmt::format(
        "read back from {} ({} instructions){}: compiled, this decides as the filter does on {} (checked call by "
        "call, as `seccage diff` does)",
        source.name, source.instructions(),
        lifted.policies.size() > 1 ? fmt::format(", policy {} of {} (its arches decide differently by name)", i + 1,
                                                 lifted.policies.size())
                                   : "",
        arch_list(p.effective_arches()));
    fmt::print("{}{}", i == 0 ? "" : "\n", write_text_policy(p, options));
  }
  return kExitOk;
}

const CommandRegistration kRegistration{
    "explain",
    "Read a raw BPF filter (or a process's filter) back as a policy: what each syscall gets, with its argument "
    "conditions",
    [](CLI::App& sub) {
      auto args = std::make_shared<ExplainArgs>();
      sub.add_option("FILE", args->file, "raw filter file (`-` for standard input), as `compile -o`, "
                                         "seccomp_export_bpf or `disasm --pid --save` write it");
      sub.add_option("--pid", args->pid,
                     "read the filters of this running process instead, together as the kernel runs them (needs "
                     "root: CAP_SYS_ADMIN and ptrace)");
      sub.add_option("--filter", args->filter, "with --pid: only this filter, 1 = the newest (as `disasm --pid` numbers them)");
      sub.add_option("--arch", args->arches,
                     "read only this arch (repeatable; default: every arch the filter handles)");
      sub.add_option("--format", args->format, "text (the policy language, default) or oci (one policy only)");
      sub.add_flag("--json", args->json, "print the policies as JSON: arches, default, rules with their conditions, and the text");
      sub.footer(
          "The policy is checked before it is printed: compiled again, it decides as the filter does for every "
          "syscall of its arches, with the argument values the filter tests. A filter that does what a policy cannot "
          "say (arithmetic on an argument, a test of the instruction pointer) is an error naming the instruction.\n"
          "Example: seccage explain docker.bpf\n"
          "         seccage explain --pid 1234 --filter 1 --format oci");
      return [args] { return run_explain(*args); };
    }};

}  // namespace
}  // namespace explain_command
}  // namespace seccage::cli
