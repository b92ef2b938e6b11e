#include "pfc.hpp"

#include <fmt/format.h>

#include "actions.hpp"
#include "policy_build.hpp"

namespace seccage::compat {

namespace {

void rules_text(std::string& out, const Policy& policy) {
  out += fmt::format("# rules ({}):\n", policy.rules.size());
  for (const Rule& r : policy.rules) {
    out += fmt::format("#   {} {}", r.action.to_string(), to_string(r.syscall));
    const char* sep = " if ";
    for (const Condition& c : r.conditions) {
      out += sep + c.to_string();
      sep = " && ";
    }
    out += "\n";
  }
}

}  // namespace

std::string pfc_text(const FilterContext& ctx) {
  const FilterState& s = ctx.state;
  const Policy policy = to_policy(s, s.rules);
  std::string out = "#\n# pseudo filter code start (seccage-compat)\n#\n";
  out += "# arches:";
  for (Arch a : s.arches) out += fmt::format(" {}", arch_name(a));
  out += fmt::format("\n# default action: {}\n# bad arch action: {}\n", policy.default_action.to_string(),
                     policy.bad_arch_action.to_string());
  out += fmt::format("# multiplexed calls (socketcall, ipc): {}\n",
                     policy.multiplex == MultiplexMode::Safe ? "safe" : "compatible");
  rules_text(out, policy);
  // Merged filters (seccomp_merge): each group of arches has its own rules.
  for (const FilterState& group : s.merged) {
    out += "# merged arches:";
    for (Arch a : group.arches) out += fmt::format(" {}", arch_name(a));
    out += "\n";
    rules_text(out, to_policy(group, group.rules));
  }
  const bpf::Program& program = *ctx.program;
  out += fmt::format("#\n# program: {} instructions\n", program.size());
  bpf::DisasmOptions options;
  options.raw_fields = false;
  if (s.arches.size() == 1 && s.merged.empty()) options.arch = s.arches[0];
  out += bpf::disassemble(program, options);
  out += "#\n# pseudo filter code end\n#\n";
  return out;
}

}  // namespace seccage::compat
