/* Asks for TIOCSTI on fd -1, with the request as libc passes it and with
 * bits set above the 32 the kernel reads, then for TCGETS, and prints what
 * each got; with the argument `console`, the virtual console's KDSKBMODE,
 * KDGKBMODE and VT_ACTIVATE instead. On fd -1 the kernel itself answers
 * EBADF, so an EPERM is seccage's (tests/run_verdicts_test.cpp, seccage's
 * guards). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char* what, long rc) { printf("%s: %s\n", what, rc == 0 ? "ok" : strerror(errno)); }

int main(int argc, char** argv) {
  char c = 'x';
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc > 1 && strcmp(argv[1], "console") == 0) {
    int mode = 0;
    show("kdskbmode", ioctl(-1, 0x4B45 /* KDSKBMODE */, 0 /* K_RAW */));
    show("kdgkbmode", ioctl(-1, 0x4B44 /* KDGKBMODE */, &mode));
    show("vt_activate", ioctl(-1, 0x5606 /* VT_ACTIVATE */, 1));
    show("tcgets", ioctl(-1, TCGETS, NULL));
    return 0;
  }
  show("tiocsti", ioctl(-1, TIOCSTI, &c));
  show("tiocsti-high", syscall(SYS_ioctl, -1, 0x100000000UL | TIOCSTI, &c));
  show("tcgets", ioctl(-1, TCGETS, NULL));
  return 0;
}
