/* Class 8: making seccage hang. Each mode is one behaviour; the test puts
 * seccage in the situation (stdout closed or never read, SIGTERM while the
 * program is stopped, a terminal) and bounds the run.
 *
 *   attack_hang MODE
 *
 * flood: writes 8 MiB to stdout (SIGPIPE left at its default).
 * selfstop: stops itself with SIGSTOP, then exits 0 if ever continued.
 * spin-children: two children burn CPU, each replaced by a fresh fork every
 *   0.4 s of CPU (no process reaches RLIMIT_CPU); the parent waits for none
 *   of them and sleeps.
 * ttyread: reads one line from stdin and prints "got: LINE".
 * uffd-stall: calls execve (which the policy denies, so the supervisor reads
 *   its path from the program's memory) with the path in a page registered
 *   with userfaultfd that nobody ever serves: the supervisor's read of that
 *   page waits for the fault to be handled, forever, and a stuck supervisor
 *   enforces nothing, --wall-time included. The userfaultfd comes from the
 *   syscall, else from /dev/userfaultfd (root's, mode 0600: a root program
 *   opens it without the capability the syscall wants), else from the
 *   syscall with UFFD_USER_MODE_ONLY (any user); "armed" says one was. */
#include "attack.h"

#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  begin(argv[1]);
  const char* m = argv[1];
  if (!strcmp(m, "flood")) {
    static char buf[65536];
    memset(buf, 'x', sizeof buf);
    for (int i = 0; i < 128; ++i)
      if (write(1, buf, sizeof buf) < 0) return 3;
    return 0;
  }
  if (!strcmp(m, "selfstop")) {
    raise(SIGSTOP);
    return 0;
  }
  if (!strcmp(m, "spin-children")) {
    for (int k = 0; k < 2; ++k) {
      if (fork() == 0) {
        for (;;) {
          const double start = cpu_now();
          while (cpu_now() - start < 0.4) {
          }
          if (fork() != 0) _exit(0);  /* the fresh child goes on, with a fresh CPU count */
        }
      }
    }
    for (;;) pause();
  }
  if (!strcmp(m, "uffd-stall")) {
    int uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
    const char* how = "userfaultfd()";
    if (uffd < 0) {
      int dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
      if (dev >= 0) uffd = ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC);
      how = "/dev/userfaultfd";
    }
    if (uffd < 0) {
      uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);
      how = "userfaultfd(UFFD_USER_MODE_ONLY)";
    }
    if (uffd < 0) return blocked("userfaultfd");
    struct uffdio_api api = {.api = UFFD_API};
    if (ioctl(uffd, UFFDIO_API, &api) != 0) return blocked("UFFDIO_API");
    long page = sysconf(_SC_PAGESIZE);
    char* p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct uffdio_register reg = {.range = {(unsigned long)p, (unsigned long)page}, .mode = UFFDIO_REGISTER_MODE_MISSING};
    if (ioctl(uffd, UFFDIO_REGISTER, &reg) != 0) return blocked("UFFDIO_REGISTER");
    say("armed through %s\n", how);
    char* args[] = {"x", NULL};
    syscall(SYS_execve, p, args, NULL);  /* the path is in the armed page */
    say("execve returned: %s\n", strerror(errno));
    return 0;
  }
  if (!strcmp(m, "ttyread")) {
    char line[256];
    say("ready\n");
    ssize_t n = read(0, line, sizeof line - 1);
    if (n < 0) return blocked("read from the terminal");
    line[n] = 0;
    line[strcspn(line, "\r\n")] = 0;
    say("got: %s\n", line);
    return 0;
  }
  return 2;
}
