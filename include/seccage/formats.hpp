// Policies in the formats people already have, read into the same Policy as
// seccage's own forms: Security Profiles Operator SeccompProfile YAML,
// minijail / Chromium OS `.policy` files and LXC seccomp configs. The format
// of a file is told from its content (detect_policy_format). docs/formats.md
// says which tool's behaviour each reader follows, construct by construct.
//
//   seccage::OciProfile spo = seccage::read_spo_profile_text(yaml, "app.yaml");
//   seccage::ForeignPolicy mj = seccage::read_minijail_policy("cat.policy");
//   seccage::ForeignPolicy lxc = seccage::read_lxc_policy_text(conf, "common.seccomp");
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seccage/arch.hpp"
#include "seccage/policy.hpp"
#include "seccage/profile.hpp"

namespace seccage {

enum class PolicyFormat : std::uint8_t {
  Text,      // seccage's policy language (docs/policy-language.md)
  OciJson,   // OCI / Docker / Podman JSON, or an OCI config.json
  SpoYaml,   // Security Profiles Operator SeccompProfile objects
  Minijail,  // minijail / Chromium OS .policy
  Lxc,       // LXC seccomp config, version 1 or 2
};

// "text", "OCI JSON", "SPO YAML", "minijail", "LXC": for messages.
std::string_view policy_format_name(PolicyFormat format);

// Tells the format from the content alone (docs/formats.md, "Detection"):
//   OciJson   the first non-blank character is '{'
//   Lxc       the first line is "1" or "2" (lxc reads the version there)
//   SpoYaml   the first statement is "---", or a line at column 0 starts
//             with "apiVersion:" or "kind:"
//   Minijail  the first statement is @include/@frequency/@default/@denylist,
//             or starts with a syscall name (or {names}) directly followed
//             by ':' ("read: 1", "openat: arg2 in ~O_WRONLY")
//   Text      anything else
// Blank lines and '#' comments before the first statement are skipped.
PolicyFormat detect_policy_format(std::string_view text);

// ---- Security Profiles Operator ---------------------------------------------

struct SpoReadOptions {
  OciResolveOptions resolve;  // the spec is resolved as an OCI profile
  // Which SeccompProfile to read when the file holds several (by
  // metadata.name); empty = the only one.
  std::string profile_name;
};

// Reads a SeccompProfile from YAML holding one or several documents ('---'):
// documents of other kinds are skipped (with a warning), and `spec` is read by
// the OCI reader, so actions, arguments, flags and listener fields mean what
// they mean in OCI JSON. Throws InputError naming the file, the document, the
// line and the path (/spec/syscalls/3/action) on bad input, on fields the
// SeccompProfile CRD does not have, and on `baseProfileName` (a reference to
// another object, which a file cannot resolve).
OciProfile read_spo_profile_text(std::string_view yaml, std::string_view source_name,
                                 const SpoReadOptions& options = {});

// ---- minijail and LXC ---------------------------------------------------------

struct ForeignPolicyOptions {
  // The arches the filter covers. minijail: named constants and syscall
  // names are resolved for these (default: the native arch). LXC: replaces
  // the arch family lxc would load for the host (below).
  std::vector<Arch> arches;
  // LXC: the host, whose [section]s apply and whose compat arches the filter
  // covers as lxc builds it (x86_64 -> x86_64, i386, x32).
  Arch host_arch = native_arch();
  // minijail @include: reads a file (already resolved against the including
  // file's folder). Default: from disk; must throw InputError when it cannot.
  std::function<std::string(const std::filesystem::path&)> read_file;
};

struct ForeignPolicy {
  Policy policy;
  std::vector<std::string> warnings;  // "file:line: ...", ready to show
  std::vector<std::string> files;     // every file read, the main one first
};

// minijail / Chromium OS policy: `name: expr` lines, as libminijail's C
// parser (minijail0 -S) reads them. Throws InputError
// "file:line:col: minijail: ..." on bad input and on constructs seccage does
// not support (named in the message).
ForeignPolicy read_minijail_policy_text(std::string_view text, std::string_view source_name,
                                        const ForeignPolicyOptions& options = {});
ForeignPolicy read_minijail_policy(const std::filesystem::path& path, const ForeignPolicyOptions& options = {});

// LXC seccomp config (lxc.seccomp.profile), version 1 or 2, as lxc's
// seccomp.c builds it with libseccomp. Throws InputError "file:line: LXC: ...".
ForeignPolicy read_lxc_policy_text(std::string_view text, std::string_view source_name,
                                   const ForeignPolicyOptions& options = {});

// minijail or LXC by `format`; InputError for the other formats.
ForeignPolicy read_foreign_policy_text(PolicyFormat format, std::string_view text, std::string_view source_name,
                                       const ForeignPolicyOptions& options = {});

}  // namespace seccage
