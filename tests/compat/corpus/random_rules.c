/* Many mixes of rules from a fixed pseudo-random sequence (the same in both
 * builds): a few syscalls, every action, every operator, values at word
 * boundaries, one to three conditions, with conflicts and refusals among
 * them, on one to three arches. */
#include "corpus.h"

static uint64_t state;
static uint32_t next(void) {
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t)(state >> 33);
}

static const uint64_t values[] = {0, 1, 2, 5, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL, 0x100000005ULL,
                                  0xffffffffffffffffULL};
static const char *syscalls[] = {"read", "write", "dup", "dup3", "lseek", "mmap", "socket", "kill", "clone"};

static uint32_t pick_action(uint32_t r) {
  switch (r % 8) {
    case 0: return SCMP_ACT_KILL_PROCESS;
    case 1: return SCMP_ACT_KILL_THREAD;
    case 2: return SCMP_ACT_TRAP;
    case 3: return SCMP_ACT_ERRNO(1 + next() % 3);
    case 4: return SCMP_ACT_TRACE(next() % 3);
    case 5: return SCMP_ACT_LOG;
    case 6: return SCMP_ACT_ALLOW;
    default: return SCMP_ACT_ERRNO(4);
  }
}

int main(int argc, char **argv) {
  corpus_init(argc, argv);
  for (unsigned seed = 1; seed <= 40; seed++) {
    state = seed;
    uint32_t def = pick_action(next());
    scmp_filter_ctx ctx = seccomp_init(def);
    if (next() % 3 == 0) RC(seccomp_arch_add(ctx, SCMP_ARCH_X86));
    if (next() % 3 == 0) RC(seccomp_arch_add(ctx, SCMP_ARCH_X32));
    unsigned count = 4 + next() % 10;
    for (unsigned i = 0; i < count; i++) {
      uint32_t action = pick_action(next());
      const char *name = syscalls[next() % (sizeof syscalls / sizeof *syscalls)];
      struct scmp_arg_cmp conds[3];
      unsigned n = next() % 4;
      unsigned used = 0, real = 0;
      for (unsigned c = 0; c < n; c++) {
        unsigned arg = next() % 3;
        if (used & (1u << arg)) continue;
        used |= 1u << arg;
        int op = 1 + (int)(next() % 7);
        uint64_t a = values[next() % 10], b = values[next() % 10];
        if (op != SCMP_CMP_MASKED_EQ) b = 0;
        struct scmp_arg_cmp cmp = {arg, (enum scmp_compare)op, a, b};
        conds[real++] = cmp;
      }
      int rc = seccomp_rule_add_array(ctx, action, seccomp_syscall_resolve_name(name), real, conds);
      printf("seed %u rule %u: %s %#x %u conds = %d\n", seed, i, name, action, real, rc);
    }
    char tag[32];
    snprintf(tag, sizeof tag, "random_%02u", seed);
    corpus_dump(ctx, tag);
    seccomp_release(ctx);
  }
  return 0;
}
