// The OCI seccomp profile (runtime-spec `linux.seccomp`, Docker and Podman
// profiles) as typed values. One model for every front end: the reader parses
// JSON or SPO YAML into it (oci_parse.hpp) and resolves it for one host into
// a Policy (oci_resolve.hpp); the OCI and SPO writers build it from a Policy
// and print it; lint inspects it. Names (SCMP_ACT_*, SCMP_CMP_*, SCMP_ARCH_*)
// are already looked up: only their meaning is kept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seccage/action.hpp"
#include "seccage/arch.hpp"
#include "seccage/policy.hpp"
#include "seccage/profile.hpp"

namespace seccage::oci {

// The JSON pointer of a value in the document the profile was read from
// ("/syscalls/3/args/0"); empty for a profile built in memory.
using Pointer = std::string;

// One syscalls[].args[] condition, as OCI writes it: for MASKED_EQ,
// (arg & value) == valueTwo; the other operators ignore valueTwo.
struct Arg {
  unsigned index = 0;
  std::uint64_t value = 0;
  std::optional<std::uint64_t> value_two;
  CmpOp op = CmpOp::EQ;
  Pointer at;
};

// A syscalls[] entry's includes or excludes (Docker, Podman): which hosts the
// entry is for.
struct Gate {
  std::optional<std::vector<std::string>> caps;    // CAP_*, as written
  std::optional<std::vector<std::string>> arches;  // Docker's arch names: amd64, arm64, ...
  std::optional<KernelVersion> min_kernel;
};

struct SyscallName {
  std::string name;
  Pointer at;  // names/N, or Docker's older single "name"
};

struct Entry {
  std::vector<SyscallName> names;
  Action action;  // with errnoRet / errno already applied
  std::vector<Arg> args;
  std::optional<Gate> includes;
  std::optional<Gate> excludes;
  Pointer at;
};

// An arch as a profile names it. SCMP_ARCH_NATIVE (no arch) stands for the
// host the profile is resolved for.
struct ArchRef {
  std::optional<Arch> arch;
  Pointer at;
};

struct ArchMapEntry {
  ArchRef architecture;
  std::vector<ArchRef> sub_architectures;
};

struct Profile {
  Action default_action;
  std::vector<ArchRef> architectures;
  std::vector<ArchMapEntry> arch_map;
  std::vector<std::string> flags;  // SECCOMP_FILTER_FLAG_*
  std::optional<std::string> listener_path;
  std::optional<std::string> listener_metadata;
  std::vector<Entry> syscalls;
  Pointer at;  // "" for a profile, "/linux/seccomp" inside a config.json
  bool from_config_json = false;
};

// OCI's errnoRet for an action: ERRNO and TRACE carry their data there (runc
// and crun pass it for both); the other actions have none.
inline std::optional<std::uint32_t> errno_ret_of(const Action& a) {
  if (!scmp_action_takes_data(a.kind)) return std::nullopt;
  return a.data;
}

// The entry of a profile at a pointer (an entry's own, or one inside it such
// as "/syscalls/3/args/0"); nullptr when none.
const Entry* entry_at(const Profile& profile, const Pointer& pointer);

}  // namespace seccage::oci
