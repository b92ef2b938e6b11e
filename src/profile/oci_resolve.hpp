// OCI front end, step two: the typed model (oci_model.hpp) resolved for one
// host into a Policy, as the runtimes do it (docs/oci.md): archMap or
// architectures, includes/excludes, names the arches lack, args split into
// alternatives.
#pragma once

#include "profile/oci_json_access.hpp"
#include "profile/oci_parse.hpp"
#include "seccage/profile.hpp"

namespace seccage::profile_detail {

// `messages` places the warnings (and the error under strict) resolution adds.
OciProfile resolve_oci(const ParsedOci& parsed, const OciMessages& messages, const OciResolveOptions& options);

}  // namespace seccage::profile_detail
