// OCI front end, step one: JSON -> typed model (oci_model.hpp). Everything
// that holds on any host is checked here (keys, types, action and operator
// names, errno data, arch names, flags, capabilities, minKernel), each error
// naming the value's place. Resolving the model for one host is step two
// (oci_resolve.hpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "profile/oci_json_access.hpp"
#include "profile/oci_model.hpp"

namespace seccage::profile_detail {

struct ParsedOci {
  oci::Profile profile;
  // Host-independent warnings, one line each, with their place.
  std::vector<std::string> warnings;
};

// A seccomp profile or a whole OCI config.json (its linux.seccomp).
ParsedOci parse_oci_text(std::string_view text, const OciMessages& messages);
// A profile already parsed from another syntax, at pointer `base`.
ParsedOci parse_oci_value(const nlohmann::json& profile, std::string_view base, const OciMessages& messages);

}  // namespace seccage::profile_detail
