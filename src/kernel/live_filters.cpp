// Reading a live process's filters back from the kernel: ptrace's
// PTRACE_SECCOMP_GET_FILTER (Linux 4.4) and PTRACE_SECCOMP_GET_METADATA (4.16).
#include <errno.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstring>

#include <fmt/core.h>

#include "seccage/error.hpp"
#include "seccage/kernel.hpp"

namespace seccage::kernel {
namespace {

// linux/ptrace.h's values; glibc's sys/ptrace.h may not have them all.
constexpr int kGetFilter = 0x420c;
constexpr int kGetMetadata = 0x420d;

struct Metadata {
  std::uint64_t filter_off;
  std::uint64_t flags;
};

std::string why_not_readable(int err, int pid) {
  switch (err) {
    case EACCES:
      return fmt::format("the kernel lets only a process with CAP_SYS_ADMIN and no seccomp filter of its own read "
                         "filters (pid {})", pid);
    case EPERM: return fmt::format("no ptrace access to pid {} (another tracer, or a protected process)", pid);
    case ESRCH: return fmt::format("no process {}", pid);
    default: return fmt::format("pid {}", pid);
  }
}

// Holds the process stopped under ptrace; lets it go when destroyed.
class Seized {
 public:
  explicit Seized(int pid) : pid_(pid) {
    if (::ptrace(PTRACE_SEIZE, pid, nullptr, nullptr) != 0) {
      const int err = errno;
      throw SystemError(fmt::format("cannot attach to read its filters: {}", why_not_readable(err, pid)), err);
    }
    if (::ptrace(PTRACE_INTERRUPT, pid, nullptr, nullptr) != 0) {
      const int err = errno;
      ::ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
      throw SystemError(fmt::format("cannot stop pid {} to read its filters", pid), err);
    }
    int status = 0;
    while (::waitpid(pid, &status, __WALL) < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
      throw SystemError(fmt::format("waiting for pid {} to stop", pid), err);
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) throw InputError(fmt::format("pid {} ended while being read", pid));
  }
  ~Seized() { ::ptrace(PTRACE_DETACH, pid_, nullptr, nullptr); }
  Seized(const Seized&) = delete;
  Seized& operator=(const Seized&) = delete;

 private:
  int pid_;
};

}  // namespace

std::vector<LiveFilter> read_process_filters(int pid) {
  const Seized seized(pid);
  std::vector<LiveFilter> filters;
  for (unsigned long index = 0;; ++index) {
    const long count = ::ptrace(static_cast<__ptrace_request>(kGetFilter), pid, reinterpret_cast<void*>(index), nullptr);
    if (count < 0) {
      const int err = errno;
      // ENOENT: past the oldest filter. EINVAL at index 0: the process is
      // not in filter mode (no filter, or strict mode), so nothing to read.
      if (err == ENOENT || (err == EINVAL && index == 0)) break;
      throw SystemError(fmt::format("reading filter {} of pid {}: {}", index, pid, why_not_readable(err, pid)), err);
    }
    LiveFilter f;
    f.program.resize(static_cast<std::size_t>(count));
    const long got = ::ptrace(static_cast<__ptrace_request>(kGetFilter), pid, reinterpret_cast<void*>(index),
                              f.program.data());
    if (got != count) {
      throw SystemError(fmt::format("reading filter {} of pid {}", index, pid), got < 0 ? errno : EIO);
    }
    Metadata meta{index, 0};
    // Older kernels have no metadata: the flag is then unknown, left false.
    if (::ptrace(static_cast<__ptrace_request>(kGetMetadata), pid, reinterpret_cast<void*>(sizeof meta), &meta) >= 0)
      f.log = (meta.flags & SECCOMP_FILTER_FLAG_LOG) != 0;
    filters.push_back(std::move(f));
  }
  // The kernel counts from the oldest filter (index 0 is the first one
  // installed, whatever ptrace(2) says; checked in live_filters_test.cpp),
  // and runs the newest first.
  std::reverse(filters.begin(), filters.end());
  return filters;
}

}  // namespace seccage::kernel
