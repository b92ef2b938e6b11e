// Filter::load(): the fluent API's last step. It lives here, not with the
// policy model, so that src/policy stays free of kernel calls.
#include "seccage/compiler.hpp"
#include "seccage/kernel.hpp"
#include "seccage/policy.hpp"

namespace seccage {

void Filter::load() const {
  // Compiling allocates and may throw InputError; both happen before
  // load_filter changes anything.
  const bpf::Program program = compile(policy_);
  kernel::load_filter(program, kernel::LoadOptions{});
}

}  // namespace seccage
