/*
 * seccage-compat: the libseccomp 2.6 C API, implemented on seccage's compiler.
 *
 * Names, types, constants and return codes are libseccomp's, so a program
 * written for libseccomp builds against this header unchanged (through
 * `pkg-config --cflags --libs seccage-compat`) and an already-built one runs
 * on the drop-in libseccomp.so.2 through LD_LIBRARY_PATH. What differs from
 * libseccomp, and why, is in seccage's docs/compat.md.
 */
#ifndef SECCAGE_COMPAT_SECCOMP_H
#define SECCAGE_COMPAT_SECCOMP_H
/* libseccomp's own include guard: code that tests it sees the API present. */
#ifndef _SECCOMP_H
#define _SECCOMP_H
#endif

#include <elf.h>
#include <inttypes.h>
#include <stddef.h>
#include <asm/unistd.h>
#include <linux/audit.h>
#include <linux/types.h>
#include <linux/seccomp.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The API level this header describes (libseccomp 2.6.2's). */
#define SCMP_VER_MAJOR 2
#define SCMP_VER_MINOR 6
#define SCMP_VER_MICRO 2

struct scmp_version {
  unsigned int major;
  unsigned int minor;
  unsigned int micro;
};

/* A filter under construction; opaque. */
typedef void *scmp_filter_ctx;

enum scmp_filter_attr {
  _SCMP_FLTATR_MIN = 0,
  SCMP_FLTATR_ACT_DEFAULT = 1,  /* the default action (read only) */
  SCMP_FLTATR_ACT_BADARCH = 2,  /* the action for a foreign arch */
  SCMP_FLTATR_CTL_NNP = 3,      /* set NO_NEW_PRIVS when loading */
  SCMP_FLTATR_CTL_TSYNC = 4,    /* load on every thread */
  SCMP_FLTATR_API_TSKIP = 5,    /* accept rules on syscall -1 */
  SCMP_FLTATR_CTL_LOG = 6,      /* log every action but ALLOW */
  SCMP_FLTATR_CTL_SSB = 7,      /* no speculative store bypass mitigation */
  SCMP_FLTATR_CTL_OPTIMIZE = 8, /* 1 or 2; seccage's layout is always its own */
  SCMP_FLTATR_API_SYSRAWRC = 9, /* return the kernel's errno as it is */
  SCMP_FLTATR_CTL_WAITKILL = 10,/* notified tasks wait killably */
  _SCMP_FLTATR_MAX,
};

enum scmp_compare {
  _SCMP_CMP_MIN = 0,
  SCMP_CMP_NE = 1,
  SCMP_CMP_LT = 2,
  SCMP_CMP_LE = 3,
  SCMP_CMP_EQ = 4,
  SCMP_CMP_GE = 5,
  SCMP_CMP_GT = 6,
  SCMP_CMP_MASKED_EQ = 7, /* (arg & datum_a) == datum_b */
  _SCMP_CMP_MAX,
};

typedef uint64_t scmp_datum_t;

struct scmp_arg_cmp {
  unsigned int arg;
  enum scmp_compare op;
  scmp_datum_t datum_a;
  scmp_datum_t datum_b;
};

/* Arch tokens: the AUDIT_ARCH_* values (x32 is x86_64's machine, no 64-bit
 * flag). Values the kernel headers may lack are spelled out. */
#define SCMP_ARCH_NATIVE 0
#define SCMP_ARCH_X86 AUDIT_ARCH_I386
#define SCMP_ARCH_X86_64 AUDIT_ARCH_X86_64
#define SCMP_ARCH_X32 (EM_X86_64 | __AUDIT_ARCH_LE)
#define SCMP_ARCH_ARM AUDIT_ARCH_ARM
#define SCMP_ARCH_AARCH64 0xc00000b7U
#define SCMP_ARCH_MIPS 0x00000008U
#define SCMP_ARCH_MIPS64 0x80000008U
#define SCMP_ARCH_MIPS64N32 0xa0000008U
#define SCMP_ARCH_MIPSEL 0x40000008U
#define SCMP_ARCH_MIPSEL64 0xc0000008U
#define SCMP_ARCH_MIPSEL64N32 0xe0000008U
#define SCMP_ARCH_PPC 0x00000014U
#define SCMP_ARCH_PPC64 0x80000015U
#define SCMP_ARCH_PPC64LE 0xc0000015U
#define SCMP_ARCH_S390 0x00000016U
#define SCMP_ARCH_S390X 0x80000016U
#define SCMP_ARCH_PARISC 0x0000000fU
#define SCMP_ARCH_PARISC64 0x8000000fU
#define SCMP_ARCH_RISCV64 0xc00000f3U
#define SCMP_ARCH_LOONGARCH64 0xc0000102U
#define SCMP_ARCH_M68K 0x00000004U
#define SCMP_ARCH_SH 0x4000002aU
#define SCMP_ARCH_SHEB 0x0000002aU

