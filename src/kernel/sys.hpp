// Private to src/kernel: the raw seccomp(2) call and the flag probe, shared by
// the loader and the probes (and reachable from the tests, which check the
// probe against bits no kernel knows).
#pragma once

#include <cstdint>
#include <string_view>

namespace seccage::kernel::detail {

// seccomp(2) through syscall(2) (glibc has no wrapper). Returns what the
// kernel returns; errno is set on -1. Falls back to prctl(PR_SET_SECCOMP) for
// the two set-mode operations (without flags) on kernels before 3.17, where
// seccomp(2) answers ENOSYS.
long seccomp_call(unsigned op, unsigned flags, void* args) noexcept;

// Asks SECCOMP_SET_MODE_FILTER with `bits` and a null program. The kernel
// validates flags (and their combinations) before it copies the program, so a
// known set of flags answers EFAULT and an unknown one EINVAL, and nothing is
// installed either way. Returns the errno (EFAULT meaning: supported).
int probe_filter_flags(std::uint32_t bits) noexcept;

// The bits that must accompany `bit` for the kernel to accept it alone
// (WAIT_KILLABLE_RECV is refused without NEW_LISTENER).
std::uint32_t probe_companions(std::uint32_t bit) noexcept;

// "6.18.44-fc" -> 6, 18. False when the release does not start with N.N.
bool parse_release(std::string_view release, int& major, int& minor) noexcept;

}  // namespace seccage::kernel::detail
