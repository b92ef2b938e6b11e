// Running code in a forked child, for tests that install seccomp filters:
// a filter can never be removed, so tests install them only in children and
// read back what happened through a pipe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "seccage/bpf.hpp"

namespace seccage::test {

struct ChildResult {
  bool exited = false;    // ended by _exit/exit: exit_code is valid
  int exit_code = -1;
  bool signaled = false;  // killed by a signal: signal is valid
  int signal = 0;
  bool timed_out = false; // the parent killed it with SIGKILL after the timeout
  std::string output;     // every byte the child wrote to report_fd

  bool ok() const { return exited && exit_code == 0; }
  // "exited with status 0", "killed by signal 31 (Bad system call)", ...
  std::string describe() const;
};

// Forks; the child runs `body(report_fd)` and _exits with its return value
// (125 if it throws, after writing the exception's message to stderr). The
// parent collects what the child wrote to report_fd until EOF, then its exit
// status. The child never returns into the caller (no gtest state, no atexit
// handlers run twice).
ChildResult run_in_child(const std::function<int(int report_fd)>& body,
                         std::chrono::milliseconds timeout = std::chrono::seconds(30));

// For use inside a child: writes all of `bytes`; false on error.
bool write_all(int fd, const void* bytes, std::size_t size);
template <typename T>
bool write_value(int fd, const T& value) {
  return write_all(fd, &value, sizeof value);
}
// For use in the parent: decodes `output` as an array of T (trailing bytes
// that do not fill a T are ignored).
template <typename T>
std::vector<T> read_values(const std::string& output) {
  std::vector<T> out(output.size() / sizeof(T));
  for (std::size_t i = 0; i < out.size(); ++i) __builtin_memcpy(&out[i], output.data() + i * sizeof(T), sizeof(T));
  return out;
}

// For use inside a child only: sets NO_NEW_PRIVS and installs `program` with
// seccomp(SECCOMP_SET_MODE_FILTER, flags). Returns 0, or the errno.
int install_filter(const bpf::Program& program, unsigned flags = 0);

// Asks the real kernel whether it accepts `program`, by installing it in a
// throwaway child. Returns 0 when accepted, else the errno (EINVAL for a
// malformed program). Safe to call from the test process.
int kernel_load_errno(const bpf::Program& program);

// Runs a program (argv[0] is a path; no shell) with `input` on its standard
// input, and collects its standard output and error apart. For CLI tests.
struct CommandResult {
  ChildResult status;  // output holds stdout
  std::string err;     // stderr
  int exit_code() const { return status.exited ? status.exit_code : -1; }
};
CommandResult run_command(const std::vector<std::string>& argv, const std::string& input = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace seccage::test
