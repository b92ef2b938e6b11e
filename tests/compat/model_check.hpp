// Checks an exported program against seccage's reference semantics
// (seccage::evaluate of the Policy the rules stand for), over every syscall
// number of the policy's arches and many argument vectors.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "seccage/bpf.hpp"
#include "seccage/policy.hpp"

namespace seccage::compat_test {

// Mismatches, described (empty when the program decides as the policy).
// `skip`, when given, leaves out the (arch, number) pairs it returns true for.
std::vector<std::string> mismatches_with_model(const bpf::Program& program, const Policy& policy,
                                               const std::function<bool(Arch, std::uint32_t)>& skip = {});

}  // namespace seccage::compat_test
