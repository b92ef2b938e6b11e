// Container seccomp profiles: the OCI runtime-spec `linux.seccomp` object and
// the Docker / Podman profile JSON that extends it, resolved for one host the
// way Docker and Podman resolve them before handing them to runc or crun.
// docs/oci.md says which runtime behaviour each rule follows, and where from.
#pragma once

#include <compare>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "seccage/arch.hpp"
#include "seccage/policy.hpp"

namespace seccage {

// A kernel release as Docker compares it. Docker's `minKernel` and its reading
// of the running kernel look at "<kernel>.<major>" only ("5.10.0-21-amd64" and
// "5.10" are equal); `patch` is kept for display and is not compared.
struct KernelVersion {
  std::uint32_t major = 0;
  std::uint32_t minor = 0;
  std::uint32_t patch = 0;

  // Compares major.minor only, as Docker does.
  friend constexpr bool operator==(const KernelVersion& a, const KernelVersion& b) {
    return a.major == b.major && a.minor == b.minor;
  }
  friend constexpr std::strong_ordering operator<=>(const KernelVersion& a, const KernelVersion& b) {
    if (auto c = a.major <=> b.major; c != 0) return c;
    return a.minor <=> b.minor;
  }
  std::string to_string() const;  // "5.10" or "5.10.3"
};

// "X.Y", "X.Y.Z", and uname releases with a suffix ("6.1.0-18-amd64").
// Throws InputError on anything else.
KernelVersion parse_kernel_version(std::string_view text);
// The running kernel (uname). Throws SystemError if uname fails.
KernelVersion running_kernel_version();

// Capabilities are spelled as Docker's bounding set spells them: "CAP_SYS_ADMIN".
using CapabilitySet = std::set<std::string>;

// Every capability Linux defines (CAP_CHOWN .. CAP_CHECKPOINT_RESTORE), in
// number order.
std::span<const std::string_view> known_capabilities();
// The 14 capabilities Docker grants a container by default.
const CapabilitySet& docker_default_capabilities();
// A `--caps` list: comma-separated, "CAP_" optional, any case; "none" (empty
// set), "all" (every known capability) and "docker-default" may be combined
// with names ("docker-default,sys_admin"). Unknown names throw InputError with
// a did-you-mean.
CapabilitySet parse_capabilities(std::string_view list);

// How a rule with several conditions on the same argument index is split.
enum class ArgSplit : std::uint8_t {
  // What runc and crun do (and so what Docker and Podman containers get): when
  // any index repeats, EVERY condition of the rule becomes a rule of its own,
  // and those rules OR. {a0==1, a0==2, a1==5} -> a0==1 | a0==2 | a1==5.
  Runtime,
  // The cartesian product over the repeated indexes, the other conditions
  // kept on each alternative. {a0==1, a0==2, a1==5} ->
  // (a0==1 && a1==5) | (a0==2 && a1==5). Narrower than Runtime.
  Product,
};

struct OciResolveOptions {
  // The host the profile is resolved for: archMap entry, includes/excludes
  // arches. Default: the arch seccage runs as.
  Arch host_arch = native_arch();
  // The arches the filter covers (`--arch`), when not empty: they replace the
  // profile's own, and a syscall name is kept when any of them has it (an
  // i386-only name stays for i386 whatever the host). Empty: the profile's
  // arches for host_arch, as Docker resolves them.
  std::vector<Arch> arches;
  // The container's bounding set, for includes/excludes `caps`.
  CapabilitySet capabilities = docker_default_capabilities();
  // For `minKernel`; nullopt = the running kernel (read only when a profile
  // has a minKernel).
  std::optional<KernelVersion> kernel;
  // Syscall names no resolved arch has become errors instead of warnings.
  // (ERRNO data of 4095 and above is always an error: libseccomp refuses it,
  // and runc and crun with it.)
  bool strict = false;
  ArgSplit arg_split = ArgSplit::Runtime;
};

// A syscalls[] entry that did not make it into the policy, and why.
struct OciSkippedEntry {
  RuleOrigin origin;   // file and JSON pointer ("file:/syscalls/16")
  std::string reason;  // "excludes.caps: CAP_SYS_ADMIN is granted"
};

struct OciProfile {
  Policy policy;
  // (flags, listenerPath and listenerMetadata are in policy.runtime.)
  // One line each, ready to show ("file: 3 syscall names ... skipped: ...").
  std::vector<std::string> warnings;
  // Origins of rules whose action equals the default action: kept in the
  // policy (where they decide nothing), listed for the linter. runc and crun
  // drop them silently.
  std::vector<RuleOrigin> redundant_rules;
  // Entries dropped by includes/excludes for this host.
  std::vector<OciSkippedEntry> skipped;
  // Syscall names dropped because no resolved arch has them (also warned).
  std::vector<std::string> unknown_syscalls;
  // True when the input was a whole OCI config.json (linux.seccomp inside).
  bool from_config_json = false;
};

// Reads a profile or a config.json. Throws InputError (file, JSON pointer,
// line, what was expected and found) on bad input, also when the file cannot
// be read.
OciProfile read_oci_profile(const std::filesystem::path& path, const OciResolveOptions& options = {});
// Same, from text; `source_name` names it in messages and origins.
OciProfile read_oci_profile_text(std::string_view json, std::string_view source_name,
                                 const OciResolveOptions& options = {});

// The name Docker compares `includes.arches` / `excludes.arches` with for a
// host arch: Go's GOARCH mapped through Docker's goToNative table ("amd64",
// "x86" for 386, "arm64", "mipsel64", ...). Empty when Docker has none.
std::string_view docker_arch_name(Arch arch);

}  // namespace seccage
