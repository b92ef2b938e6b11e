// Writers: a Policy (or its compiled program) in the formats other tools
// consume. Every writer returns the whole text, so a caller can write it with
// write_file_atomically() only once nothing can fail any more.
//
//   policy writers   OCI JSON (runc, crun, containerd, CRI-O), Security
//                    Profiles Operator YAML, Graphviz dot of the decisions
//   program writers  raw sock_filter bytes, a C header, base64 of the raw
//                    bytes (crun's run.oci.seccomp_bpf_data annotation)
//
// docs/writers.md describes each format and what it cannot carry.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seccage/bpf.hpp"
#include "seccage/policy.hpp"

namespace seccage {

// None yet: the filter flags and the listener come from Policy::runtime.
struct OciWriteOptions {};

// The OCI runtime-spec `linux.seccomp` object, resolved: `defaultAction`,
// `defaultErrnoRet`, `architectures` and `syscalls`, with no Docker-only
// fields (archMap, includes, excludes), so containerd (which ignores those
// fields) and CRI-O read it alike. Rules with equal action and arguments are
// grouped into one entry with sorted names, as far as that keeps every
// syscall's rules in their order (their order decides overlapping rules).
// Throws InputError for what OCI JSON cannot say: a rule by number that has
// no single name, TRAP with data. Things it can say only approximately (the
// bad-arch action) are appended to `warnings` when it is given.
std::string write_oci_json(const Policy& policy, const OciWriteOptions& options = {},
                           std::vector<std::string>* warnings = nullptr);

struct SpoWriteOptions {
  std::string name = "seccage-profile";  // metadata.name (a DNS-1123 name; checked)
  // metadata.namespace; empty = none. The v1 SeccompProfile is cluster-scoped
  // (a namespace means nothing there); give one only for an older operator
  // whose namespaced v1beta1 CRD needs it.
  std::string namespace_;
  // v1 is the version SPO stores; v1beta1 is still served.
  std::string api_version = "security-profiles-operator.x-k8s.io/v1";
  // (flags, listenerPath and listenerMetadata come from Policy::runtime.)
};

// A Security Profiles Operator `SeccompProfile` object whose spec mirrors the
// OCI fields written by write_oci_json. Same errors, and an InputError for an
// argument value of 2^63 or more: the CRD's value and valueTwo are int64 with
// minimum 0, so the API server refuses them (and a negative two's-complement
// spelling too). SPO's spec has no `defaultErrnoRet`, so a default errno other
// than EPERM is written anyway and warned about.
std::string write_spo_yaml(const Policy& policy, const SpoWriteOptions& options = {},
                           std::vector<std::string>* warnings = nullptr);

// The program as struct sock_filter bytes in host order.
std::string write_raw_program(const bpf::Program& program);
// A C header: the sock_filter array and a sock_fprog for prctl/seccomp(2).
// `source` names where the program came from, in the header's comment.
std::string write_c_header(const bpf::Program& program, std::string_view source);
// Standard base64 (RFC 4648, padded) of the raw bytes on one line, with a
// trailing newline: the value of crun's run.oci.seccomp_bpf_data annotation.
std::string write_base64_program(const bpf::Program& program);
std::string base64_encode(std::string_view bytes);

// A Graphviz digraph of what the policy decides: per arch, the syscalls
// grouped by decision, the argument tests of conditional syscalls in the
// order the filter runs them, and the actions. `title` labels the graph.
std::string write_dot(const Policy& policy, std::string_view title);

}  // namespace seccage
