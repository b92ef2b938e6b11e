/* Several arches, names some of them lack, multiplexed calls (run with
 * SECCAGE_COMPAT_MULTIPLEX=compatible for libseccomp's expansion). */
#include "corpus.h"

int main(int argc, char **argv) {
  corpus_init(argc, argv);
  const uint32_t arches[] = {SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32, SCMP_ARCH_AARCH64, SCMP_ARCH_ARM,
                             SCMP_ARCH_RISCV64, SCMP_ARCH_PPC64LE, SCMP_ARCH_S390X};
  const char *names[] = {"socket", "socketcall", "accept4", "ipc", "semop", "read", "open", "nonexistent",
                         "arch_prctl", "recv", "mmap2", "_llseek", "fstatat64", "newfstatat", "clone3"};
  for (unsigned a = 0; a < sizeof arches / sizeof *arches; a++)
    for (unsigned n = 0; n < sizeof names / sizeof *names; n++) corpus_resolve(arches[a], names[n]);
  int nums[] = {0, 1, 59, 334, 435, 1000, -1, -101, -10101};
  for (unsigned i = 0; i < sizeof nums / sizeof *nums; i++) {
    char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nums[i]);
    printf("name %d = %s\n", nums[i], name ? name : "(null)");
    free(name);
  }

  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(1));
  RC(seccomp_arch_add(ctx, SCMP_ARCH_X86));
  RC(seccomp_arch_add(ctx, SCMP_ARCH_X32));
  RC(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_THREAD));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, 1)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(arch_prctl), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(connect), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(semop), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(open), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_LOG, seccomp_syscall_resolve_name("mmap2"), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, seccomp_syscall_resolve_name("socketcall"), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, 1000, 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL, SCMP_SYS(kill), 1, SCMP_A1(SCMP_CMP_EQ, 9)));
  corpus_dump(ctx, "x86_family");

  scmp_filter_ctx arm = seccomp_init(SCMP_ACT_KILL_PROCESS);
  RC(seccomp_arch_remove(arm, SCMP_ARCH_NATIVE));
  RC(seccomp_arch_add(arm, SCMP_ARCH_AARCH64));
  RC(seccomp_arch_add(arm, SCMP_ARCH_ARM));
  RC(seccomp_arch_add(arm, SCMP_ARCH_RISCV64));
  RC(seccomp_rule_add(arm, SCMP_ACT_ALLOW, SCMP_SYS(read), 0));
  RC(seccomp_rule_add(arm, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1, SCMP_A2(SCMP_CMP_EQ, 0)));
  RC(seccomp_rule_add(arm, SCMP_ACT_ERRNO(2), SCMP_SYS(open), 0));
  RC(seccomp_rule_add(arm, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1, SCMP_A3(SCMP_CMP_GT, 0x100000000ULL)));
  RC(seccomp_rule_add(arm, SCMP_ACT_ALLOW, 1000, 0));
  corpus_dump(arm, "arm_family");
  seccomp_release(arm);
  seccomp_release(ctx);
  return 0;
}
