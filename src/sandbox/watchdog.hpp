// The watchdog: a small process that kills the program's process group when
// seccage dies, even of SIGKILL. The program's PDEATHSIG covers the program
// itself, not the children it forks; the watchdog covers the whole group.
//
// It waits on a pipe: the first 4 bytes written are the group id to guard;
// end-of-file (every write end closed, which is what seccage's death does)
// makes it SIGKILL that group. End-of-file before a group id makes it exit
// quietly.
#pragma once

#include <sys/types.h>

#include <cstddef>

namespace seccage::sandbox {

class Watchdog {
 public:
  // Starts it reading `read_fd` (its copy of every other descriptor is
  // closed). The caller then closes its own copy of `read_fd`, writes the
  // group id to the write end, and keeps the write end open. Throws
  // SystemError when it cannot be started.
  static Watchdog start(int read_fd);

  Watchdog(Watchdog&& other) noexcept;
  Watchdog& operator=(Watchdog&&) = delete;
  Watchdog(const Watchdog&) = delete;
  ~Watchdog();  // stop()

  pid_t pid() const { return pid_; }
  // SIGKILLs and reaps it (it then kills nothing). Idempotent.
  void stop();

 private:
  Watchdog(pid_t pid, void* stack) : pid_(pid), stack_(stack) {}
  pid_t pid_ = -1;
  void* stack_ = nullptr;  // its stack when it shares seccage's memory
};

}  // namespace seccage::sandbox
