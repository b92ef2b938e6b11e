// The options every command that takes a policy shares (--profile/PROFILE,
// --preset, --arch, --caps, --kernel, --strict), and reading the policy.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "seccage/load_policy.hpp"
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

using seccage::LoadedPolicy;

// A profile's bytes: FILE, or standard input for "-". Throws InputError
// naming the file when it cannot be read.
std::string read_profile_text(const std::string& file);
// Reads the profile or builds the preset through the library's one loader
// (load_policy.hpp), with the options turned into PolicyLoadOptions.
LoadedPolicy load_policy(const PolicyInput& input);
// The options load_policy() passes to the library.
PolicyLoadOptions load_options(const PolicyInput& input);
// --caps LIST, with the option named in its errors.
CapabilitySet caps_option(const std::string& list);
// How the profile is named in messages and origins ("stdin" for "-").
std::string source_name(const PolicyInput& input);

}  // namespace seccage::cli
