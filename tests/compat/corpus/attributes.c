/* Attributes, arches and the other settings, with their error cases. */
#include "corpus.h"

static void show_attr(scmp_filter_ctx ctx, int attr) {
  uint32_t v = 12345;
  int rc = seccomp_attr_get(ctx, (enum scmp_filter_attr)attr, &v);
  printf("attr %d = %d value %u\n", attr, rc, rc == 0 ? v : 0);
}

int main(int argc, char **argv) {
  corpus_init(argc, argv);
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(38));
  for (int a = 0; a <= 9; a++) show_attr(ctx, a);
  uint32_t v;
  RC(seccomp_attr_get(NULL, SCMP_FLTATR_CTL_NNP, &v));
  RC(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_DEFAULT, SCMP_ACT_ALLOW));
  RC(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, 0x12340000U));
  RC(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(22)));
  RC(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0));
  RC(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1));
  RC(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 7));
  RC(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1));
  RC(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 0));
  RC(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 3));
  RC(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2));
  RC(seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1));
  RC(seccomp_attr_set(ctx, 0, 1));
  RC(seccomp_attr_set(ctx, 99, 1));
  for (int a = 0; a <= 9; a++) show_attr(ctx, a);
  /* arches */
  RC(seccomp_arch_exist(ctx, SCMP_ARCH_NATIVE));
  RC(seccomp_arch_exist(ctx, SCMP_ARCH_X86_64));
  RC(seccomp_arch_exist(ctx, SCMP_ARCH_X86));
  RC(seccomp_arch_exist(ctx, 0x1234));
  RC(seccomp_arch_add(ctx, SCMP_ARCH_X86));
  RC(seccomp_arch_exist(ctx, SCMP_ARCH_X86));
  RC(seccomp_arch_add(ctx, SCMP_ARCH_X86));
  RC(seccomp_arch_add(ctx, 0x1234));
  RC(seccomp_arch_remove(ctx, SCMP_ARCH_X32));
  RC(seccomp_arch_add(ctx, SCMP_ARCH_X32));
  RC(seccomp_arch_remove(ctx, SCMP_ARCH_X32));
  RC(seccomp_arch_remove(ctx, 0x1234));
  RC(seccomp_arch_native() == SCMP_ARCH_X86_64);
  RC(seccomp_arch_resolve_name("x86") == SCMP_ARCH_X86);
  RC(seccomp_arch_resolve_name("x86_64") == SCMP_ARCH_X86_64);
  RC(seccomp_arch_resolve_name("x32") == SCMP_ARCH_X32);
  RC(seccomp_arch_resolve_name("aarch64") == SCMP_ARCH_AARCH64);
  RC(seccomp_arch_resolve_name("riscv64") == SCMP_ARCH_RISCV64);
  RC(seccomp_arch_resolve_name("mipsel64n32") == SCMP_ARCH_MIPSEL64N32);
  RC(seccomp_arch_resolve_name("amd64"));
  RC(seccomp_arch_resolve_name("nonsense"));
  RC(seccomp_syscall_priority(ctx, SCMP_SYS(read), 200));
  RC(seccomp_syscall_priority(ctx, -5, 200));
  RC(seccomp_syscall_priority(ctx, -101, 1));
  RC(seccomp_syscall_priority(NULL, 0, 1));
  RC(seccomp_notify_fd(ctx));
  RC(seccomp_notify_fd(NULL));
  RC(seccomp_merge(ctx, ctx));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 0));
  corpus_dump(ctx, "attributes");
  RC(seccomp_reset(ctx, 0x12340000U));
  RC(seccomp_reset(ctx, SCMP_ACT_KILL_PROCESS));
  show_attr(ctx, SCMP_FLTATR_ACT_DEFAULT);
  show_attr(ctx, SCMP_FLTATR_CTL_NNP);
  RC(seccomp_arch_exist(ctx, SCMP_ARCH_X86));
  corpus_dump(ctx, "reset");
  RC(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE));
  corpus_dump(ctx, "no_arches");
  RC(seccomp_arch_add(ctx, SCMP_ARCH_AARCH64));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0));
  corpus_dump(ctx, "aarch64_only");
  seccomp_release(ctx);
  return 0;
}
