// The OCI reader's entry for profiles written in another syntax: Security
// Profiles Operator YAML carries the same fields under `spec`, and goes
// through the very same resolution and checks (docs/formats.md), only with
// positions that point into the YAML.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "seccage/profile.hpp"

namespace seccage::profile_detail {

// "file:12:5" (or "file:12:5 (document 2)") for a JSON pointer into the
// parsed value; the reader prefixes every message with it.
using PointerLocator = std::function<std::string(const std::string& pointer)>;

// Reads `profile` (the object at JSON pointer `base` of the source) as an OCI
// profile: same keys, types, actions, resolution and warnings as
// read_oci_profile_text; origins are `source` with the pointer "base/syscalls/N".
OciProfile read_oci_profile_value(const nlohmann::json& profile, std::string_view source, std::string_view base,
                                  PointerLocator where, const OciResolveOptions& options);

}  // namespace seccage::profile_detail
