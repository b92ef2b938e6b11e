#include "support/child.hpp"

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>

#include <fmt/core.h>

#include "seccage/error.hpp"

namespace seccage::test {
namespace {

constexpr int kExitThrew = 125;

[[noreturn]] void child_main(const std::function<int(int)>& body, int report_fd) {
  int status = kExitThrew;
  try {
    status = body(report_fd);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "child threw: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "child threw a non-exception\n");
  }
  ::close(report_fd);
  std::fflush(nullptr);
  // _exit, not exit: the parent's atexit handlers and static destructors
  // (gtest's among them) must run once, in the parent.
  ::_exit(status);
}

}  // namespace

std::string ChildResult::describe() const {
  if (timed_out) return "timed out and was killed";
  if (exited) return fmt::format("exited with status {}", exit_code);
  if (signaled) return fmt::format("killed by signal {} ({})", signal, ::strsignal(signal));
  return "ended in an unknown way";
}

bool write_all(int fd, const void* bytes, std::size_t size) {
  const auto* p = static_cast<const char*>(bytes);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

ChildResult run_in_child(const std::function<int(int report_fd)>& body, std::chrono::milliseconds timeout) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw SystemError("pipe2", errno);
  std::fflush(nullptr);  // or the child would flush the parent's buffered output again
  pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw SystemError("fork", err);
  }
  if (pid == 0) {
    ::close(fds[0]);
    child_main(body, fds[1]);
  }
  ::close(fds[1]);

  ChildResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buffer[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      result.timed_out = true;
      break;
    }
    pollfd pfd{fds[0], POLLIN, 0};
    int rc = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) continue;  // timeout: the deadline check above ends the loop
    ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the child closed its end (or died)
    result.output.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw SystemError("waitpid", errno);
  }
  if (WIFEXITED(status)) {
    result.exited = true;
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signaled = true;
    result.signal = WTERMSIG(status);
  }
  return result;
}

int install_filter(const bpf::Program& program, unsigned flags) {
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
  static_assert(sizeof(bpf::Insn) == sizeof(sock_filter));
  sock_fprog prog{};
  prog.len = static_cast<unsigned short>(program.size());
  // The kernel only reads the array; the cast drops const for the C struct.
  prog.filter = reinterpret_cast<sock_filter*>(const_cast<bpf::Insn*>(program.data()));
  // A program longer than 65535 cannot even be described to the kernel; the
  // truncated length would make a different program, so refuse it here as
  // the kernel refuses anything past 4096.
  if (program.size() > 0xffff) return EINVAL;
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog) != 0) return errno;
  return 0;
}

int kernel_load_errno(const bpf::Program& program) {
  // Once installed, the program itself filters the child's syscalls and may
  // forbid write(), so the answer travels in the exit status, which needs
  // only exit_group. A filter that denies exit_group still ends the child
  // (glibc's _exit falls back to a faulting instruction), by a signal.
  ChildResult r = run_in_child([&](int) {
    int err = install_filter(program);
    ::_exit(err == 0 ? 0 : (err & 0x7f) + 1);
    return 0;
  });
  if (r.signaled) return 0;  // installed, then its own filter ended the child
  if (!r.exited) throw SystemError("kernel_load_errno: child " + r.describe(), ECHILD);
  return r.exit_code == 0 ? 0 : r.exit_code - 1;
}

CommandResult run_command(const std::vector<std::string>& argv, const std::string& input,
                          std::chrono::milliseconds timeout) {
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0) throw SystemError("pipe2", errno);
  if (::pipe2(out, O_CLOEXEC) != 0) throw SystemError("pipe2", errno);
  if (::pipe2(err, O_CLOEXEC) != 0) throw SystemError("pipe2", errno);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) throw SystemError("fork", errno);
  if (pid == 0) {
    // dup2 clears O_CLOEXEC on the copies, so only 0/1/2 survive the exec.
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  // Small inputs fit the pipe buffer; a child that does not read stdin must
  // not block us, so a failed write (EPIPE) is ignored.
  struct sigaction ignore {}, saved {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &saved);
  write_all(in[1], input.data(), input.size());
  ::sigaction(SIGPIPE, &saved, nullptr);
  ::close(in[1]);

  CommandResult result;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.status.output, &result.err};
  int open_count = 2;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buffer[4096];
  while (open_count > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      result.status.timed_out = true;
      break;
    }
    int rc = ::poll(fds, 2, static_cast<int>(left.count()));
    if (rc <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
        continue;
      }
      sinks[i]->append(buffer, static_cast<std::size_t>(n));
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) ::close(f.fd);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw SystemError("waitpid", errno);
  }
  if (WIFEXITED(status)) {
    result.status.exited = true;
    result.status.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.status.signaled = true;
    result.status.signal = WTERMSIG(status);
  }
  return result;
}

}  // namespace seccage::test
