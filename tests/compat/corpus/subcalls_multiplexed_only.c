/* Rules on socket/IPC sub-calls an arch has no direct syscall for (semop,
 * semget on i386 through ipc; recv through socketcall) in filters of that
 * arch alone: they reach it through the multiplexer. Before (found by
 * tests/compat/random_api_differential_test.cpp) the drop-in dropped them
 * there: a KILL on semop left ipc(SEMOP, ...) to the default. */
#include "corpus.h"

static void rules(scmp_filter_ctx ctx) {
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL, SCMP_SYS(semop), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(semtimedop), 1, SCMP_A1(SCMP_CMP_LT, 5)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), SCMP_SYS(recv), 0));
}

int main(int argc, char **argv) {
  corpus_init(argc, argv);

  scmp_filter_ctx a = seccomp_init(SCMP_ACT_ALLOW);
  RC(seccomp_arch_remove(a, SCMP_ARCH_NATIVE));
  RC(seccomp_arch_add(a, SCMP_ARCH_X86));
  rules(a);
  corpus_dump(a, "x86_only");
  seccomp_release(a);

  /* x86 added after a rule: a group of its own, which later rules reach. */
  a = seccomp_init(SCMP_ACT_ERRNO(4094));
  RC(seccomp_rule_add(a, SCMP_ACT_TRAP, SCMP_SYS(time), 1, SCMP_A2(SCMP_CMP_NE, 0x80000000)));
  RC(seccomp_arch_add(a, SCMP_ARCH_X86));
  RC(seccomp_rule_add(a, SCMP_ACT_ERRNO(1), SCMP_SYS(semop), 2, SCMP_A1(SCMP_CMP_LT, 0x423e),
                      SCMP_A0(SCMP_CMP_NE, 0xffffffffffffff9cULL)));
  corpus_dump(a, "x86_added");
  seccomp_release(a);

  /* Merged in from a filter of x86 alone. */
  a = seccomp_init(SCMP_ACT_ALLOW);
  scmp_filter_ctx b = seccomp_init(SCMP_ACT_ALLOW);
  RC(seccomp_arch_remove(b, SCMP_ARCH_NATIVE));
  RC(seccomp_arch_add(b, SCMP_ARCH_X86));
  rules(b);
  RC(seccomp_merge(a, b));
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, SCMP_SYS(shmget), 0));
  corpus_dump(a, "merged");
  seccomp_release(a);
  return 0;
}