/* SCMP_SYS(name): the syscall's number for rule functions. */
#define SCMP_SYS(x) (__SNR_##x)

/* Argument comparisons. SCMP_CMP64/SCMP_An compare all 64 bits; the _32
 * forms only cast the data to uint32_t first (the argument itself is still
 * compared as 64 bits, as in libseccomp). */
#define _SCMP_VA_NUM_ARGS(...) _SCMP_VA_NUM_ARGS_IMPL(__VA_ARGS__, 2, 1)
#define _SCMP_VA_NUM_ARGS_IMPL(_1, _2, N, ...) N
#define _SCMP_MACRO_DISPATCHER(func, ...) _SCMP_MACRO_DISPATCHER_IMPL1(func, _SCMP_VA_NUM_ARGS(__VA_ARGS__))
#define _SCMP_MACRO_DISPATCHER_IMPL1(func, nargs) _SCMP_MACRO_DISPATCHER_IMPL2(func, nargs)
#define _SCMP_MACRO_DISPATCHER_IMPL2(func, nargs) func##nargs
#define _SCMP_CMP32_1(x, y, z) SCMP_CMP64(x, y, (uint32_t)(z))
#define _SCMP_CMP32_2(x, y, z, q) SCMP_CMP64(x, y, (uint32_t)(z), (uint32_t)(q))

#define SCMP_CMP64(...) ((struct scmp_arg_cmp){__VA_ARGS__})
#define SCMP_CMP SCMP_CMP64
#define SCMP_CMP32(x, y, ...) _SCMP_MACRO_DISPATCHER(_SCMP_CMP32_, __VA_ARGS__)(x, y, __VA_ARGS__)

#define SCMP_A0_64(...) SCMP_CMP64(0, __VA_ARGS__)
#define SCMP_A0 SCMP_A0_64
#define SCMP_A0_32(x, ...) SCMP_CMP32(0, x, __VA_ARGS__)
#define SCMP_A1_64(...) SCMP_CMP64(1, __VA_ARGS__)
#define SCMP_A1 SCMP_A1_64
#define SCMP_A1_32(x, ...) SCMP_CMP32(1, x, __VA_ARGS__)
#define SCMP_A2_64(...) SCMP_CMP64(2, __VA_ARGS__)
#define SCMP_A2 SCMP_A2_64
#define SCMP_A2_32(x, ...) SCMP_CMP32(2, x, __VA_ARGS__)
#define SCMP_A3_64(...) SCMP_CMP64(3, __VA_ARGS__)
#define SCMP_A3 SCMP_A3_64
#define SCMP_A3_32(x, ...) SCMP_CMP32(3, x, __VA_ARGS__)
#define SCMP_A4_64(...) SCMP_CMP64(4, __VA_ARGS__)
#define SCMP_A4 SCMP_A4_64
#define SCMP_A4_32(x, ...) SCMP_CMP32(4, x, __VA_ARGS__)
#define SCMP_A5_64(...) SCMP_CMP64(5, __VA_ARGS__)
#define SCMP_A5 SCMP_A5_64
#define SCMP_A5_32(x, ...) SCMP_CMP32(5, x, __VA_ARGS__)

