// The OCI JSON and SPO YAML writers print one model, the OCI model every
// front end shares (profile/oci_model.hpp), so the two can never disagree.
#pragma once

#include <string>
#include <vector>

#include "profile/oci_model.hpp"
#include "seccage/policy.hpp"

namespace seccage::writer_detail {

// The resolved `linux.seccomp` object for a policy: no includes/excludes, no
// archMap, names sorted within each entry, args by index. Throws InputError
// for a policy OCI JSON cannot express (see writers.hpp).
oci::Profile build_oci_model(const Policy& policy, std::vector<std::string>* warnings);

}  // namespace seccage::writer_detail
