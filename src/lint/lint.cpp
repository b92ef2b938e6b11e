// `seccage check` on a policy: the registry of checks (each in checks/, with
// its test beside it), where findings are located, and how they are sorted.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/core.h>

#include "lint/checks/policy_checks.hpp"
#include "lint/lint_internal.hpp"
#include "policy/evaluator.hpp"
#include "profile/json_locate.hpp"
#include "profile/oci_parse.hpp"
#include "seccage/error.hpp"

namespace seccage {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
  }
  return "?";
}

std::string FindingLocation::to_string() const {
  std::string s = file;
  if (line) s += fmt::format(":{}", *line);
  if (line && column) s += fmt::format(":{}", *column);
  if (!pointer.empty()) s += fmt::format(" ({})", pointer);
  return s;
}

std::size_t LintReport::count(Severity s) const {
  return static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.severity == s; }));
}

namespace lint_detail {

FindingLocation Context::locate_pointer(const std::string& pointer) const {
  return locate_document_pointer(json_base + pointer);
}

FindingLocation Context::locate_document_pointer(const std::string& pointer) const {
  FindingLocation loc;
  loc.file = source;
  loc.pointer = pointer;
  if (json_text) {
    if (auto pos = profile_detail::locate_pointer(*json_text, loc.pointer)) {
      loc.line = pos->line;
      loc.column = pos->column;
    }
  }
  return loc;
}

std::string entry_pointer(const std::string& pointer) {
  const std::size_t at = pointer.find("/syscalls/");
  if (at == std::string::npos) return pointer;
  std::size_t end = at + 10;
  while (end < pointer.size() && pointer[end] >= '0' && pointer[end] <= '9') ++end;
  return pointer.substr(0, end);
}

FindingLocation Context::locate_origin(const RuleOrigin& origin, std::string_view name) const {
  FindingLocation loc;
  if (!origin.json_pointer.empty()) {
    loc.file = origin.file;
    // With a name, the name inside the entry; otherwise the entry (or its
    // one argument).
    loc.pointer = origin.json_location();
    if (const oci::Entry* e = !name.empty() && oci ? oci::entry_at(*oci, origin.json_pointer) : nullptr) {
      for (const oci::SyscallName& n : e->names) {
        if (n.name != name) continue;
        loc.pointer = n.at;
        break;
      }
    }
    if (auto pos = json_text ? profile_detail::locate_pointer(*json_text, loc.pointer) : std::nullopt) {
      loc.line = pos->line;
      loc.column = pos->column;
    }
    return loc;
  }
  if (origin.line != 0) {
    loc.file = origin.file;
    loc.line = origin.line;
    if (origin.column != 0) loc.column = origin.column;
    return loc;
  }
  // Not in a file (a rule option, a preset): its text stands for the place.
  loc.file = !origin.file.empty() ? origin.file : !origin.empty() ? origin.to_string() : source;
  return loc;
}

std::string Context::gate_of(const RuleOrigin& origin) const {
  if (origin.json_pointer.empty() || !oci) return {};
  const oci::Entry* e = oci::entry_at(*oci, origin.json_pointer);
  return e ? gate_summary(*e) : std::string();
}

FindingLocation Context::default_location() const {
  if (json_text) return locate_pointer("/defaultAction");
  FindingLocation loc;
  loc.file = source;
  return loc;
}

void Context::add(Severity s, std::string code, std::string message, FindingLocation where, std::string subject) {
  findings.push_back(Finding{s, std::move(code), std::move(message), std::move(where), std::move(subject)});
}

namespace {

// Every check that needs only the Policy, in the order they run: findings at
// one place keep this order, and no-effect must run before rule-outcomes.
constexpr std::pair<std::string_view, PolicyCheck> kPolicyChecks[] = {
    {"default action", check_default_action},
    {"enosys-fallback", check_enosys_fallbacks},
    {"no-effect", check_no_effect},
    {"rule outcomes", check_rule_outcomes},
    {"conditions", check_conditions},
    {"dangerous-syscall", check_dangerous_syscalls},
    {"multiplexer-bypass", check_multiplexers},
    {"sibling-open", check_siblings},
    {"name-missing-on-arch", check_names_per_arch},
    {"runtime-startup", check_runtime_startup_of},
};

}  // namespace

void check_policy(Context& ctx) {
  const Evaluator eval(ctx.policy);
  PolicyFacts facts{eval, eval.refused(), {}, {}};
  facts.status = dead_rules(ctx.policy, facts.refused);
  for (const auto& [name, check] : kPolicyChecks) check(ctx, facts);
}

}  // namespace lint_detail

namespace lint_detail {

void sort_findings(std::vector<Finding>& f) {
  std::stable_sort(f.begin(), f.end(), [](const Finding& a, const Finding& b) {
    auto key = [](const Finding& x) {
      return std::tuple(x.location.file, x.location.line.value_or(0), x.location.column.value_or(0), x.severity);
    };
    return key(a) < key(b);
  });
}

}  // namespace lint_detail

LintReport lint_policy(const Policy& policy, std::string_view source, const LintOptions& options,
                       std::optional<std::string_view> json_text) {
  lint_detail::Context ctx{policy, std::string(source), options, json_text, std::nullopt, "", false, {}};
  if (json_text) {
    try {
      const profile_detail::OciMessages messages(*json_text, std::string(source));
      ctx.oci = profile_detail::parse_oci_text(*json_text, messages).profile;
    } catch (const InputError&) {
      // Not an OCI profile after all: findings then point at entries only.
    }
  }
  lint_detail::check_policy(ctx);
  LintReport report{std::string(source), std::move(ctx.findings)};
  lint_detail::sort_findings(report.findings);
  return report;
}

}  // namespace seccage
