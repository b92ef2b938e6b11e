/* Helpers for the differential corpus. Each corpus program calls the API and
 * prints every return code with its source line; the test driver runs the
 * program built against Debian's libseccomp and against seccage-compat and
 * compares the outputs line by line, then runs the exported programs
 * (written to argv[1]/<tag>.bpf) in seccage's emulator. */
#ifndef COMPAT_CORPUS_H
#define COMPAT_CORPUS_H

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *corpus_out_dir = ".";

/* One statement per call: C leaves the order of a call's arguments open. */
#define RC(expr)                                                   \
  do {                                                             \
    int rc_ = (int)(expr);                                         \
    printf("%d: %s = %d\n", __LINE__, #expr, rc_);                 \
  } while (0)

static void corpus_init(int argc, char **argv) {
  if (argc > 1) corpus_out_dir = argv[1];
  setvbuf(stdout, NULL, _IOLBF, 0);
}

/* Exports the filter's program to <dir>/<tag>.bpf and prints the rc. */
static void corpus_dump(scmp_filter_ctx ctx, const char *tag) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.bpf", corpus_out_dir, tag);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    perror(path);
    exit(2);
  }
  int rc = seccomp_export_bpf(ctx, fd);
  close(fd);
  if (rc != 0) unlink(path);
  printf("export %s = %d\n", tag, rc);
}

static void corpus_resolve(uint32_t arch, const char *name) {
  printf("resolve %#x %s = %d rewrite = %d\n", arch, name, seccomp_syscall_resolve_name_arch(arch, name),
         seccomp_syscall_resolve_name_rewrite(arch, name));
}

#endif
