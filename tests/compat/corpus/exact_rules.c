/* Exact rules (seccomp_rule_add_exact) as libseccomp 2.5.4 answers them
 * (found by tests/compat/random_api_differential_test.cpp, docs/compat.md):
 *   - in a filter of several arches: -EOPNOTSUPP before libseccomp's
 *     transaction, so an arch added since the last accepted rule stays;
 *   - in a filter of one arch the number is translated as a plain rule's,
 *     and then: -EDOM where the arch has no such syscall, -EINVAL for a rule
 *     with conditions on a socket/IPC sub-call the arch reaches through
 *     socketcall/ipc (inside the transaction);
 *   - "the native arch alone" holds too after it was removed and added
 *     back past rules. */
#include "corpus.h"

int main(int argc, char **argv) {
  corpus_init(argc, argv);

  /* -EOPNOTSUPP undoes nothing: x32 stays. */
  scmp_filter_ctx a = seccomp_init(SCMP_ACT_ALLOW);
  RC(seccomp_rule_add(a, SCMP_ACT_TRAP, SCMP_SYS(socket), 1, SCMP_A4(SCMP_CMP_EQ, 1)));
  RC(seccomp_arch_add(a, SCMP_ARCH_X32));
  RC(seccomp_rule_add_exact(a, SCMP_ACT_KILL, SCMP_SYS(socket), 0));
  RC(seccomp_arch_exist(a, SCMP_ARCH_X32));
  RC(seccomp_arch_add(a, SCMP_ARCH_X32));
  corpus_dump(a, "x32_stays");
  seccomp_release(a);

  /* One arch, x86. */
  a = seccomp_init(SCMP_ACT_ALLOW);
  RC(seccomp_arch_remove(a, SCMP_ARCH_NATIVE));
  RC(seccomp_arch_add(a, SCMP_ARCH_X86));
  RC(seccomp_rule_add_exact(a, SCMP_ACT_KILL, SCMP_SYS(socket), 1, SCMP_A1(SCMP_CMP_EQ, 5)));
  RC(seccomp_rule_add_exact(a, SCMP_ACT_KILL, SCMP_SYS(semop), 1, SCMP_A2(SCMP_CMP_EQ, 5)));
  RC(seccomp_rule_add_exact(a, SCMP_ACT_KILL, SCMP_SYS(recvmmsg), 1, SCMP_A0(SCMP_CMP_EQ, 5)));
  RC(seccomp_rule_add_exact(a, SCMP_ACT_ERRNO(1), SCMP_SYS(socket), 0));
  RC(seccomp_rule_add_exact(a, SCMP_ACT_KILL, SCMP_SYS(read), 1, SCMP_A0(SCMP_CMP_EQ, 5)));
  RC(seccomp_rule_add_exact(a, SCMP_ACT_KILL, -10029, 0)); /* mmap2: x86 has it */
  RC(seccomp_rule_add_exact(a, SCMP_ACT_KILL, -101, 0));
  corpus_dump(a, "x86_only");
  seccomp_release(a);

  /* One arch, x32 (no mmap2) and aarch64. */
  a = seccomp_init(SCMP_ACT_ALLOW);
  RC(seccomp_arch_remove(a, SCMP_ARCH_NATIVE));
  RC(seccomp_arch_add(a, SCMP_ARCH_X32));
  RC(seccomp_rule_add_exact(a, SCMP_ACT_KILL, -10029, 0));
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, -10029, 0));
  RC(seccomp_rule_add_exact(a, SCMP_ACT_KILL, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, 5)));
  RC(seccomp_rule_add_exact(a, SCMP_ACT_KILL, 0x40000029, 0));
  corpus_dump(a, "x32_only");
  RC(seccomp_arch_remove(a, SCMP_ARCH_X32));
  RC(seccomp_arch_add(a, SCMP_ARCH_AARCH64));
  RC(seccomp_rule_add_exact(a, SCMP_ACT_KILL, -10029, 0));
  RC(seccomp_rule_add_exact(a, SCMP_ACT_KILL, SCMP_SYS(read), 0));
  corpus_dump(a, "aarch64_only");
  seccomp_release(a);

  /* The native arch removed and added back after rules: alone again. */
  a = seccomp_init(SCMP_ACT_ALLOW);
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, SCMP_SYS(read), 0));
  RC(seccomp_arch_remove(a, SCMP_ARCH_NATIVE));
  RC(seccomp_arch_add(a, SCMP_ARCH_X86_64));
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, 547, 0));
  RC(seccomp_rule_add_exact(a, SCMP_ACT_KILL, SCMP_SYS(write), 0));
  /* (No refusal after this: it would restore libseccomp's copy, which
   * pairs the removed x86_64's rules with the new one by index, a
   * divergence the drop-in does not copy: docs/compat.md.) */
  corpus_dump(a, "native_back");
  seccomp_release(a);
  return 0;
}
