/* libseccomp 2.5.4's checks, in its order (found by
 * tests/compat/random_api_differential_test.cpp, docs/compat.md):
 *   - a filter whose arches were all removed answers -EINVAL to rules,
 *     attributes, priorities and exports until an arch is added back;
 *   - a rule: the condition count, the filter, the number (-1 without
 *     TSKIP, -2..-99), the action, then the default action (-EACCES), then
 *     the conditions;
 *   - a pseudo number no name has (-100, INT_MIN) is accepted with the
 *     native arch alone and -EFAULT with others;
 *   - seccomp_syscall_priority checks and translates its number as a rule;
 *   - rules on -1 count only while SCMP_FLTATR_API_TSKIP is set. */
#include <limits.h>
#include "corpus.h"

int main(int argc, char **argv) {
  corpus_init(argc, argv);
  uint32_t v = 0;
  struct scmp_arg_cmp seven[7] = {{0, SCMP_CMP_EQ, 1, 0}, {1, SCMP_CMP_EQ, 1, 0}, {2, SCMP_CMP_EQ, 1, 0},
                                  {3, SCMP_CMP_EQ, 1, 0}, {4, SCMP_CMP_EQ, 1, 0}, {5, SCMP_CMP_EQ, 1, 0},
                                  {0, SCMP_CMP_NE, 2, 0}};
  struct scmp_arg_cmp bad_arg = {7, SCMP_CMP_EQ, 1, 0};

  scmp_filter_ctx a = seccomp_init(SCMP_ACT_ALLOW);
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, SCMP_SYS(read), 0));
  RC(seccomp_arch_remove(a, SCMP_ARCH_NATIVE));
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, SCMP_SYS(write), 0));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, SCMP_SYS(write), 0));
  RC(seccomp_rule_add_exact(a, SCMP_ACT_KILL, SCMP_SYS(write), 0));
  RC(seccomp_attr_get(a, SCMP_FLTATR_CTL_NNP, &v));
  RC(seccomp_attr_set(a, SCMP_FLTATR_CTL_NNP, 0));
  RC(seccomp_attr_set(a, SCMP_FLTATR_ACT_DEFAULT, SCMP_ACT_KILL));
  RC(seccomp_syscall_priority(a, SCMP_SYS(read), 10));
  RC(seccomp_arch_exist(a, SCMP_ARCH_X86_64));
  corpus_dump(a, "no_arch");
  RC(seccomp_arch_add(a, SCMP_ARCH_X86));
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, SCMP_SYS(write), 0));
  RC(seccomp_attr_get(a, SCMP_FLTATR_CTL_NNP, &v));
  corpus_dump(a, "arch_back");
  seccomp_release(a);

  a = seccomp_init(SCMP_ACT_ALLOW);
  RC(seccomp_rule_add_array(a, SCMP_ACT_ALLOW, SCMP_SYS(read), 7, seven));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, -2, 0));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, -1, 0));
  RC(seccomp_rule_add_array(a, SCMP_ACT_ALLOW, SCMP_SYS(read), 1, &bad_arg));
  RC(seccomp_rule_add_array(a, SCMP_ACT_KILL, SCMP_SYS(read), 1, &bad_arg));
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, -100, 0));
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, INT_MIN, 0));
  RC(seccomp_rule_add_exact(a, SCMP_ACT_KILL, -200, 0));
  RC(seccomp_syscall_priority(a, -1, 1));
  RC(seccomp_syscall_priority(a, -50, 1));
  RC(seccomp_syscall_priority(a, -101, 1));
  RC(seccomp_syscall_priority(a, 1000, 1));
  RC(seccomp_attr_set(a, SCMP_FLTATR_API_TSKIP, 1));
  RC(seccomp_syscall_priority(a, -1, 1));
  corpus_dump(a, "native");
  RC(seccomp_arch_add(a, SCMP_ARCH_X86));
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, -100, 0));
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, INT_MIN, 0));
  RC(seccomp_syscall_priority(a, -101, 1));
  RC(seccomp_syscall_priority(a, -10029, 1)); /* mmap2: x86 has it */
  RC(seccomp_syscall_priority(a, -200, 1));
  RC(seccomp_syscall_priority(a, 1000, 1));
  RC(seccomp_syscall_priority(a, SCMP_SYS(read), 1));
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, SCMP_SYS(close), 0));
  corpus_dump(a, "with_x86");
  seccomp_release(a);

  /* A pseudo number with the native arch alone is filed by its number:
   * a rule on it with another action and the same comparisons is refused. */
  a = seccomp_init(SCMP_ACT_ERRNO(1));
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, -20000, 1, SCMP_A0(SCMP_CMP_LT, 0xa63d)));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, -20000, 1, SCMP_A0(SCMP_CMP_LT, 0xffffffff)));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, -20000, 1, SCMP_A0(SCMP_CMP_LT, 0xa63d)));
  RC(seccomp_rule_add(a, SCMP_ACT_KILL, -10029, 0));
  RC(seccomp_rule_add(a, SCMP_ACT_ALLOW, -10029, 0));
  corpus_dump(a, "pseudo_filed");
  seccomp_release(a);

  /* Names no arch of the filter has (_llseek, socketcall on x86_64 and
   * x32) are filed under their pseudo number on each arch: a conflicting
   * rule is refused there too, with the native arch alone or not. */
  for (int i = 0; i < 4; i++) {
    static const uint32_t arches[] = {0, SCMP_ARCH_X32, SCMP_ARCH_X86, SCMP_ARCH_AARCH64};
    a = seccomp_init(SCMP_ACT_ALLOW);
    if (i == 3) RC(seccomp_arch_remove(a, SCMP_ARCH_NATIVE));
    if (arches[i]) RC(seccomp_arch_add(a, arches[i]));
    RC(seccomp_rule_add(a, SCMP_ACT_LOG, SCMP_SYS(_llseek), 1, SCMP_A1(SCMP_CMP_LE, 3)));
    RC(seccomp_rule_add(a, SCMP_ACT_ERRNO(1), SCMP_SYS(_llseek), 1, SCMP_A1(SCMP_CMP_LE, 3)));
    RC(seccomp_rule_add(a, SCMP_ACT_LOG, SCMP_SYS(socketcall), 1, SCMP_A1(SCMP_CMP_LE, 3)));
    RC(seccomp_rule_add(a, SCMP_ACT_ERRNO(1), SCMP_SYS(socketcall), 1, SCMP_A1(SCMP_CMP_LE, 3)));
    RC(seccomp_arch_add(a, SCMP_ARCH_X32));
    RC(seccomp_rule_add(a, SCMP_ACT_ERRNO(1), SCMP_SYS(_llseek), 1, SCMP_A1(SCMP_CMP_LE, 3)));
    seccomp_release(a);
  }

  /* Rules on -1 count only while TSKIP is set: turned off, -1 gets the
   * default action again (libseccomp writes no code for them). */
  a = seccomp_init(SCMP_ACT_ERRNO(1));
  RC(seccomp_attr_set(a, SCMP_FLTATR_API_TSKIP, 1));
  RC(seccomp_rule_add(a, SCMP_ACT_TRAP, -1, 0));
  RC(seccomp_rule_add(a, SCMP_ACT_LOG, SCMP_SYS(read), 0));
  corpus_dump(a, "tskip_on");
  RC(seccomp_attr_set(a, SCMP_FLTATR_API_TSKIP, 0));
  corpus_dump(a, "tskip_off");
  seccomp_release(a);
  return 0;
}
