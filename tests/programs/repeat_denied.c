/* Calls getppid argv[1] times (raw syscalls: nothing cached) and says how
 * many failed, for a policy that denies it with an errno. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 100000;
  long failed = 0;
  for (long i = 0; i < n; ++i)
    if (syscall(SYS_getppid) < 0) ++failed;
  printf("%ld of %ld failed\n", failed, n);
  return 0;
}
