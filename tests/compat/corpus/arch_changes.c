/* Arches added, removed and merged after rules, as libseccomp 2.5.4 has them
 * (checked with the library, docs/compat.md):
 *   - an arch added after rules starts without them; later rules go to
 *     every arch;
 *   - a rule refused inside libseccomp's transaction (-EEXIST, -EFAULT)
 *     puts the filter back as it was after the last rule it accepted, so an
 *     arch added, removed or merged since then is undone with it; a refusal
 *     before the transaction (-EINVAL, -EACCES) changes nothing. */
#include "corpus.h"

static void arches(scmp_filter_ctx ctx) {
  RC(seccomp_arch_exist(ctx, SCMP_ARCH_X86_64));
  RC(seccomp_arch_exist(ctx, SCMP_ARCH_X86));
  RC(seccomp_arch_exist(ctx, SCMP_ARCH_X32));
  RC(seccomp_arch_exist(ctx, SCMP_ARCH_AARCH64));
}

int main(int argc, char **argv) {
  corpus_init(argc, argv);

  /* Added after rules: x86 gets only the rules added after it. */
  scmp_filter_ctx a = seccomp_init(SCMP_ACT_ERRNO(1));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(read), 0));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  RC(seccomp_arch_add(a, SCMP_ARCH_X86));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(close), 0));
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, 2)));
  RC(seccomp_arch_add(a, SCMP_ARCH_X32));
  RC(seccomp_rule_add(a, SCMP_ACT_TRAP, SCMP_SYS(getpid), 0));
  arches(a);
  corpus_dump(a, "late_arches");
  /* A rule the earlier rules refuse on x86_64 but the later arches would
   * take: refused on every arch, and the arches stay (nothing changed them
   * since the last accepted rule). */
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  arches(a);
  corpus_dump(a, "late_arches_refused");
  seccomp_release(a);

  /* An arch added, then a refused rule: the arch is gone again. */
  a = seccomp_init(SCMP_ACT_KILL);
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  RC(seccomp_arch_add(a, SCMP_ARCH_X86));
  RC(seccomp_rule_add(a, SCMP_ACT_ERRNO(1), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  arches(a);
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(close), 0));
  corpus_dump(a, "added_then_refused");
  /* The same with -EFAULT (a number the native table lacks, with two arches). */
  RC(seccomp_arch_add(a, SCMP_ARCH_X86));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, 1000, 0));
  arches(a);
  /* Refusals before the transaction leave the added arch alone. */
  RC(seccomp_arch_add(a, SCMP_ARCH_X86));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, -50, 0));
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, SCMP_SYS(getuid), 0));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(dup), 2, SCMP_A0(SCMP_CMP_EQ, 1), SCMP_A0(SCMP_CMP_EQ, 2)));
  arches(a);
  /* An accepted rule keeps the arch: a later refusal goes back to it. */
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(getuid), 0));
  RC(seccomp_arch_add(a, SCMP_ARCH_X32));
  RC(seccomp_rule_add(a, SCMP_ACT_TRAP, SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  arches(a);
  corpus_dump(a, "accepted_then_refused");
  seccomp_release(a);

  /* A refused rule right after the first rule fails: no rule accepted
   * since, nothing to go back to. */
  a = seccomp_init(SCMP_ACT_KILL);
  RC(seccomp_arch_add(a, SCMP_ARCH_X86));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, 1000, 0));
  arches(a);
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  RC(seccomp_rule_add(a, SCMP_ACT_ERRNO(1), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  RC(seccomp_arch_add(a, SCMP_ARCH_AARCH64));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, 1000, 0));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, 1000, 0));
  arches(a);
  corpus_dump(a, "refused_twice");
  seccomp_release(a);

  /* A removed arch comes back, with its rules, after a refusal. */
  a = seccomp_init(SCMP_ACT_KILL);
  RC(seccomp_arch_add(a, SCMP_ARCH_X86));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  RC(seccomp_arch_remove(a, SCMP_ARCH_X86));
  arches(a);
  RC(seccomp_rule_add(a, SCMP_ACT_ERRNO(1), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  arches(a);
  corpus_dump(a, "removed_comes_back");
  seccomp_release(a);

  /* A merge, then a refused rule: the merged arches are gone. */
  a = seccomp_init(SCMP_ACT_KILL);
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(read), 0));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  scmp_filter_ctx b = seccomp_init(SCMP_ACT_KILL);
  RC(seccomp_arch_remove(b, SCMP_ARCH_NATIVE));
  RC(seccomp_arch_add(b, SCMP_ARCH_X86));
  RC(seccomp_rule_add(b, SCMP_ACT_ALLOW, SCMP_SYS(write), 0));
  RC(seccomp_merge(a, b));
  arches(a);
  RC(seccomp_rule_add(a, SCMP_ACT_ERRNO(1), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  arches(a);
  corpus_dump(a, "merged_then_refused");
  seccomp_release(a);

  /* A merge, an accepted rule, then a refused one: the merge stays. */
  a = seccomp_init(SCMP_ACT_KILL);
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  b = seccomp_init(SCMP_ACT_KILL);
  RC(seccomp_arch_remove(b, SCMP_ARCH_NATIVE));
  RC(seccomp_arch_add(b, SCMP_ARCH_X86));
  RC(seccomp_rule_add(b, SCMP_ACT_ALLOW, SCMP_SYS(write), 0));
  RC(seccomp_merge(a, b));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(close), 0));
  RC(seccomp_rule_add(a, SCMP_ACT_ERRNO(1), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  arches(a);
  corpus_dump(a, "merged_accepted_refused");
  seccomp_release(a);
  return 0;
}
