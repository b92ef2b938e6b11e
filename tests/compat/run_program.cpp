#include "run_program.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>

namespace seccage::compat_test {
namespace {

// Reads fds until both are at end of file (or the deadline passes, when the
// child is killed).
void drain(int out_fd, int err_fd, pid_t pid, int timeout_seconds, ProgramResult& r) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  std::vector<pollfd> fds;
  if (out_fd >= 0) fds.push_back({out_fd, POLLIN, 0});
  if (err_fd >= 0) fds.push_back({err_fd, POLLIN, 0});
  while (!fds.empty()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      break;
    }
    int n = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    for (std::size_t i = 0; i < fds.size();) {
      if (fds[i].revents == 0) {
        ++i;
        continue;
      }
      char buf[4096];
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        (fds[i].fd == out_fd ? r.out : r.err).append(buf, static_cast<std::size_t>(got));
        ++i;
      } else {  // EOF, or EIO on a pty whose other side is closed
        fds.erase(fds.begin() + static_cast<long>(i));
      }
    }
  }
}

}  // namespace

ProgramResult run_program(const std::vector<std::string>& argv, const RunOptions& options) {
  ProgramResult r;
  int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  int master = -1;
  pid_t pid;
  if (options.terminal) {
    pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  } else {
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    pid = ::fork();
  }
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) {
    if (!options.terminal) {
      ::dup2(out_pipe[1], 1);
      ::dup2(err_pipe[1], 2);
    }
    for (const auto& [k, v] : options.env) ::setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  if (options.terminal) {
    drain(master, -1, pid, options.timeout_seconds, r);
    ::close(master);
  } else {
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    drain(out_pipe[0], err_pipe[0], pid, options.timeout_seconds, r);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    r.exited = true;
    r.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.signal = WTERMSIG(status);
  }
  if (options.terminal) {  // the terminal turns \n into \r\n
    std::string clean;
    for (char c : r.out) {
      if (c != '\r') clean += c;
    }
    r.out = clean;
  }
  return r;
}

}  // namespace seccage::compat_test
