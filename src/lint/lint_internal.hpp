// Shared between the policy checks (lint.cpp) and the JSON front end
// (oci_lint.cpp): where findings are collected and how origins become
// locations.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "profile/oci_model.hpp"
#include "seccage/lint.hpp"

namespace seccage {
class Evaluator;
}

namespace seccage::lint_detail {

struct Context {
  const Policy& policy;
  std::string source;
  LintOptions options;
  // Set when the policy was read from JSON: the text (for lines) and the
  // OCI model parsed from it (to point at a name inside an entry).
  std::optional<std::string_view> json_text;
  std::optional<oci::Profile> oci;
  std::string json_base;             // "" or "/linux/seccomp" for a config.json
  bool declared_multi_arch = false;  // the profile has an archMap
  std::vector<Finding> findings;

  // A rule's origin as a location: a JSON origin at its pointer (with
  // `name`, at that name inside the entry) and the line there; a file's at
  // its line and column; anything else by its text.
  FindingLocation locate_origin(const RuleOrigin& origin, std::string_view name = {}) const;
  // A JSON pointer in the profile (relative to the profile object).
  FindingLocation locate_pointer(const std::string& pointer) const;
  // A JSON pointer from the document's root, as the OCI model holds them.
  FindingLocation locate_document_pointer(const std::string& pointer) const;
  // The includes/excludes of the JSON entry a rule came from ("" if none).
  std::string gate_of(const RuleOrigin& origin) const;
  // Where the default action is written (JSON), or just the file.
  FindingLocation default_location() const;

  void add(Severity s, std::string code, std::string message, FindingLocation where, std::string subject = {});
};

// By file, line, column, then severity.
void sort_findings(std::vector<Finding>& findings);

// runtime-startup: the calls runc or crun make under the filter before the
// container's program runs (runtime_startup.cpp).
void check_runtime_startup(Context& ctx, const Evaluator& eval, ContainerRuntime runtime, Severity severity);

// Every check that needs only the Policy (and its origins).
void check_policy(Context& ctx);

// JSON only: 64-bit comparisons on arguments the kernel reads as 32 bits
// that a program can sidestep with the high word (wide_compare.cpp).
void check_wide_compares(Context& ctx);

// "includes.caps CAP_SYS_ADMIN, excludes.arches amd64,arm64" style summary of
// an entry's includes and excludes, or "" when it has none.
std::string gate_summary(const oci::Entry& entry);

// The syscalls[] entry a pointer lies in ("/syscalls/3/args/0" -> "/syscalls/3").
std::string entry_pointer(const std::string& pointer);

}  // namespace seccage::lint_detail
