// libseccomp's return-code discipline: API functions return 0 or a negative
// errno from a fixed set; errors from the kernel are hidden behind -ECANCELED
// unless SCMP_FLTATR_API_SYSRAWRC asks for them as they are.
#pragma once

#include <cerrno>
#include <exception>
#include <new>

#include "context.hpp"

namespace seccage::compat {

// A kernel (system call) failure as the API reports it.
inline int system_error_code(const FilterContext* ctx, int err) {
  if (ctx != nullptr && ctx->state.attrs.sysrawrc) return -err;
  return -ECANCELED;
}

// Runs `body`, turning escaping exceptions into return codes: nothing thrown
// inside seccage ever crosses the C boundary.
template <typename Body>
int guarded(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return -ENOMEM;
  } catch (...) {
    return -EFAULT;
  }
}

}  // namespace seccage::compat
