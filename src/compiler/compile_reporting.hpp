// compile() that also hands back the rules libseccomp would refuse (they have
// no effect in the program), from the same pass over the policy, for callers
// that report them (`seccage compile`).
#pragma once

#include <vector>

#include "policy/evaluator.hpp"
#include "seccage/compiler.hpp"

namespace seccage {

bpf::Program compile(const Policy& policy, const CompileOptions& options, std::vector<RefusedRule>* refused);

}  // namespace seccage
