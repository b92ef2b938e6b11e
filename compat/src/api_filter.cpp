// The filter's life and settings: seccomp_init/reset/release/merge, the arch
// list, attributes, priorities and transactions.
#include <seccomp.h>

#include <algorithm>
#include <cerrno>

#include "actions.hpp"
#include "api_level.hpp"
#include "arch_tokens.hpp"
#include "context.hpp"
#include "errors.hpp"
#include "policy_build.hpp"
#include "syscall_names.hpp"

namespace seccage::compat {

std::vector<Arch> all_arches_of(const FilterState& state) {
  std::vector<Arch> out = state.arches;
  for (const FilterState& group : state.merged) out.insert(out.end(), group.arches.begin(), group.arches.end());
  return out;
}

FilterContext* context_of(void* handle) {
  auto* ctx = static_cast<FilterContext*>(handle);
  if (ctx == nullptr || ctx->magic != FilterContext::kMagic) return nullptr;
  return ctx;
}

FilterContext* filter_of(void* handle) {
  FilterContext* ctx = context_of(handle);
  if (ctx == nullptr || (ctx->state.arches.empty() && ctx->state.merged.empty())) return nullptr;
  return ctx;
}

// Whether this kernel (as the API level says) can carry out the action:
// libseccomp refuses an action the kernel lacks when the rule is added.
bool action_available(std::uint32_t value) {
  if (!action_from_scmp(value)) return false;
  switch (value & 0xffff0000u) {
    case 0x80000000u:
    case 0x7ffc0000u: return api_level() >= 3;
    case 0x7fc00000u: return api_level() >= 5;
    default: return true;
  }
}

void before_arch_change(FilterContext& ctx) {
  if (ctx.rule_accepted && !ctx.as_of_accepted_rule) ctx.as_of_accepted_rule = ctx.state;
}

namespace {

// Forgets libseccomp's copy from the last accepted rule: after a reset, or
// a user transaction, which this model does not follow into libseccomp's
// nested snapshots (a later refusal then changes only the refused rule).
void forget_accepted_rule(FilterContext& ctx) {
  ctx.rule_accepted = false;
  ctx.as_of_accepted_rule.reset();
}

FilterState fresh_state(std::uint32_t def_action) {
  FilterState state;
  state.attrs.act_default = def_action;
  state.arches = {native_arch()};
  return state;
}

void changed(FilterContext& ctx) { ctx.program.reset(); }

}  // namespace
}  // namespace seccage::compat

using namespace seccage;
using namespace seccage::compat;

