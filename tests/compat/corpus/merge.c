/* seccomp_merge: its return codes (attributes, empty filters, overlapping
 * arches, byte order) and merged filters whose arches keep their own rules,
 * then rules added to the merged filter (they go to every arch).
 *
 * A rule refused right after a merge, which undoes the merge in libseccomp
 * 2.5.4, and arches added after rules: arch_changes.c. */
#include "corpus.h"

/* A filter with the default action `def` and `arch` as its only arch. */
static scmp_filter_ctx filter_for(uint32_t def, uint32_t arch) {
  scmp_filter_ctx ctx = seccomp_init(def);
  if (arch != SCMP_ARCH_NATIVE && arch != seccomp_arch_native()) {
    RC(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE));
    RC(seccomp_arch_add(ctx, arch));
  }
  return ctx;
}

int main(int argc, char **argv) {
  corpus_init(argc, argv);

  /* Refusals: src stays alive after a failed merge, and both are released. */
  scmp_filter_ctx a = filter_for(SCMP_ACT_KILL, SCMP_ARCH_X86_64);
  scmp_filter_ctx b = filter_for(SCMP_ACT_ALLOW, SCMP_ARCH_X86);
  RC(seccomp_merge(a, b));  /* default actions differ */
  RC(seccomp_merge(a, NULL));
  RC(seccomp_merge(NULL, b));
  RC(seccomp_merge(a, a));  /* its own arches overlap */
  seccomp_release(b);
  b = filter_for(SCMP_ACT_KILL, SCMP_ARCH_X86);
  RC(seccomp_attr_set(b, SCMP_FLTATR_CTL_NNP, 0));
  RC(seccomp_merge(a, b));  /* NNP differs */
  RC(seccomp_attr_set(b, SCMP_FLTATR_CTL_NNP, 1));
  RC(seccomp_attr_set(b, SCMP_FLTATR_CTL_TSYNC, 1));
  RC(seccomp_merge(a, b));  /* TSYNC differs */
  RC(seccomp_attr_set(b, SCMP_FLTATR_CTL_TSYNC, 0));
  RC(seccomp_arch_remove(b, SCMP_ARCH_X86));
  RC(seccomp_merge(a, b));  /* src has no arch */
  RC(seccomp_merge(b, a));  /* nor has dst */
  RC(seccomp_arch_add(b, SCMP_ARCH_X86_64));
  RC(seccomp_merge(a, b));  /* overlapping arches */
  seccomp_release(b);
  b = filter_for(SCMP_ACT_KILL, SCMP_ARCH_S390X);
  RC(seccomp_merge(a, b));  /* byte orders differ */
  RC(seccomp_arch_add(a, SCMP_ARCH_S390X));  /* nor may one filter mix them */
  RC(seccomp_arch_add(a, SCMP_ARCH_PPC64));
  RC(seccomp_arch_add(b, SCMP_ARCH_X86));
  RC(seccomp_arch_add(b, SCMP_ARCH_PPC64));
  RC(seccomp_arch_exist(b, SCMP_ARCH_PPC64));
  RC(seccomp_arch_exist(a, SCMP_ARCH_S390X));
  seccomp_release(b);
  b = filter_for(SCMP_ACT_ALLOW, SCMP_ARCH_S390X);
  RC(seccomp_merge(a, b));  /* both: the attributes are checked first */
  seccomp_release(b);
  seccomp_release(a);

  /* Two arches, each with its own rules. Attributes other than the default
   * action, NNP and TSYNC may differ: dst's stay. */
  a = filter_for(SCMP_ACT_ERRNO(1), SCMP_ARCH_X86_64);
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(read), 0));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  RC(seccomp_rule_add(a, SCMP_ACT_TRAP, SCMP_SYS(open), 0));
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, SCMP_SYS(kill), 1, SCMP_A1(SCMP_CMP_EQ, 9)));
  b = filter_for(SCMP_ACT_ERRNO(1), SCMP_ARCH_X86);
  RC(seccomp_attr_set(b, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW));
  RC(seccomp_attr_set(b, SCMP_FLTATR_CTL_LOG, 1));
  RC(seccomp_rule_add(b, SCMP_ACT_ALLOW, SCMP_SYS(write), 0));
  RC(seccomp_rule_add(b, SCMP_ACT_ALLOW, SCMP_SYS(mmap2), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, 4, 0)));
  RC(seccomp_rule_add(b, SCMP_ACT_ERRNO(2), SCMP_SYS(open), 0));
  RC(seccomp_merge(a, b));
  uint32_t value = 0;
  RC(seccomp_attr_get(a, SCMP_FLTATR_ACT_BADARCH, &value));
  printf("bad arch action after merge: %#x\n", value);
  RC(seccomp_arch_exist(a, SCMP_ARCH_X86));
  RC(seccomp_arch_exist(a, SCMP_ARCH_X86_64));
  RC(seccomp_arch_exist(a, SCMP_ARCH_X32));
  corpus_dump(a, "merge_two");

  /* Rules added to the merged filter reach both arches. */
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(close), 0));
  RC(seccomp_rule_add(a, SCMP_ACT_LOG, SCMP_SYS(getpid), 0));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_LT, 3)));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, 1000, 0));  /* no native name: -EFAULT with two arches */
  corpus_dump(a, "merge_two_more");

  /* A merged filter merged into another: three groups of rules. */
  scmp_filter_ctx arm = filter_for(SCMP_ACT_ERRNO(1), SCMP_ARCH_AARCH64);
  RC(seccomp_rule_add(arm, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1, SCMP_A2(SCMP_CMP_EQ, 0)));
  RC(seccomp_rule_add(arm, SCMP_ACT_KILL_PROCESS, SCMP_SYS(ptrace), 0));
  scmp_filter_ctx arm32 = filter_for(SCMP_ACT_ERRNO(1), SCMP_ARCH_ARM);
  RC(seccomp_arch_add(arm32, SCMP_ARCH_RISCV64));
  RC(seccomp_rule_add(arm32, SCMP_ACT_ALLOW, SCMP_SYS(read), 0));
  RC(seccomp_rule_add(arm32, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1, SCMP_A3(SCMP_CMP_GT, 0x100000000ULL)));
  RC(seccomp_merge(arm, arm32));
  RC(seccomp_merge(a, arm));
  RC(seccomp_arch_exist(a, SCMP_ARCH_RISCV64));
  corpus_dump(a, "merge_four");
  seccomp_release(a);

  /* Filters with the same rules (the common use: one profile built per arch). */
  a = filter_for(SCMP_ACT_KILL_PROCESS, SCMP_ARCH_X86_64);
  b = filter_for(SCMP_ACT_KILL_PROCESS, SCMP_ARCH_X86);
  scmp_filter_ctx both[2] = {a, b};
  for (int i = 0; i < 2; i++) {
    RC(seccomp_rule_add(both[i], SCMP_ACT_ALLOW, SCMP_SYS(read), 0));
    RC(seccomp_rule_add(both[i], SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0));
    RC(seccomp_rule_add(both[i], SCMP_ACT_ERRNO(13), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_NE, 1)));
  }
  RC(seccomp_merge(a, b));
  corpus_dump(a, "merge_same");
  seccomp_release(a);
  return 0;
}
