// Reads OCI runtime-spec `linux.seccomp` objects, Docker and Podman seccomp
// profiles, and whole OCI config.json files, and resolves them for one host
// into a seccage::Policy: parse into the typed model (oci_parse.cpp), then
// resolve it (oci_resolve.cpp). The runtime behaviour each step reproduces
// (runc, crun, moby, containers/common) is written down in docs/oci.md.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "profile/oci_parse.hpp"
#include "profile/oci_reader_hooks.hpp"
#include "profile/oci_resolve.hpp"
#include "seccage/error.hpp"
#include "seccage/profile.hpp"

namespace seccage {

OciProfile read_oci_profile_text(std::string_view json_text, std::string_view source_name, const OciResolveOptions& options) {
  const profile_detail::OciMessages messages(json_text, std::string(source_name));
  return profile_detail::resolve_oci(profile_detail::parse_oci_text(json_text, messages), messages, options);
}

namespace profile_detail {
OciProfile read_oci_profile_value(const nlohmann::json& profile, std::string_view source, std::string_view base,
                                  PointerLocator where, const OciResolveOptions& options) {
  const OciMessages messages(std::string(source), std::move(where));
  return resolve_oci(parse_oci_value(profile, base, messages), messages, options);
}
}  // namespace profile_detail

OciProfile read_oci_profile(const std::filesystem::path& path, const OciResolveOptions& options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("{}: cannot read the profile: it is a directory", path.string()));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the profile: {}", path.string(), std::strerror(errno)));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw InputError(fmt::format("{}: cannot read the profile: {}", path.string(), std::strerror(errno)));
  const std::string text = buf.str();
  return read_oci_profile_text(text, path.string(), options);
}

}  // namespace seccage