extern "C" {

scmp_filter_ctx seccomp_init(uint32_t def_action) {
  if (!action_available(def_action)) return nullptr;
  try {
    auto* ctx = new FilterContext;
    ctx->state = fresh_state(def_action);
    return ctx;
  } catch (...) {
    return nullptr;
  }
}

int seccomp_reset(scmp_filter_ctx handle, uint32_t def_action) {
  if (handle == nullptr) {  // libseccomp: reset the library's own state
    reprobe_api_level();
    return 0;
  }
  FilterContext* ctx = context_of(handle);
  if (ctx == nullptr || !action_available(def_action)) return -EINVAL;
  return guarded([&] {
    ctx->state = fresh_state(def_action);
    ctx->transactions.clear();
    forget_accepted_rule(*ctx);
    changed(*ctx);
    return 0;
  });
}

void seccomp_release(scmp_filter_ctx handle) {
  FilterContext* ctx = context_of(handle);
  if (ctx == nullptr) return;
  ctx->magic = 0;  // a later use of the stale handle is -EINVAL, not a crash (while the memory is not reused)
  delete ctx;
}

// As libseccomp: the default action, NNP and TSYNC must be the same (the other
// attributes are dst's afterwards), neither filter may be without arches, the
// arches must have one byte order and none may be in both. Each arch keeps
// its own rules: src's become groups of dst (FilterState::merged).
int seccomp_merge(scmp_filter_ctx dst_handle, scmp_filter_ctx src_handle) {
  FilterContext* dst = context_of(dst_handle);
  FilterContext* src = context_of(src_handle);
  if (dst == nullptr || src == nullptr) return -EINVAL;
  const Attributes& da = dst->state.attrs;
  const Attributes& sa = src->state.attrs;
  if (da.act_default != sa.act_default || da.nnp != sa.nnp || da.tsync != sa.tsync) return -EINVAL;
  return guarded([&] {
    const std::vector<Arch> dst_arches = all_arches_of(dst->state);
    const std::vector<Arch> src_arches = all_arches_of(src->state);
    if (dst_arches.empty() || src_arches.empty()) return -EINVAL;
    if (arch_info(dst_arches[0]).little_endian != arch_info(src_arches[0]).little_endian) return -EDOM;
    for (Arch a : src_arches) {
      if (std::find(dst_arches.begin(), dst_arches.end(), a) != dst_arches.end()) return -EEXIST;
    }
    before_arch_change(*dst);
    FilterState& into = dst->state;
    FilterState& from = src->state;
    std::vector<FilterState> groups = std::move(from.merged);
    from.merged.clear();
    groups.insert(groups.begin(), std::move(from));
    for (FilterState& g : groups) {
      if (g.arches.empty()) continue;  // all its arches were removed
      g.attrs = into.attrs;
      into.merged.push_back(std::move(g));
    }
    changed(*dst);
    seccomp_release(src_handle);
    return 0;
  });
}

uint32_t seccomp_arch_resolve_name(const char* arch_name) {
  if (arch_name == nullptr) return 0;
  // libseccomp's own spellings only (no Go or OCI aliases): seccage's
  // canonical names but for i386, which libseccomp calls x86.
  const std::string_view name(arch_name);
  if (name == "x86") return token_of(Arch::i386);
  if (name == "i386") return 0;
  for (const ArchInfo& info : all_arches()) {
    if (info.name == name) return token_of(info.arch);
  }
  return 0;
}

uint32_t seccomp_arch_native(void) { return token_of(native_arch()); }

int seccomp_arch_exist(const scmp_filter_ctx handle, uint32_t arch_token) {
  FilterContext* ctx = context_of(handle);
  auto arch = arch_from_token(arch_token);
  if (ctx == nullptr || !arch) return -EINVAL;
  return guarded([&] {
    const auto arches = all_arches_of(ctx->state);
    return std::find(arches.begin(), arches.end(), *arch) != arches.end() ? 0 : -EEXIST;
  });
}

int seccomp_arch_add(scmp_filter_ctx handle, uint32_t arch_token) {
  FilterContext* ctx = context_of(handle);
  auto arch = arch_from_token(arch_token);
  if (ctx == nullptr || !arch) return -EINVAL;
  auto& arches = ctx->state.arches;
  return guarded([&] {
    const auto all = all_arches_of(ctx->state);
    if (std::find(all.begin(), all.end(), *arch) != all.end()) return -EEXIST;
    // One byte order per filter, as in libseccomp (s390x beside x86_64).
    if (!all.empty() && arch_info(all[0]).little_endian != arch_info(*arch).little_endian) return -EDOM;
    before_arch_change(*ctx);
    // libseccomp 2.5.4 gives an arch added after rules none of them (each
    // arch has its own filter, the new one empty): it becomes a group of
    // its own, as a merged filter's arches are, and rules added from now on
    // go to every group.
    if (ctx->state.rules.empty()) {
      arches.push_back(*arch);
    } else {
      FilterState group;
      group.attrs = ctx->state.attrs;
      group.arches = {*arch};
      ctx->state.merged.push_back(std::move(group));
    }
    changed(*ctx);
    return 0;
  });
}

int seccomp_arch_remove(scmp_filter_ctx handle, uint32_t arch_token) {
  FilterContext* ctx = context_of(handle);
  auto arch = arch_from_token(arch_token);
  if (ctx == nullptr || !arch) return -EINVAL;
  // From the group that has it (the filter's own or a merged one).
  auto remove_from = [&](std::vector<Arch>& arches) {
    auto it = std::find(arches.begin(), arches.end(), *arch);
    if (it == arches.end()) return false;
    arches.erase(it);
    return true;
  };
  return guarded([&] {
    const auto all = all_arches_of(ctx->state);
    if (std::find(all.begin(), all.end(), *arch) == all.end()) return -EEXIST;
    before_arch_change(*ctx);
    // A rule may now name a syscall none of the arches left has.
    bool removed = remove_from(ctx->state.arches);
    if (removed) ctx->state.all_rules_apply = false;
    for (auto g = ctx->state.merged.begin(); !removed && g != ctx->state.merged.end(); ++g) {
      if (remove_from(g->arches)) {
        g->all_rules_apply = false;
        removed = true;
        if (g->arches.empty()) ctx->state.merged.erase(g);
        break;
      }
    }
    changed(*ctx);
    return 0;
  });
}

int seccomp_attr_get(const scmp_filter_ctx handle, enum scmp_filter_attr attr, uint32_t* value) {
  FilterContext* ctx = filter_of(handle);
  if (ctx == nullptr || value == nullptr) return -EINVAL;
  const Attributes& a = ctx->state.attrs;
  switch (attr) {
    case SCMP_FLTATR_ACT_DEFAULT: *value = a.act_default; return 0;
    case SCMP_FLTATR_ACT_BADARCH: *value = a.act_badarch; return 0;
    case SCMP_FLTATR_CTL_NNP: *value = a.nnp; return 0;
    case SCMP_FLTATR_CTL_TSYNC: *value = a.tsync; return 0;
    case SCMP_FLTATR_API_TSKIP: *value = a.tskip; return 0;
    case SCMP_FLTATR_CTL_LOG: *value = a.log; return 0;
    case SCMP_FLTATR_CTL_SSB: *value = a.ssb; return 0;
    case SCMP_FLTATR_CTL_OPTIMIZE: *value = a.optimize; return 0;
    case SCMP_FLTATR_API_SYSRAWRC: *value = a.sysrawrc; return 0;
    case SCMP_FLTATR_CTL_WAITKILL: *value = a.waitkill; return 0;
    default: return -EINVAL;
  }
}

int seccomp_attr_set(scmp_filter_ctx handle, enum scmp_filter_attr attr, uint32_t value) {
  FilterContext* ctx = filter_of(handle);
  if (ctx == nullptr) return -EINVAL;
  Attributes& a = ctx->state.attrs;
  // A flag the kernel (API level) lacks cannot be asked for; turning it off is fine.
  auto flag = [&](bool& field, unsigned needed_level) {
    if (value != 0 && api_level() < needed_level) return -EOPNOTSUPP;
    field = value != 0;
    return 0;
  };
  int rc = 0;
  switch (attr) {
    case SCMP_FLTATR_ACT_DEFAULT: return -EACCES;  // fixed by seccomp_init/reset
    case SCMP_FLTATR_ACT_BADARCH:
      if (!action_available(value)) return -EINVAL;
      a.act_badarch = value;
      break;
    case SCMP_FLTATR_CTL_NNP: a.nnp = value != 0; break;
    case SCMP_FLTATR_CTL_TSYNC: rc = flag(a.tsync, 2); break;
    case SCMP_FLTATR_API_TSKIP: a.tskip = value != 0; break;
    case SCMP_FLTATR_CTL_LOG: rc = flag(a.log, 3); break;
    case SCMP_FLTATR_CTL_SSB: rc = flag(a.ssb, 4); break;
    case SCMP_FLTATR_CTL_OPTIMIZE:
      // Accepted for the API; seccage lays the program out its own way.
      if (value != 1 && value != 2) return -EOPNOTSUPP;
      a.optimize = value;
      break;
    case SCMP_FLTATR_API_SYSRAWRC: a.sysrawrc = value != 0; break;
    case SCMP_FLTATR_CTL_WAITKILL: rc = flag(a.waitkill, 7); break;
    default: return -EINVAL;
  }
  if (rc == 0) ctx->program.reset();
  return rc;
}

int seccomp_transaction_start(const scmp_filter_ctx handle) {
  FilterContext* ctx = context_of(handle);
  if (ctx == nullptr) return -EINVAL;
  return guarded([&] {
    ctx->transactions.push_back(ctx->state);
    forget_accepted_rule(*ctx);
    return 0;
  });
}

// libseccomp 2.6.2 fixed a crash here when no transaction was open: it is a
// no-op then.
void seccomp_transaction_reject(const scmp_filter_ctx handle) {
  FilterContext* ctx = context_of(handle);
  if (ctx == nullptr || ctx->transactions.empty()) return;
  ctx->state = std::move(ctx->transactions.back());
  ctx->transactions.pop_back();
  forget_accepted_rule(*ctx);
  ctx->program.reset();
}

int seccomp_transaction_commit(const scmp_filter_ctx handle) {
  FilterContext* ctx = context_of(handle);
  if (ctx == nullptr || ctx->transactions.empty()) return -EINVAL;
  ctx->transactions.pop_back();
  return 0;
}

}  // extern "C"
