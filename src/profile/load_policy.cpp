// The single way a file or preset becomes a Policy (load_policy.hpp): format
// detection, the per-format options, the arch list, and the multiplex mode
// are decided here and nowhere else.
#include "seccage/load_policy.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/core.h>

#include "seccage/error.hpp"
#include "seccage/policy_text.hpp"
#include "seccage/presets.hpp"

namespace seccage {

namespace {

// What every reader returns has a policy and its warnings.
template <class Read>
LoadedPolicy loaded_from(Read read) {
  LoadedPolicy out;
  out.policy = std::move(read.policy);
  out.warnings = std::move(read.warnings);
  return out;
}

LoadedPolicy load_text(std::string_view text, std::string_view name, const PolicyLoadOptions& options) {
  TextPolicyOptions text_options;
  text_options.all_errors = options.all_errors;
  if (!options.arches.empty()) {
    text_options.host_arch = options.arches.front();
    text_options.arches = options.arches;
  }
  return loaded_from(read_text_policy_text(text, name, text_options));
}

OciResolveOptions oci_options(const PolicyLoadOptions& options) {
  OciResolveOptions oci;
  if (!options.arches.empty()) oci.host_arch = options.arches.front();
  oci.arches = options.arches;
  oci.capabilities = options.capabilities;
  oci.kernel = options.kernel;
  oci.strict = options.strict;
  return oci;
}

LoadedPolicy load_foreign(PolicyFormat format, std::string_view text, std::string_view name,
                          const PolicyLoadOptions& options) {
  ForeignPolicyOptions foreign;
  foreign.arches = options.arches;
  if (!options.arches.empty()) foreign.host_arch = options.arches.front();
  return loaded_from(read_foreign_policy_text(format, text, name, foreign));
}

LoadedPolicy load_any(PolicyFormat format, std::string_view text, std::string_view name,
                      const PolicyLoadOptions& options) {
  switch (format) {
    case PolicyFormat::Text: return load_text(text, name, options);
    case PolicyFormat::OciJson: return loaded_from(read_oci_profile_text(text, name, oci_options(options)));
    case PolicyFormat::SpoYaml: return loaded_from(read_spo_profile_text(text, name, {oci_options(options), {}}));
    case PolicyFormat::Minijail:
    case PolicyFormat::Lxc: return load_foreign(format, text, name, options);
  }
  throw std::logic_error("unknown policy format");
}

}  // namespace

LoadedPolicy load_policy_text(std::string_view text, std::string_view source_name, const PolicyLoadOptions& options) {
  const PolicyFormat format = detect_policy_format(text);
  LoadedPolicy out = load_any(format, text, source_name, options);
  out.format = format;
  out.source = std::string(source_name);
  out.policy.multiplex = options.multiplex;
  return out;
}

LoadedPolicy load_policy_file(const std::filesystem::path& path, const PolicyLoadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("cannot read profile '{}': {}", path.string(), std::strerror(errno)));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw InputError(fmt::format("cannot read profile '{}'", path.string()));
  return load_policy_text(bytes.str(), path.string(), options);
}

LoadedPolicy load_preset(std::string_view name, const PolicyLoadOptions& options) {
  LoadedPolicy out;
  out.policy = preset_policy(name, options.arches);
  out.policy.multiplex = options.multiplex;
  out.source = fmt::format("preset {}", name);
  return out;
}

}  // namespace seccage
