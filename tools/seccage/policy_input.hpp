// The options every command that takes a policy shares (--profile/PROFILE,
// --preset, --arch, --caps, --kernel, --strict), and reading the policy.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "seccage/policy.hpp"

namespace seccage::cli {

struct PolicyInput {
  std::string profile;              // a file, or "-" for stdin
  std::string preset;
  std::vector<std::string> arches;  // --arch, repeatable
  std::string caps = "docker-default";
  std::string kernel;               // "X.Y"; empty = the running kernel
  bool strict = false;
  bool compatible_multiplex = false;
};

// Adds --preset, --arch, --caps, --kernel, --strict, --multiplex to `app`; the
// profile itself is added by each command (positional or --profile).
void add_policy_options(CLI::App& app, PolicyInput& input);

struct LoadedPolicy {
  Policy policy;
  std::vector<std::string> warnings;  // shown on stderr by the caller
  std::vector<std::string> flags;     // SECCOMP_FILTER_FLAG_* the profile asks for
  std::optional<std::string> listener_path;  // the profile's listenerPath / listenerMetadata
  std::string listener_metadata;
  std::string source;                 // "docker-default.json", "preset default"
};

// A profile's bytes: FILE, or standard input for "-". Throws InputError
// naming the file when it cannot be read.
std::string read_profile_text(const std::string& file);
// JSON profiles start with '{'; anything else is the text policy language.
bool looks_like_json(const std::string& text);

// Reads the profile (format detected from its content) or builds the preset,
// resolved for the first --arch (or the native arch), restricted to the --arch
// list when one is given.
LoadedPolicy load_policy(const PolicyInput& input);

}  // namespace seccage::cli
