#include "lint/checks/policy_checks.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/core.h>

namespace seccage::lint_detail {
namespace {

// Syscalls that do the same thing under another name: denying one while a
// sibling stays open denies nothing (glibc's mkdir() calls mkdirat on most
// arches, open() calls openat).
constexpr std::string_view kSiblings[][3] = {
    {"mkdir", "mkdirat", ""},
    {"open", "openat", "openat2"},
    {"rename", "renameat", "renameat2"},
    {"chmod", "fchmodat", "fchmodat2"},
    {"unlink", "unlinkat", ""},
    {"rmdir", "unlinkat", ""},
    {"link", "linkat", ""},
    {"symlink", "symlinkat", ""},
    {"mknod", "mknodat", ""},
    {"chown", "fchownat", ""},
};

}  // namespace

// sibling-open: an explicit unconditional rule that keeps a syscall from
// running while a sibling doing the same work runs, for some arguments at
// least, on an arch that has both. Only rules written with their own action
// count: a syscall an allow-list merely leaves out (openat allowed, open
// never named) is how such lists are written, not a hole.
void check_siblings(Context& ctx, PolicyFacts& facts) {
  const Evaluator& eval = facts.eval;
  const RuleStatus& st = facts.status;
  const Policy& p = ctx.policy;
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const Rule& r = p.rules[i];
    const auto* name = std::get_if<std::string>(&r.syscall);
    if (!name || !r.conditions.empty() || passes(r.action) || st.dead[i] || st.refused[i] ||
        r.action == p.default_action)
      continue;
    for (const auto& family : kSiblings) {
      if (std::find(std::begin(family), std::end(family), *name) == std::end(family)) continue;
      std::vector<std::string> open;
      for (std::string_view sib : family) {
        if (sib.empty() || sib == *name) continue;
        std::vector<Arch> where;  // arches with both where the sibling runs
        for (const ArchDecisions& d : eval.all_decisions()) {
          auto own = syscall_number(d.arch, *name);
          auto nr = syscall_number(d.arch, sib);
          if (!own || !nr) continue;
          const Decision& dec = d.at(*nr);
          if (passes(dec.otherwise) ||
              std::any_of(dec.cases.begin(), dec.cases.end(), [](const auto& c) { return passes(c.action); }))
            where.push_back(d.arch);
        }
        if (where.empty()) continue;
        const bool everywhere = where.size() == eval.all_decisions().size();
        open.push_back(fmt::format("{}{}", sib, everywhere ? "" : " (on " + arch_list(where) + ")"));
      }
      if (open.empty()) continue;
      ctx.add(Severity::Warning, "sibling-open",
              fmt::format("{} {}: {} still run{} and do{} the same thing, so programs (glibc's own wrappers "
                          "among them) get around the rule; give {} the same action",
                          *name, r.action.to_string(), join(open), open.size() == 1 ? "s" : "",
                          open.size() == 1 ? "es" : "", open.size() == 1 ? "it" : "them"),
              ctx.locate_origin(r.origin, *name), *name);
    }
  }
}

}  // namespace seccage::lint_detail
