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
  if (!input.preset.empty() && !input.profile.empty())
    throw InputError("give either a profile or --preset, not both");
  if (input.preset.empty() && input.profile.empty())
    throw InputError("no policy: give a profile file or --preset NAME (`seccage presets` lists them)");
  const PolicyLoadOptions options = load_options(input);
  if (!input.preset.empty()) return load_preset(input.preset, options);
  return load_policy_text(read_profile_text(input.profile), source_name(input), options);
}

CapabilitySet caps_option(const std::string& list) {
  try {
    return parse_capabilities(list);
  } catch (const InputError& e) {
    throw InputError(std::string("--caps: ") + e.what());
  }
}

PolicyLoadOptions load_options(const PolicyInput& input) {
  PolicyLoadOptions options;
  for (const std::string& a : input.arches) options.arches.push_back(parse_arch_or_throw(a));
  options.capabilities = caps_option(input.caps);
  if (!input.kernel.empty()) options.kernel = parse_kernel_version(input.kernel);
  options.strict = input.strict;
  options.multiplex = input.compatible_multiplex ? MultiplexMode::Compatible : MultiplexMode::Safe;
  return options;
}

std::string source_name(const PolicyInput& input) { return input.profile == "-" ? "stdin" : input.profile; }

}  // namespace seccage::cli
