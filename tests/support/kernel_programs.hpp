// Tiny hand-written filters for the kernel-layer tests, so that those tests do
// not depend on the compiler they are meant to be independent of.
#pragma once

#include <cstdint>

#include "seccage/bpf.hpp"

namespace seccage::test {

// "return `ret` for syscall `nr`, allow everything else". It looks at nr only:
// the tests run native code in a throwaway child, where the arch check a real
// policy needs (x32, i386 entry) would only add noise.
inline bpf::Program ret_for_syscall(long nr, std::uint32_t ret) {
  using namespace bpf::op;
  constexpr std::uint32_t kRetAllow = 0x7fff0000u;  // SECCOMP_RET_ALLOW
  return {
      bpf::stmt(LD | W | ABS, bpf::kOffNr),
      bpf::jump(JMP | JEQ | K, static_cast<std::uint32_t>(nr), 0, 1),
      bpf::stmt(RET | K, ret),
      bpf::stmt(RET | K, kRetAllow),
  };
}

}  // namespace seccage::test
