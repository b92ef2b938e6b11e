#include "sandbox/watchdog.hpp"

#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "seccage/error.hpp"

namespace seccage::sandbox {
namespace {

// Where we can issue a system call without the C library, the watchdog is
// started with CLONE_VM: it shares seccage's memory, so starting it copies
// no page tables and seccage takes no copy-on-write faults afterwards (a
// fork here cost about 0.13 ms of every `seccage run`). Sharing memory means
// the watchdog may not touch anything of seccage's: it runs on its own stack
// and makes raw system calls, which leave errno (in seccage's thread-local
// storage, shared too) alone. Elsewhere it is a plain fork.
#if defined(__x86_64__) || defined(__aarch64__)
constexpr bool kSharesMemory = true;

// Returns the result or -errno, as the kernel does.
long raw_syscall(long nr, long a, long b, long c) {
#if defined(__x86_64__)
  long ret;
  asm volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return ret;
#else
  register long x8 asm("x8") = nr;
  register long x0 asm("x0") = a;
  register long x1 asm("x1") = b;
  register long x2 asm("x2") = c;
  asm volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory", "cc");
  return x0;
#endif
}
#else
constexpr bool kSharesMemory = false;

long raw_syscall(long nr, long a, long b, long c) {
  const long r = ::syscall(nr, a, b, c);
  return r == -1 ? -errno : r;
}
#endif

constexpr std::size_t kStackSize = 64 * 1024;  // it uses a few hundred bytes

int watch(void* arg) {
  const int rfd = static_cast<int>(reinterpret_cast<std::intptr_t>(arg));
  raw_syscall(SYS_setpgid, 0, 0, 0);  // out of the terminal's group: Ctrl-C is for seccage to pass on
  if (rfd > 0) raw_syscall(SYS_close_range, 0, rfd - 1, 0);
  raw_syscall(SYS_close_range, rfd + 1, ~0u, 0);
  pid_t pgid = 0;
  long n;
  do {
    n = raw_syscall(SYS_read, rfd, reinterpret_cast<long>(&pgid), sizeof pgid);
  } while (n == -EINTR);
  if (n != static_cast<long>(sizeof pgid) || pgid <= 0) return 0;
  char c;
  do {
    n = raw_syscall(SYS_read, rfd, reinterpret_cast<long>(&c), 1);
  } while (n > 0 || n == -EINTR);
  raw_syscall(SYS_kill, -pgid, SIGKILL, 0);
  return 0;
}

// Starts `watch` in a new process with every signal blocked (only SIGKILL
// and SIGSTOP reach it: no Ctrl-C before it leaves the terminal's group, no
// stray signal), SIGCHLD as its exit signal so it is reaped like any child.
pid_t start_process(void* stack, void* arg) {
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid;
  if (stack) {
    pid = ::clone(watch, static_cast<char*>(stack) + kStackSize, CLONE_VM | SIGCHLD, arg);
  } else {
    pid = ::fork();
    if (pid == 0) ::_exit(watch(arg));
  }
  const int err = errno;
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = err;
  return pid;
}

}  // namespace

Watchdog Watchdog::start(int read_fd) {
  void* arg = reinterpret_cast<void*>(static_cast<std::intptr_t>(read_fd));
  void* stack = nullptr;
  if (kSharesMemory) {
    stack = ::mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) throw SystemError("cannot start the watchdog (mmap of its stack)", errno);
  }
  const pid_t pid = start_process(stack, arg);
  if (pid < 0) {
    const int err = errno;
    if (stack) ::munmap(stack, kStackSize);
    throw SystemError("cannot start the watchdog", err);
  }
  return Watchdog(pid, stack);
}

Watchdog::Watchdog(Watchdog&& other) noexcept : pid_(other.pid_), stack_(other.stack_) {
  other.pid_ = -1;
  other.stack_ = nullptr;
}

Watchdog::~Watchdog() { stop(); }

void Watchdog::stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
  // Only once it is reaped can nothing run on its stack any more.
  if (stack_) ::munmap(stack_, kStackSize);
  stack_ = nullptr;
}

}  // namespace seccage::sandbox
