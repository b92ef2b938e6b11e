// A forked child that installs seccomp filters with plain seccomp(2) (no seccage
// in the loop: an independent install) and waits to be read; killed when
// the object goes. For tests of reading a live process's filters.
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "seccage/bpf.hpp"

namespace seccage::test {

class FilteredChild {
 public:
  // Installs `programs` in order (the last is the newest), the newest with
  // SECCOMP_FILTER_FLAG_* `newest_flags`.
  explicit FilteredChild(const std::vector<bpf::Program>& programs, unsigned newest_flags = 0) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(fds[0]);
      if (!programs.empty() && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) ::_exit(1);
      for (std::size_t i = 0; i < programs.size(); ++i) {
        const bpf::Program& p = programs[i];
        sock_fprog fprog{static_cast<unsigned short>(p.size()),
                         reinterpret_cast<sock_filter*>(const_cast<bpf::Insn*>(p.data()))};
        const unsigned flags = i + 1 == programs.size() ? newest_flags : 0;
        if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog) != 0) ::_exit(1);
      }
      (void)!::write(fds[1], "r", 1);
      for (;;) ::pause();
    }
    ::close(fds[1]);
    char c = 0;
    ready_ = ::read(fds[0], &c, 1) == 1;
    ::close(fds[0]);
  }
  ~FilteredChild() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  FilteredChild(const FilteredChild&) = delete;
  FilteredChild& operator=(const FilteredChild&) = delete;

  bool ready() const { return ready_; }
  std::string pid() const { return std::to_string(pid_); }

 private:
  pid_t pid_ = -1;
  bool ready_ = false;
};

}  // namespace seccage::test
