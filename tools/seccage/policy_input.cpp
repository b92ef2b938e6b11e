#include "policy_input.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/core.h>

#include "seccage/error.hpp"
#include "seccage/formats.hpp"
#include "seccage/policy_text.hpp"
#include "seccage/presets.hpp"
#include "seccage/profile.hpp"

namespace seccage::cli {

std::string read_profile_text(const std::string& file) {
  if (file == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(fmt::format("cannot read profile '{}': {}", file, std::strerror(errno)));
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw InputError(fmt::format("cannot read profile '{}'", file));
  return s.str();
}

bool looks_like_json(const std::string& text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '{';
  }
  return false;
}

namespace {

// Narrows a resolved profile to the --arch list. Rules naming syscalls that
// exist only on the arches left out (chown32 when only x86_64 remains) are
// dropped: the profile meant them for those arches.
void restrict_arches(Policy& policy, const std::vector<Arch>& arches) {
  std::erase_if(policy.rules, [&](const Rule& rule) {
    const auto* name = std::get_if<std::string>(&rule.syscall);
    if (!name) return false;
    for (Arch a : arches)
      if (syscall_number(a, *name)) return false;
    return true;
  });
  policy.arches = arches;
}

}  // namespace

void add_policy_options(CLI::App& app, PolicyInput& input) {
  app.add_option("--preset", input.preset, "use a built-in policy (`seccage presets` lists them)");
  app.add_option("--arch", input.arches,
                 "architecture(s) the filter covers (repeatable; x86_64, i386, x32, aarch64, arm, riscv64, ...); "
                 "the first is the host a Docker profile is resolved for. Default: the profile's arches for this host");
  app.add_option("--caps", input.caps,
                 "capabilities for Docker includes/excludes: comma-separated names, CAP_ optional, 'none', "
                 "'docker-default' (default), 'all'");
  app.add_option("--kernel", input.kernel, "kernel version X.Y for Docker minKernel (default: the running kernel)");
  app.add_flag("--strict", input.strict, "treat unknown syscall names in a profile as errors, not warnings");
  app.add_flag("--compatible-multiplex", input.compatible_multiplex,
               "i386 socketcall/ipc: carry conditional rules on sub-calls to the multiplexer unconditionally, "
               "as libseccomp does (default: the safe mode, see docs/semantics.md)");
}

LoadedPolicy load_policy(const PolicyInput& input) {
  std::vector<Arch> arches;
  for (const std::string& a : input.arches) arches.push_back(parse_arch_or_throw(a));
  if (!input.preset.empty() && !input.profile.empty())
    throw InputError("give either a profile or --preset, not both");
  if (input.preset.empty() && input.profile.empty())
    throw InputError("no policy: give a profile file or --preset NAME (`seccage presets` lists them)");

  LoadedPolicy out;
  if (!input.preset.empty()) {
    out.policy = preset_policy(input.preset, arches);
    out.source = "preset " + input.preset;
  } else {
    const std::string text = read_profile_text(input.profile);
    const std::string name = input.profile == "-" ? "stdin" : input.profile;
    const PolicyFormat format = detect_policy_format(text);
    if (format == PolicyFormat::Minijail || format == PolicyFormat::Lxc) {
      ForeignPolicy policy = read_foreign_policy_text(format, text, name, {arches, arches.empty() ? native_arch() : arches.front(), {}});
      out.policy = std::move(policy.policy);
      out.warnings = std::move(policy.warnings);
      out.source = name;
      out.policy.multiplex = input.compatible_multiplex ? MultiplexMode::Compatible : MultiplexMode::Safe;
      return out;
    }
    if (format == PolicyFormat::Text) {
      // Anything that does not start with '{' is the text policy language.
      TextPolicyOptions options;
      if (!arches.empty()) {
        options.host_arch = arches.front();
        options.arches = arches;
      }
      // Includes are resolved against the file's folder (stdin: the current one).
      TextPolicy policy = read_text_policy_text(text, name, options);
      out.policy = std::move(policy.policy);
      out.warnings = std::move(policy.warnings);
      out.source = name;
      out.policy.multiplex = input.compatible_multiplex ? MultiplexMode::Compatible : MultiplexMode::Safe;
      return out;
    }
    OciResolveOptions options;
    if (!arches.empty()) options.host_arch = arches.front();
    options.capabilities = parse_capabilities(input.caps);
    if (!input.kernel.empty()) options.kernel = parse_kernel_version(input.kernel);
    options.strict = input.strict;
    OciProfile profile = format == PolicyFormat::SpoYaml ? read_spo_profile_text(text, name, {options, {}})
                                                         : read_oci_profile_text(text, name, options);
    out.policy = std::move(profile.policy);
    out.warnings = std::move(profile.warnings);
    out.flags = std::move(profile.flags);
    out.listener_path = std::move(profile.listener_path);
    out.listener_metadata = std::move(profile.listener_metadata);
    out.source = name;
    if (!arches.empty()) restrict_arches(out.policy, arches);
  }
  out.policy.multiplex = input.compatible_multiplex ? MultiplexMode::Compatible : MultiplexMode::Safe;
  return out;
}

}  // namespace seccage::cli
