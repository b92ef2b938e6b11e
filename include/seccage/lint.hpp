// The linter behind `seccage check`: what a reviewer of a seccomp profile
// wants to be told, each finding with a severity and a location.
// docs/check.md lists the finding classes and the dangerous-syscall list with
// the reason for each entry.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seccage/policy.hpp"
#include "seccage/profile.hpp"

namespace seccage {

enum class Severity : std::uint8_t { Error, Warning, Info };
std::string_view severity_name(Severity s);  // "error", "warning", "info"

struct FindingLocation {
  std::string file;
  std::optional<std::size_t> line;    // 1-based
  std::optional<std::size_t> column;  // 1-based
  std::string pointer;                // JSON pointer ("/syscalls/3/names/0"); empty for text
  // "file:12:5 (/syscalls/3)" / "file:12:5" / "file".
  std::string to_string() const;
};

struct Finding {
  Severity severity = Severity::Warning;
  std::string code;     // stable identifier: "unknown-syscall", "shadowed-rule", ... (docs/check.md)
  std::string message;  // one sentence or two, shown as is
  FindingLocation location;
  std::string subject;  // the syscall name it is about, when there is one
};

// The container runtime whose start-up a profile must let through: the
// calls it makes itself after loading the filter, before the container's
// program runs (docs/check.md, "runtime-startup").
enum class ContainerRuntime : std::uint8_t { None, Runc, Crun };

struct LintOptions {
  // Which runtime's start-up to check; nullopt: runc for OCI/Docker JSON
  // profiles (reported as warnings), none for other policies. Given
  // explicitly, a missing call is an error.
  std::optional<ContainerRuntime> runtime;
  // Dangerous syscalls allowed under a condition are reported at info level
  // with the condition; false leaves them out.
  bool report_conditional_dangerous = true;
  // lint_oci_profile: narrow the resolved policy to these arches, as
  // `seccage compile --arch` does (empty = the profile's own arches).
  std::vector<Arch> restrict_to;
};

struct LintReport {
  std::string source;
  std::vector<Finding> findings;  // sorted by location, then severity
  std::size_t count(Severity s) const;
};

// Lints a policy whose rules carry origins (RuleOrigin): file, line and
// column (text language), or file and JSON pointer (the OCI reader).
// `json_text`, when given, is the JSON the policy was read from and turns
// pointers into lines.
LintReport lint_policy(const Policy& policy, std::string_view source, const LintOptions& options = {},
                       std::optional<std::string_view> json_text = std::nullopt);

// Reads an OCI / Docker / Podman profile (resolved with `resolve`, never
// strict: unknown names become findings) and lints it, with the findings only
// the JSON can give: unknown names where they are written, entries gated by
// includes/excludes that would allow dangerous syscalls on other hosts.
// Throws InputError when the JSON cannot be read as a profile.
LintReport lint_oci_profile(std::string_view json, std::string_view source, const OciResolveOptions& resolve = {},
                            const LintOptions& options = {});

// The dangerous-syscall list (docs/check.md): the reason a syscall is on it,
// or nullopt.
std::optional<std::string_view> dangerous_syscall_reason(std::string_view name);

}  // namespace seccage
