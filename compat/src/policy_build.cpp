#include "policy_build.hpp"

#include <cstdlib>
#include <string_view>

#include "actions.hpp"
#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
// Internal to libseccage (not under include/): which rules libseccomp would
// refuse. docs/compat.md asks for it to become public API.
#include "seccage/policy.hpp"

namespace seccage::compat {

MultiplexMode multiplex_mode() {
  const char* mode = std::getenv("SECCAGE_COMPAT_MULTIPLEX");
  if (mode != nullptr && std::string_view(mode) == "compatible") return MultiplexMode::Compatible;
  return MultiplexMode::Safe;
}

namespace {

bool applies_somewhere(const Rule& rule, const std::vector<Arch>& arches) {
  const auto* name = std::get_if<std::string>(&rule.syscall);
  if (name == nullptr) return true;
  for (Arch arch : arches) {
    if (syscall_number(arch, *name)) return true;
  }
  return false;
}

}  // namespace

Policy to_policy(const FilterState& state, const std::vector<Rule>& rules, std::vector<std::size_t>* kept) {
  Policy policy;
  // Both were checked when set: action_from_scmp cannot fail here.
  policy.default_action = *action_from_scmp(state.attrs.act_default);
  policy.bad_arch_action = *action_from_scmp(state.attrs.act_badarch);
  policy.arches = state.arches;
  // libseccomp gives numbers outside the tables the default action; so does
  // the drop-in (seccage's own forms answer ENOSYS there, docs/semantics.md).
  policy.enosys_for_unknown = false;
  policy.multiplex = multiplex_mode();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (!applies_somewhere(rules[i], state.arches)) continue;
    policy.rules.push_back(rules[i]);
    if (kept) kept->push_back(i);
  }
  return policy;
}

std::optional<std::size_t> first_refused(const FilterState& state, const std::vector<Rule>& rules) {
  std::vector<std::size_t> kept;
  Policy policy = to_policy(state, rules, &kept);
  std::optional<std::size_t> first;
  for (MultiplexMode mode : {MultiplexMode::Compatible, policy.multiplex}) {
    policy.multiplex = mode;
    for (const RefusedRule& r : refused_rules(policy)) {
      const std::size_t index = kept[static_cast<std::size_t>(r.rule)];
      if (!first || index < *first) first = index;
    }
  }
  return first;
}

const bpf::Program& built_program(FilterContext& ctx) {
  if (!ctx.program) {
    if (ctx.state.arches.empty()) throw InputError("the filter has no architecture");
    const Policy policy = to_policy(ctx.state, ctx.state.rules);
    // Every rule was checked when it (or an arch) was added; a refusal here
    // would mean the compiler drops a rule the caller counts on.
    if (ctx.state.may_conflict && first_refused(ctx.state, ctx.state.rules)) {
      throw InputError("a rule of the filter conflicts with another");
    }
    ctx.program = compile(policy);
  }
  return *ctx.program;
}

}  // namespace seccage::compat
