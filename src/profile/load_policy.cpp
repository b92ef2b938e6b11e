// The single way a file or preset becomes a Policy (load_policy.hpp): format
// detection, the per-format options, the arch list, and the multiplex mode
// are decided here and nowhere else.
#include "seccage/load_policy.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/core.h>

#include "seccage/error.hpp"
#include "seccage/policy_text.hpp"
#include "seccage/presets.hpp"

namespace seccage {

std::string_view to_string(PolicyFormat format) {
  switch (format) {
    case PolicyFormat::Text: return "text";
    case PolicyFormat::OciJson: return "OCI JSON";
  }
  return "?";
}

PolicyFormat detect_policy_format(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '{' ? PolicyFormat::OciJson : PolicyFormat::Text;
  }
  return PolicyFormat::Text;
}

namespace {

LoadedPolicy load_text(std::string_view text, std::string_view name, const PolicyLoadOptions& options) {
  TextPolicyOptions text_options;
  if (!options.arches.empty()) {
    text_options.host_arch = options.arches.front();
    text_options.arches = options.arches;
  }
  TextPolicy read = read_text_policy_text(text, name, text_options);
  LoadedPolicy out;
  out.policy = std::move(read.policy);
  out.warnings = std::move(read.warnings);
  return out;
}

LoadedPolicy load_oci(std::string_view text, std::string_view name, const PolicyLoadOptions& options) {
  OciResolveOptions oci;
  if (!options.arches.empty()) oci.host_arch = options.arches.front();
  oci.arches = options.arches;
  oci.capabilities = options.capabilities;
  oci.kernel = options.kernel;
  oci.strict = options.strict;
  OciProfile read = read_oci_profile_text(text, name, oci);
  LoadedPolicy out;
  out.policy = std::move(read.policy);
  out.warnings = std::move(read.warnings);
  return out;
}

}  // namespace

LoadedPolicy load_policy_text(std::string_view text, std::string_view source_name, const PolicyLoadOptions& options) {
  const PolicyFormat format = detect_policy_format(text);
  LoadedPolicy out = format == PolicyFormat::OciJson ? load_oci(text, source_name, options)
                                                     : load_text(text, source_name, options);
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
