/* Class 6: planting on seccage's output paths. Run as nobody inside the
 * sandbox, the program prepares a path that seccage (root) later opens for
 * --report, --stdout or --stderr, in this run or in a following one.
 *
 *   attack_output symlink PATH TARGET   PATH becomes a symlink to TARGET
 *   attack_output fifo PATH             PATH becomes a FIFO (an open for writing blocks)
 *   attack_output hardlink PATH TARGET  PATH becomes a hard link to TARGET
 *   attack_output swap DIR TARGETDIR    DIR (a directory) is moved aside and
 *                                       replaced by a symlink to TARGETDIR
 * The escape is a change of the root-owned victim, or a hang. */
#include "attack.h"

#include <sys/stat.h>

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  begin(argv[1]);
  const char* m = argv[1];
  if (!strcmp(m, "symlink") && argc >= 4) {
    unlink(argv[2]);
    if (symlink(argv[3], argv[2]) != 0) return blocked("symlink");
    say("planted symlink %s -> %s\n", argv[2], argv[3]);
    return 0;
  }
  if (!strcmp(m, "fifo")) {
    unlink(argv[2]);
    if (mkfifo(argv[2], 0666) != 0) return blocked("mkfifo");
    say("planted fifo %s\n", argv[2]);
    return 0;
  }
  if (!strcmp(m, "hardlink") && argc >= 4) {
    unlink(argv[2]);
    if (link(argv[3], argv[2]) != 0) return blocked("link (protected_hardlinks)");
    say("planted hard link %s -> %s\n", argv[2], argv[3]);
    return 0;
  }
  if (!strcmp(m, "swap") && argc >= 4) {
    char aside[4096];
    snprintf(aside, sizeof aside, "%s.aside", argv[2]);
    if (rename(argv[2], aside) != 0) return blocked("rename");
    if (symlink(argv[3], argv[2]) != 0) return blocked("symlink");
    say("swapped %s for a symlink to %s\n", argv[2], argv[3]);
    return 0;
  }
  return 2;
}
