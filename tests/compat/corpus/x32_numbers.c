/* A rule by an x32 number (bit 30 set) added while x86_64 was the only
 * arch: libseccomp files it in its x86_64 filter as it is. Once x32 joins
 * (added, or merged in), libseccomp's program for AUDIT_ARCH_X86_64 is one
 * dispatch over both filters' numbers, and that rule decides its number for
 * x32 calls (found by tests/compat/random_api_differential_test.cpp).
 * Conditions on such rules are the one difference left (docs/compat.md). */
#include "corpus.h"

int main(int argc, char **argv) {
  corpus_init(argc, argv);

  scmp_filter_ctx a = seccomp_init(SCMP_ACT_ERRNO(1));
  RC(seccomp_rule_add(a, SCMP_ACT_LOG, 0x40000029, 0));
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, 0x40000000, 0));
  RC(seccomp_arch_add(a, SCMP_ARCH_X32));
  RC(seccomp_rule_add(a, SCMP_ACT_TRAP, SCMP_SYS(write), 0));
  corpus_dump(a, "added");
  seccomp_release(a);

  a = seccomp_init(SCMP_ACT_KILL_PROCESS);
  scmp_filter_ctx b = seccomp_init(SCMP_ACT_KILL_PROCESS);
  RC(seccomp_arch_remove(b, SCMP_ARCH_NATIVE));
  RC(seccomp_arch_add(b, SCMP_ARCH_X32));
  RC(seccomp_rule_add(b, SCMP_ACT_ALLOW, SCMP_SYS(read), 0));
  RC(seccomp_rule_add(a, SCMP_ACT_TRACE(1), 0x40000020, 0));
  RC(seccomp_merge(a, b));
  corpus_dump(a, "merged");
  seccomp_release(a);

  /* -1 with x86_64 and x32 in different groups (x32 added after a rule):
   * libseccomp tries x32's rules on -1 first, as for the two in one group. */
  a = seccomp_init(SCMP_ACT_TRAP);
  RC(seccomp_rule_add(a, SCMP_ACT_LOG, SCMP_SYS(time), 1, SCMP_A0(SCMP_CMP_LE, 1)));
  RC(seccomp_attr_set(a, SCMP_FLTATR_API_TSKIP, 1));
  RC(seccomp_arch_add(a, SCMP_ARCH_X32));
  RC(seccomp_rule_add(a, SCMP_ACT_ERRNO(1), -1, 1, SCMP_A3(SCMP_CMP_EQ, 0xf2be)));
  corpus_dump(a, "skipped_call");
  seccomp_release(a);
  return 0;
}
