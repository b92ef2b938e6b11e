// seccage check PROFILE...: lint profiles and report findings with a severity
// and a location (docs/check.md). Exit 0 when no profile has an error-level
// finding, 1 when one has, 2 when a profile cannot be read at all.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "policy_input.hpp"
#include "seccage/error.hpp"
#include "seccage/lint.hpp"
#include "seccage/load_policy.hpp"
#include "seccage/profile.hpp"

namespace seccage::cli {
namespace check_command {  // one per command: tools/seccage is built as one unity source
namespace {

struct Options {
  std::vector<std::string> profiles;
  std::vector<std::string> arches;
  std::string caps = "docker-default";
  std::string kernel;
  std::string runtime;  // runc, crun, none; empty: the default
  bool json = false;
  bool verbose = false;
};

LintReport check_one(const std::string& file, const OciResolveOptions& resolve, const LintOptions& options) {
  const std::string text = read_profile_text(file);
  const std::string name = file == "-" ? "stdin" : file;
  if (detect_policy_format(text) == PolicyFormat::OciJson) return lint_oci_profile(text, name, resolve, options);
  // Every other format through the one loader (load_policy.hpp): their rules
  // carry their file, line and column (RuleOrigin) already.
  PolicyLoadOptions load;
  load.arches = options.restrict_to;
  load.capabilities = resolve.capabilities;
  load.kernel = resolve.kernel;
  load.all_errors = true;  // a reviewer wants every error at once
  const LoadedPolicy tp = load_policy_text(text, name, load);
  LintReport r = lint_policy(tp.policy, name, options);
  for (const std::string& w : tp.warnings) {
    Finding f;
    f.severity = Severity::Warning;
    f.code = "profile-warning";
    f.message = w;
    f.location.file = name;
    r.findings.push_back(std::move(f));
  }
  return r;
}

nlohmann::ordered_json finding_json(const Finding& f) {
  nlohmann::ordered_json j;
  j["severity"] = severity_name(f.severity);
  j["code"] = f.code;
  j["message"] = f.message;
  j["file"] = f.location.file;
  if (f.location.line) j["line"] = *f.location.line;
  if (f.location.column) j["column"] = *f.location.column;
  if (!f.location.pointer.empty()) j["pointer"] = f.location.pointer;
  if (!f.subject.empty()) j["syscall"] = f.subject;
  return j;
}

// Findings of one class that are expected in bulk (names missing on some
// arches of a multi-arch profile) are summed up unless -v: a reviewer needs
// to know they exist, not to read forty of them.
void print_text(const LintReport& r, bool verbose) {
  std::map<std::string, std::size_t> info_per_code;
  for (const Finding& f : r.findings)
    if (f.severity == Severity::Info) ++info_per_code[f.code];
  std::map<std::string, std::size_t> folded;
  for (const Finding& f : r.findings) {
    if (!verbose && f.severity == Severity::Info && f.code == "name-missing-on-arch" && info_per_code[f.code] > 3) {
      ++folded[f.code];
      continue;
    }
    fmt::print("{}: {}: {} [{}]\n", f.location.to_string(), severity_name(f.severity), f.message, f.code);
  }
  for (const auto& [code, n] : folded) {
    const std::string what =
        "syscall names exist on only some of the profile's arches (expected in a profile written for several)";
    fmt::print("{}: info: {} {}; -v lists them [{}]\n", r.source, n, what, code);
  }
  fmt::print("{}: {} error{}, {} warning{}, {} info\n", r.source, r.count(Severity::Error),
             r.count(Severity::Error) == 1 ? "" : "s", r.count(Severity::Warning),
             r.count(Severity::Warning) == 1 ? "" : "s", r.count(Severity::Info));
}

int run(const Options& o) {
  OciResolveOptions resolve;
  LintOptions lint;
  for (const std::string& a : o.arches) lint.restrict_to.push_back(parse_arch_or_throw(a));
  if (!lint.restrict_to.empty()) resolve.host_arch = lint.restrict_to.front();
  resolve.capabilities = caps_option(o.caps);
  if (!o.kernel.empty()) resolve.kernel = parse_kernel_version(o.kernel);
  if (o.runtime == "runc") lint.runtime = ContainerRuntime::Runc;
  else if (o.runtime == "crun") lint.runtime = ContainerRuntime::Crun;
  else if (o.runtime == "none") lint.runtime = ContainerRuntime::None;
  else if (!o.runtime.empty())
    throw InputError(fmt::format("--runtime '{}': expected runc, crun or none", o.runtime));

  bool unreadable = false, errors = false;
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["profiles"] = nlohmann::ordered_json::array();
  std::size_t totals[3] = {0, 0, 0};
  for (const std::string& file : o.profiles) {
    try {
      const LintReport r = check_one(file, resolve, lint);
      errors |= r.count(Severity::Error) > 0;
      for (Severity s : {Severity::Error, Severity::Warning, Severity::Info})
        totals[static_cast<int>(s)] += r.count(s);
      if (o.json) {
        nlohmann::ordered_json p;
        p["file"] = r.source;
        p["errors"] = r.count(Severity::Error);
        p["warnings"] = r.count(Severity::Warning);
        p["info"] = r.count(Severity::Info);
        p["findings"] = nlohmann::ordered_json::array();
        for (const Finding& f : r.findings) p["findings"].push_back(finding_json(f));
        out["profiles"].push_back(std::move(p));
      } else {
        print_text(r, o.verbose);
      }
    } catch (const std::exception& e) {
      // One unreadable profile does not stop the others from being checked.
      // (Not only InputError: a reader bug must not hide the other reports.)
      unreadable = true;
      if (o.json) {
        nlohmann::ordered_json p;
        p["file"] = file;
        p["unreadable"] = e.what();
        out["profiles"].push_back(std::move(p));
      } else {
        // One line per error (a text policy reports all of them).
        std::string_view what = e.what();
        while (!what.empty()) {
          const std::size_t nl = what.find('\n');
          fmt::print(stderr, "seccage: {}\n", what.substr(0, nl));
          what = nl == std::string_view::npos ? std::string_view{} : what.substr(nl + 1);
        }
      }
    }
  }
  if (o.json) {
    out["errors"] = totals[0];
    out["warnings"] = totals[1];
    out["info"] = totals[2];
    out["exit"] = unreadable ? kExitUsage : errors ? kExitFindings : kExitOk;
    std::cout << out.dump(2) << "\n";
  }
  std::cout << std::flush;
  return unreadable ? kExitUsage : errors ? kExitFindings : kExitOk;
}

const CommandRegistration registration{
    "check", "Lint seccomp profiles: mistakes, dead rules, dangerous syscalls, portability", [](CLI::App& sub) {
      auto o = std::make_shared<Options>();
      sub.add_option("profile", o->profiles, "OCI/Docker/Podman JSON profiles or text policies (- for stdin)")->required();
      sub.add_flag("--json", o->json, "print findings as JSON");
      sub.add_flag("-v,--verbose", o->verbose, "list every info finding instead of summing up bulk ones");
      sub.add_option("--arch", o->arches,
                     "check the profile as resolved for these arches (repeatable; the first is the host a Docker "
                     "profile is resolved for). Default: the profile's arches for this host");
      sub.add_option("--caps", o->caps,
                     "the container's capabilities for Docker includes/excludes: comma-separated, CAP_ optional, "
                     "'none', 'docker-default' (default), 'all'");
      sub.add_option("--kernel", o->kernel, "kernel version X.Y for Docker minKernel (default: the running kernel)");
      sub.add_option("--runtime", o->runtime,
                     "check that this container runtime can still start a container under the profile: runc, crun "
                     "or none (default: runc for JSON profiles, as warnings; none for other policies)");
      sub.footer(
          "Exit status: 0 no errors (warnings and info allowed), 1 errors found, 2 a profile could not be read.\n"
          "Finding classes and the dangerous-syscall list: docs/check.md.\n"
          "Example: seccage check docker-default.json --caps docker-default,sys_admin");
      return [o] { return run(*o); };
    }};

}  // namespace
}  // namespace check_command
}  // namespace seccage::cli
