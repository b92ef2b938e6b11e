// `seccage check` on JSON: the policy checks, plus what only the file shows
// (names the reader dropped, entries gated by includes/excludes).
#include <fmt/core.h>

#include "lint/lint_internal.hpp"
#include "policy/evaluator.hpp"
#include "seccage/io_uring_guard.hpp"
#include "profile/json_locate.hpp"
#include "profile/oci_parse.hpp"
#include "profile/oci_resolve.hpp"
#include "util/did_you_mean.hpp"

namespace seccage {
namespace lint_detail {

std::string gate_summary(const oci::Entry& entry) {
  auto join = [](const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& x : items) out += (out.empty() ? "" : ",") + x;
    return out;
  };
  std::vector<std::string> parts;
  // Keys in JSON's sorted order, as the profile's reviewers look them up.
  for (const auto& [kind, gate] : {std::pair{"includes", &entry.includes}, std::pair{"excludes", &entry.excludes}}) {
    if (!*gate) continue;
    if ((*gate)->arches) parts.push_back(fmt::format("{}.arches {}", kind, join(*(*gate)->arches)));
    if ((*gate)->caps) parts.push_back(fmt::format("{}.caps {}", kind, join(*(*gate)->caps)));
    if ((*gate)->min_kernel) parts.push_back(fmt::format("{}.minKernel {}", kind, (*gate)->min_kernel->to_string()));
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

namespace {

// The first place a name is written in syscalls[] (names[] or Docker's
// name), from the document's root.
std::string first_pointer_of(const oci::Profile& profile, const std::string& name) {
  for (const oci::Entry& e : profile.syscalls)
    for (const oci::SyscallName& n : e.names)
      if (n.name == name) return n.at;
  return profile.at + "/syscalls";
}

bool known_anywhere(const std::string& name) {
  for (std::string_view n : all_syscall_names())
    if (n == name) return true;
  return multiplexed_call(name).has_value();
}

// The JSON pointer a reader warning names ("file:3:5: /syscalls/0/args/1:
// ..."), or "".
std::string warning_pointer(const std::string& w) {
  const std::size_t at = w.find(": /");
  if (at == std::string::npos) return {};
  const std::size_t end = w.find(": ", at + 2);
  return end == std::string::npos ? std::string() : w.substr(at + 2, end - at - 2);
}

// Reader warnings the policy checks also report, by the reader's wording and
// the finding code that says the same: one finding each, the linter's (it
// points at the syscall and says what the rule then does).
bool reported_by_lint(const std::vector<Finding>& findings, const std::string& w) {
  static constexpr std::pair<std::string_view, std::string_view> kSame[] = {
      {"has bits outside the mask", "masked-value-outside-mask"},
  };
  const std::string entry = entry_pointer(warning_pointer(w));
  if (entry.empty()) return false;
  for (const auto& [phrase, code] : kSame) {
    if (w.find(phrase) == std::string::npos) continue;
    for (const Finding& f : findings)
      if (f.code == code && entry_pointer(f.location.pointer) == entry) return true;
  }
  return false;
}

}  // namespace
}  // namespace lint_detail

LintReport lint_oci_profile(std::string_view json, std::string_view source, const OciResolveOptions& resolve,
                            const LintOptions& options) {
  OciResolveOptions ro = resolve;
  ro.strict = false;  // unknown names are findings here, not a reason to stop
  // As `compile --arch`: the reader keeps a name when any kept arch has it.
  if (!options.restrict_to.empty()) {
    ro.arches = options.restrict_to;
    ro.host_arch = options.restrict_to.front();
  }
  const profile_detail::OciMessages messages(json, std::string(source));
  const profile_detail::ParsedOci parsed = profile_detail::parse_oci_text(json, messages);
  const oci::Profile& model = parsed.profile;
  OciProfile profile = profile_detail::resolve_oci(parsed, messages, ro);

  lint_detail::Context ctx{profile.policy, std::string(source), options, json, model, model.at, false, {}};
  ctx.declared_multi_arch = !model.arch_map.empty();

  lint_detail::check_policy(ctx);
  lint_detail::check_wide_compares(ctx);

  // Names the reader left out: typos are errors (the rule the author meant
  // is missing), real syscalls of other arches are expected in a profile
  // written for several.
  std::vector<std::string> elsewhere;
  for (const std::string& name : profile.unknown_syscalls) {
    const std::string pointer = lint_detail::first_pointer_of(model, name);
    if (lint_detail::known_anywhere(name)) {
      elsewhere.push_back(name);
      continue;
    }
    std::string hint;
    if (auto m = did_you_mean(name, all_syscall_names())) hint = fmt::format(" (did you mean '{}'?)", *m);
    ctx.add(Severity::Error, "unknown-syscall",
            fmt::format("unknown syscall '{}'{}: no arch has it, so runc and crun skip it and the rule meant for it "
                        "does not exist",
                        name, hint),
            ctx.locate_document_pointer(pointer), name);
  }
  if (!elsewhere.empty()) {
    std::vector<std::string> arches;
    for (Arch a : profile.policy.effective_arches()) arches.emplace_back(arch_name(a));
    std::string list, arch_text;
    for (const auto& n : elsewhere) list += (list.empty() ? "" : ", ") + n;
    for (const auto& a : arches) arch_text += (arch_text.empty() ? "" : ", ") + a;
    // One finding: these are a list, and the first one locates it.
    ctx.add(ctx.declared_multi_arch ? Severity::Info : Severity::Warning, "name-not-on-arches",
            fmt::format("{} name{} exist{} on none of this profile's arches ({}) and {} skipped: {}",
                        elsewhere.size(), elsewhere.size() == 1 ? "" : "s", elsewhere.size() == 1 ? "s" : "",
                        arch_text, elsewhere.size() == 1 ? "is" : "are", list),
            ctx.locate_document_pointer(lint_detail::first_pointer_of(model, elsewhere.front())));
  }

  // Names the resolved policy lets through unconditionally on every arch
  // that has them: a gated entry adds nothing there.
  const Evaluator eval(profile.policy);
  auto already_allowed = [&](const std::string& name) {
    bool any = false;
    for (const ArchDecisions& d : eval.all_decisions()) {
      auto nr = syscall_number(d.arch, name);
      if (!nr) continue;
      const Decision& dec = d.at(*nr);
      if (dec.depends_on_args() || (dec.otherwise.kind != ActionKind::Allow && dec.otherwise.kind != ActionKind::Log))
        return false;
      any = true;
    }
    return any;
  };

  // Entries this host skips but others would apply: only those that would
  // allow a dangerous syscall are worth a reviewer's time.
  for (const OciSkippedEntry& s : profile.skipped) {
    const oci::Entry* entry = oci::entry_at(model, s.origin.json_pointer);
    if (!entry || (entry->action.kind != ActionKind::Allow && entry->action.kind != ActionKind::Log)) continue;
    std::vector<std::string> names;
    for (const oci::SyscallName& n : entry->names) names.push_back(n.name);
    std::vector<std::string> dangerous;
    for (const auto& n : names)
      if (dangerous_syscall_reason(n) && !already_allowed(n)) dangerous.push_back(n);
    if (dangerous.empty()) continue;
    std::string list;
    for (const auto& n : dangerous) list += (list.empty() ? "" : ", ") + n;
    const bool has_args = !entry->args.empty();
    FindingLocation loc;
    loc.file = std::string(source);
    loc.pointer = s.origin.json_pointer;
    if (auto pos = profile_detail::locate_pointer(json, s.origin.json_pointer)) {
      loc.line = pos->line;
      loc.column = pos->column;
    }
    ctx.add(Severity::Info, "gated-dangerous",
            fmt::format("where this entry applies ({}) it allows {}{}; not here: {}", lint_detail::gate_summary(*entry),
                        list, has_args ? " (with argument conditions)" : "", s.reason),
            loc);
  }

  // JSON profiles keep their meaning (no guard), but a reviewer must know
  // when io_uring gets around one of the profile's denials.
  if (io_uring_setup_reachable(profile.policy)) {
    const auto routes = io_uring_routes(profile.policy);
    if (!routes.empty()) {
      std::string list;
      for (std::size_t i = 0; i < routes.size() && i < 4; ++i) list += (i ? ", " : "") + routes[i].to_string();
      if (routes.size() > 4) list += fmt::format(" and {} more", routes.size() - 4);
      ctx.add(Severity::Warning, "io-uring-bypass",
              fmt::format("io_uring_setup is allowed while the profile denies what io_uring does without the filter "
                          "seeing it: {}; deny io_uring_setup, io_uring_enter and io_uring_register (ENOSYS lets "
                          "programs fall back to plain syscalls)",
                          list),
              ctx.locate_document_pointer(lint_detail::first_pointer_of(model, "io_uring_setup")), "io_uring_setup");
    }
  }

  // The reader's own warnings, except the unknown-name one reported above.
  for (const std::string& w : profile.warnings) {
    bool about_unknown = false;
    for (const std::string& n : profile.unknown_syscalls)
      if (w.find("'" + n + "'") != std::string::npos || w.find(" " + n) != std::string::npos) about_unknown = true;
    if (about_unknown || lint_detail::reported_by_lint(ctx.findings, w)) continue;
    FindingLocation loc;
    loc.file = std::string(source);
    ctx.add(Severity::Warning, "profile-warning", w, loc);
  }

  LintReport report{std::string(source), std::move(ctx.findings)};
  lint_detail::sort_findings(report.findings);
  return report;
}

}  // namespace seccage
