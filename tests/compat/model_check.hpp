// Checks an exported program against seccage's reference semantics
// (seccage::evaluate of the Policy the rules stand for), over every syscall
// number of the policy's arches and many argument vectors.
#pragma once

#include <string>
#include <vector>

#include "seccage/bpf.hpp"
#include "seccage/policy.hpp"

namespace seccage::compat_test {

// Mismatches, described (empty when the program decides as the policy).
std::vector<std::string> mismatches_with_model(const bpf::Program& program, const Policy& policy);

}  // namespace seccage::compat_test
