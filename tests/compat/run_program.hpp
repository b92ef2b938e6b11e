// Runs a test program in a child process and collects what it did: stdout,
// stderr, exit status. Optionally on a pseudo-terminal, as a program run from
// a shell would be (stdio then flushes stdout at each line).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace seccage::compat_test {

struct ProgramResult {
  std::string out;  // stdout (and stderr on a terminal: they share it)
  std::string err;  // stderr when not on a terminal
  bool exited = false;
  int exit_code = -1;
  int signal = 0;  // the signal that ended it, when one did
};

struct RunOptions {
  std::map<std::string, std::string> env;  // added to the environment
  bool terminal = false;                   // stdout and stderr on a pty
  int timeout_seconds = 60;
};

ProgramResult run_program(const std::vector<std::string>& argv, const RunOptions& options = {});

}  // namespace seccage::compat_test
