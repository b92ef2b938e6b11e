/* An allowlist as a small service would write it, with argument checks. */
#include "corpus.h"
#include <sys/mman.h>

int main(int argc, char **argv) {
  corpus_init(argc, argv);
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
  RC(ctx != NULL);
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_LE, 2)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(close), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fstat), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(mprotect), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_WRONLY)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_RDONLY)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(execve), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getpid), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_TRACE(7), SCMP_SYS(ptrace), 0));
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL_THREAD, SCMP_SYS(kill), 1, SCMP_A1(SCMP_CMP_EQ, 9)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1, SCMP_A0(SCMP_CMP_EQ, 0)));
  corpus_dump(ctx, "allowlist");
  seccomp_release(ctx);
  return 0;
}
