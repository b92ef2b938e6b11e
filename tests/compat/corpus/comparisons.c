/* Every comparison operator, 64-bit data, the _32 forms, several arguments. */
#include "corpus.h"

int main(int argc, char **argv) {
  corpus_init(argc, argv);
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(read), 1, SCMP_A0(SCMP_CMP_NE, 3)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_LT, 0x100000000ULL)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(3), SCMP_SYS(close), 1, SCMP_A0(SCMP_CMP_LE, 0xffffffffULL)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(4), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_GT, 0x100000001ULL)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(5), SCMP_SYS(dup2), 1, SCMP_A1(SCMP_CMP_GE, 0x80000000ULL)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(6), SCMP_SYS(lseek), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, 0xffffffff00000000ULL, 0x100000000ULL)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(7), SCMP_SYS(fcntl), 2, SCMP_A0(SCMP_CMP_EQ, 5), SCMP_A1(SCMP_CMP_EQ, 2)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(8), SCMP_SYS(ioctl), 3, SCMP_A0_32(SCMP_CMP_EQ, -1), SCMP_A1(SCMP_CMP_GT, 42),
                      SCMP_A2(SCMP_CMP_NE, 0)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(9), SCMP_SYS(pread64), 1, SCMP_A3_64(SCMP_CMP_LT, 4096)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(10), SCMP_SYS(pwrite64), 1, SCMP_A5(SCMP_CMP_EQ, 0xffffffffffffffffULL)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(11), SCMP_SYS(mmap), 2, SCMP_A4(SCMP_CMP_EQ, -1), SCMP_A3_32(SCMP_CMP_MASKED_EQ, 0x20, 0x20)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_KILL, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, 40)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(12), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, 16)));
  RC(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(13), SCMP_SYS(personality), 1, SCMP_A0(SCMP_CMP_NE, 0xffffffff)));
  corpus_dump(ctx, "comparisons");
  seccomp_release(ctx);
  return 0;
}
