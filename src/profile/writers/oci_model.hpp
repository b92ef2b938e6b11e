// The resolved OCI `linux.seccomp` object as the OCI JSON and SPO YAML writers
// both print it: one model, two spellings, so the two can never disagree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seccage/policy.hpp"

namespace seccage::writer_detail {

struct OciArg {
  unsigned index = 0;
  std::uint64_t value = 0;
  std::optional<std::uint64_t> value_two;  // written for MASKED_EQ only
  std::string op;                           // "SCMP_CMP_EQ", ...
};

struct OciEntry {
  std::vector<std::string> names;  // sorted, unique
  std::string action;              // "SCMP_ACT_ALLOW", ...
  std::optional<std::uint32_t> errno_ret;
  std::vector<OciArg> args;        // by index
};

struct OciModel {
  std::string default_action;
  std::optional<std::uint32_t> default_errno_ret;
  std::vector<std::string> architectures;  // SCMP_ARCH_*
  std::vector<std::string> flags;          // SECCOMP_FILTER_FLAG_*
  std::optional<std::string> listener_path;
  std::string listener_metadata;
  std::vector<OciEntry> syscalls;
};

// Throws InputError for a policy OCI JSON cannot express (see writers.hpp).
OciModel build_oci_model(const Policy& policy, std::vector<std::string>* warnings);

}  // namespace seccage::writer_detail
