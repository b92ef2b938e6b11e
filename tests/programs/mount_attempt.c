/* Tries to mount a tmpfs and to unmount /proc, and prints what each got:
 * the test checks that seccage both refuses and reports them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

int main(void) {
  int a = mount("none", "/tmp", "tmpfs", 0, NULL);
  printf("mount: %s\n", a == 0 ? "ok" : strerror(errno));
  int b = umount2("/proc", MNT_DETACH);
  printf("umount2: %s\n", b == 0 ? "ok" : strerror(errno));
  return 0;
}