/* Actions: the SECCOMP_RET_* values. */
#define SCMP_ACT_KILL_PROCESS 0x80000000U
#define SCMP_ACT_KILL_THREAD 0x00000000U
#define SCMP_ACT_KILL SCMP_ACT_KILL_THREAD
#define SCMP_ACT_TRAP 0x00030000U
#define SCMP_ACT_NOTIFY 0x7fc00000U
#define SCMP_ACT_ERRNO(x) (0x00050000U | ((x) & 0x0000ffffU))
#define SCMP_ACT_TRACE(x) (0x7ff00000U | ((x) & 0x0000ffffU))
#define SCMP_ACT_LOG 0x7ffc0000U
#define SCMP_ACT_ALLOW 0x7fff0000U

/* Old kernel headers (before Linux 5.0) lack the notification types. */
#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF 0x7fc00000U
struct seccomp_notif {
  __u64 id;
  __u32 pid;
  __u32 flags;
  struct seccomp_data data;
};
struct seccomp_notif_resp {
  __u64 id;
  __s64 val;
  __s32 error;
  __u32 flags;
};
#endif

const struct scmp_version *seccomp_version(void);
unsigned int seccomp_api_get(void);
int seccomp_api_set(unsigned int level);

scmp_filter_ctx seccomp_init(uint32_t def_action);
int seccomp_reset(scmp_filter_ctx ctx, uint32_t def_action);
void seccomp_release(scmp_filter_ctx ctx);
int seccomp_merge(scmp_filter_ctx ctx_dst, scmp_filter_ctx ctx_src);

uint32_t seccomp_arch_resolve_name(const char *arch_name);
uint32_t seccomp_arch_native(void);
int seccomp_arch_exist(const scmp_filter_ctx ctx, uint32_t arch_token);
int seccomp_arch_add(scmp_filter_ctx ctx, uint32_t arch_token);
int seccomp_arch_remove(scmp_filter_ctx ctx, uint32_t arch_token);

int seccomp_load(const scmp_filter_ctx ctx);

int seccomp_attr_get(const scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t *value);
int seccomp_attr_set(scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t value);

char *seccomp_syscall_resolve_num_arch(uint32_t arch_token, int num);
int seccomp_syscall_resolve_name_arch(uint32_t arch_token, const char *name);
int seccomp_syscall_resolve_name_rewrite(uint32_t arch_token, const char *name);
int seccomp_syscall_resolve_name(const char *name);

int seccomp_syscall_priority(scmp_filter_ctx ctx, int syscall, uint8_t priority);

int seccomp_rule_add(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt, ...);
int seccomp_rule_add_array(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt,
                           const struct scmp_arg_cmp *arg_array);
int seccomp_rule_add_exact(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt, ...);
int seccomp_rule_add_exact_array(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt,
                                 const struct scmp_arg_cmp *arg_array);

int seccomp_notify_alloc(struct seccomp_notif **req, struct seccomp_notif_resp **resp);
void seccomp_notify_free(struct seccomp_notif *req, struct seccomp_notif_resp *resp);
int seccomp_notify_receive(int fd, struct seccomp_notif *req);
int seccomp_notify_respond(int fd, struct seccomp_notif_resp *resp);
int seccomp_notify_id_valid(int fd, uint64_t id);
int seccomp_notify_fd(const scmp_filter_ctx ctx);

int seccomp_export_pfc(const scmp_filter_ctx ctx, int fd);
int seccomp_export_bpf(const scmp_filter_ctx ctx, int fd);
/* Copies the program into buf when *len is large enough; *len gets its size. */
int seccomp_export_bpf_mem(const scmp_filter_ctx ctx, void *buf, size_t *len);

/* Builds the program now, so that a later seccomp_load allocates nothing
 * and may run where only async-signal-safe calls are allowed. */
int seccomp_precompute(const scmp_filter_ctx ctx);

/* Transactions: start saves the filter, reject restores the save (and does
 * nothing when no transaction is open), commit drops it. They nest. */
int seccomp_transaction_start(const scmp_filter_ctx ctx);
void seccomp_transaction_reject(const scmp_filter_ctx ctx);
int seccomp_transaction_commit(const scmp_filter_ctx ctx);

/* Pseudo syscall numbers -1..-99 are reserved for these. */
#define __NR_SCMP_ERROR -1
#define __NR_SCMP_UNDEF -2

#include "seccomp-syscalls.h"

#ifdef __cplusplus
}
#endif

#endif /* SECCAGE_COMPAT_SECCOMP_H */
