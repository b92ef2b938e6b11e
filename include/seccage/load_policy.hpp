// One way to load a policy: a file in any supported format (detected from its
// content) or a built-in preset, resolved for the arches the filter will
// cover, with the documented defaults. The command-line tool calls this, so a
// program built on the library gets the same filter as `seccage compile` for
// the same file and arches.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seccage/arch.hpp"
#include "seccage/formats.hpp"
#include "seccage/policy.hpp"
#include "seccage/profile.hpp"

namespace seccage {

struct PolicyLoadOptions {
  // The arches the filter covers, in the order given. The first is the host a
  // Docker profile is resolved for (archMap, includes/excludes). Empty: the
  // profile's own arches for the native host.
  std::vector<Arch> arches;
  // For Docker includes/excludes `caps`.
  CapabilitySet capabilities = docker_default_capabilities();
  // For Docker `minKernel`; nullopt = the running kernel.
  std::optional<KernelVersion> kernel;
  // Unknown syscall names (on every covered arch) are errors, not warnings.
  bool strict = false;
  // socketcall/ipc sub-calls (docs/semantics.md): Safe for every format.
  MultiplexMode multiplex = MultiplexMode::Safe;
  // Text policies: every error of the file in the InputError, one per line
  // (TextPolicyOptions::all_errors); other formats stop at the first.
  bool all_errors = false;
};

struct LoadedPolicy {
  Policy policy;
  PolicyFormat format = PolicyFormat::Text;
  std::vector<std::string> warnings;  // one line each, ready to show
  std::string source;                 // "docker-default.json", "preset default"
};

// Reads and resolves a policy from its bytes, in any format of formats.hpp
// (detect_policy_format); `source_name` names it in
// messages and origins (text includes are resolved against its folder).
// Throws InputError on bad input.
LoadedPolicy load_policy_text(std::string_view text, std::string_view source_name, const PolicyLoadOptions& options = {});
// Same from a file. Throws InputError naming the file when it cannot be read.
LoadedPolicy load_policy_file(const std::filesystem::path& path, const PolicyLoadOptions& options = {});
// A built-in preset (presets.hpp) with the same options.
LoadedPolicy load_preset(std::string_view name, const PolicyLoadOptions& options = {});

}  // namespace seccage
