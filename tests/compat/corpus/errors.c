/* Bad input and refused rules: every return code must match libseccomp's. */
#include "corpus.h"

int main(int argc, char **argv) {
  corpus_init(argc, argv);
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  struct scmp_arg_cmp seven[7] = {0};
  RC(seccomp_init(0x12340000U) == NULL);
  RC(seccomp_init(SCMP_ACT_ERRNO(4095)) == NULL);
  RC(seccomp_init(SCMP_ACT_TRAP | 1) == NULL);
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0));  /* the default */
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL, -1, 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL, -2, 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL, -50, 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL, -99, 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL, -101, 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL, -99999, 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL, 1000, 0));
  RC(seccomp_rule_add(ctx, 0x12340000U, SCMP_SYS(read), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(4095), SCMP_SYS(read), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(4094), SCMP_SYS(readv), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_TRAP | 5, SCMP_SYS(read), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS | 1, SCMP_SYS(read), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL, SCMP_SYS(write), 1, SCMP_CMP(6, SCMP_CMP_EQ, 1)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL, SCMP_SYS(write), 1, SCMP_CMP(1, 0, 1)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL, SCMP_SYS(write), 1, SCMP_CMP(1, 8, 1)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL, SCMP_SYS(write), 2, SCMP_A0(SCMP_CMP_EQ, 1), SCMP_A0(SCMP_CMP_EQ, 2)));
  RC(seccomp_rule_add_array(ctx, SCMP_ACT_KILL, SCMP_SYS(write), 7, seven));
  RC(seccomp_rule_add_array(ctx, SCMP_ACT_KILL, SCMP_SYS(write), 1, NULL));
  RC(seccomp_rule_add(NULL, SCMP_ACT_KILL, SCMP_SYS(write), 0));
  RC(seccomp_rule_add_exact(NULL, SCMP_ACT_KILL, SCMP_SYS(write), 0));
  /* conflicts */
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(5), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(5), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  RC(seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO(5), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(6), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  RC(seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO(6), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(7), SCMP_SYS(dup), 2, SCMP_A0(SCMP_CMP_EQ, 1), SCMP_A1(SCMP_CMP_EQ, 5)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(8), SCMP_SYS(dup3), 2, SCMP_A0(SCMP_CMP_EQ, 1), SCMP_A1(SCMP_CMP_EQ, 5)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(9), SCMP_SYS(dup3), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(6), SCMP_SYS(close), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(6), SCMP_SYS(close), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(7), SCMP_SYS(close), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(8), SCMP_SYS(close), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  RC(seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO(6), SCMP_SYS(fsync), 0));
  RC(seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO(7), SCMP_SYS(fsync), 0));
  /* rules on syscall -1 with TSKIP */
  RC(seccomp_attr_set(ctx, SCMP_FLTATR_API_TSKIP, 1));
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL, -1, 0));
  corpus_dump(ctx, "errors");
  seccomp_release(ctx);
  return 0;
}
