/* Rules on pseudo numbers (__PNR_*) and exact
 * rules, as libseccomp 2.5.4 answers them (docs/compat.md):
 *   - with the native arch alone a pseudo number is filed as it is, where no
 *     call's number matches it (0; -EDOM for an exact rule);
 *   - with any other arch set, it stands for its name where the arch has
 *     it, unless the native arch has the name as a real syscall (socket,
 *     arch_prctl on x86_64): -EFAULT;
 *   - an exact rule in a filter of several arches is refused, whatever its
 *     number: -EOPNOTSUPP. */
#include "corpus.h"

static void rules(scmp_filter_ctx ctx) {
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(3), -101, 0));     /* __PNR_socket */
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(4), -10001, 0));   /* arch_prctl: real on x86_64 */
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(10), -10029, 0));  /* mmap2: not on x86_64 */
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(5), -50, 0));      /* reserved: -EINVAL */
  RC(seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO(6), -101, 0));
  RC(seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO(7), SCMP_SYS(read), 0));
  RC(seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO(8), 1000, 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(9), SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, 2)));
}

int main(int argc, char **argv) {
  corpus_init(argc, argv);

  scmp_filter_ctx native = seccomp_init(SCMP_ACT_ALLOW);
  rules(native);
  corpus_dump(native, "native_only");
  seccomp_release(native);

  scmp_filter_ctx two = seccomp_init(SCMP_ACT_ALLOW);
  RC(seccomp_arch_add(two, SCMP_ARCH_X86));
  rules(two);
  corpus_dump(two, "with_x86");
  seccomp_release(two);

  scmp_filter_ctx other = seccomp_init(SCMP_ACT_ALLOW);
  RC(seccomp_arch_remove(other, SCMP_ARCH_NATIVE));
  RC(seccomp_arch_add(other, SCMP_ARCH_AARCH64));
  rules(other);
  corpus_dump(other, "aarch64_only");
  seccomp_release(other);

  scmp_filter_ctx arm = seccomp_init(SCMP_ACT_ALLOW);
  RC(seccomp_arch_remove(arm, SCMP_ARCH_NATIVE));
  RC(seccomp_arch_add(arm, SCMP_ARCH_AARCH64));
  RC(seccomp_arch_add(arm, SCMP_ARCH_ARM));
  rules(arm);
  corpus_dump(arm, "aarch64_arm");
  seccomp_release(arm);
  return 0;
}
