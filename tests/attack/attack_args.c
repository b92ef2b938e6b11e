/* Class 4: 64-bit arguments. The kernel reads an int argument from the low
 * 32 bits of the register; a filter that compares all 64 bits (as libseccomp
 * does) does not match a value with garbage in the high half. So
 * write(0x100000002, ...) writes to fd 2 past `--deny write:arg0==2`.
 *
 *   attack_args ATTEMPT
 *
 * Each attempt makes the call with 1 << 32 added to the argument the rule
 * names, then checks whether it took effect. The rules the test uses:
 *   write  write:arg0==2        write(0x100000002) reaches stderr
 *   close  close:arg0==9        close(0x100000009) closes fd 9
 *   dup2   dup2:arg1==9         dup2(1, 0x100000009) makes fd 9
 *   dup3   dup3:arg1==9         dup3(1, 0x100000009, 0) makes fd 9
 *   kill   kill:arg1==9         kill(child, 0x100000009) kills the child
 *   fcntl  fcntl:arg1==4        fcntl(fd, 0x100000004 = F_SETFL, O_NONBLOCK)
 *   ioctl  ioctl:arg1==0x5421   ioctl(fd, 0x100005421 = FIONBIO, &1)
 *   socket socket:arg0==2       socket(0x100000002 = AF_INET, ...)
 *   prctl  prctl:arg0==4        prctl(0x100000004 = PR_SET_DUMPABLE, 0)
 *   umask  umask:arg0==0        umask(0x100000000) sets the mask to 0
 *
 *   attack_args ATTEMPT plain
 * makes the call with the plain value: the rule must stop that one (a check
 * that the rule itself works). */
#include "attack.h"

#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

static unsigned long HI = 0x100000000UL;

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  begin(argv[1]);
  const char* a = argv[1];
  if (argc > 2 && strcmp(argv[2], "plain") == 0) HI = 0;
  if (strcmp(a, "write") == 0) {
    static const char text[] = "ARGS-ESCAPE-WRITE\n";
    long n = syscall(SYS_write, HI + 2, text, sizeof text - 1);
    if (n > 0) return escaped("write(0x100000002) wrote to fd 2");
    return blocked("write(0x100000002)");
  }
  if (strcmp(a, "close") == 0) {
    if (dup2(1, 9) != 9) return 2;
    syscall(SYS_close, HI + 9);
    if (fcntl(9, F_GETFD) < 0) return escaped("close(0x100000009) closed fd 9");
    errno = 0;
    return blocked("close(0x100000009)");
  }
  if (strcmp(a, "dup2") == 0 || strcmp(a, "dup3") == 0) {
    close(9);
    if (a[3] == '2') syscall(SYS_dup2, 1, HI + 9);
    else syscall(SYS_dup3, 1, HI + 9, 0);
    if (fcntl(9, F_GETFD) >= 0) return escaped("dup to 0x100000009 made fd 9");
    return blocked("dup to 0x100000009");
  }
  if (strcmp(a, "kill") == 0) {
    pid_t c = fork();
    if (c < 0) return blocked("fork");
    if (c == 0) {
      for (;;) pause();
    }
    syscall(SYS_kill, c, HI + SIGKILL);
    usleep(50000);
    int st = 0;
    pid_t w = waitpid(c, &st, WNOHANG);
    kill(c, SIGTERM);
    if (w == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) return escaped("kill(child, 0x100000009) killed it");
    errno = 0;
    return blocked("kill(child, 0x100000009)");
  }
  if (strcmp(a, "fcntl") == 0 || strcmp(a, "ioctl") == 0) {
    int p[2];
    if (pipe(p) != 0) return 2;
    int one = 1;
    if (a[0] == 'f') syscall(SYS_fcntl, p[0], HI + F_SETFL, O_NONBLOCK);
    else syscall(SYS_ioctl, p[0], HI + FIONBIO, &one);
    if (fcntl(p[0], F_GETFL) & O_NONBLOCK) return escaped("set O_NONBLOCK past the rule");
    return blocked(a);
  }
  if (strcmp(a, "socket") == 0) {
    long fd = syscall(SYS_socket, HI + AF_INET, SOCK_STREAM, 0);
    if (fd >= 0) return escaped("socket(0x100000002) made an AF_INET socket");
    return blocked("socket(0x100000002)");
  }
  if (strcmp(a, "prctl") == 0) {
    syscall(SYS_prctl, HI + PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (prctl(PR_GET_DUMPABLE) == 0) return escaped("prctl(0x100000004 = PR_SET_DUMPABLE, 0) took effect");
    errno = 0;
    return blocked("prctl(0x100000004)");
  }
  if (strcmp(a, "umask") == 0) {
    umask(022);
    syscall(SYS_umask, HI);
    if (umask(022) == 0) return escaped("umask(0x100000000) set the mask to 0");
    errno = 0;
    return blocked("umask(0x100000000)");
  }
  return 2;
}
