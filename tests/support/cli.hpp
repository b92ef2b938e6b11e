// Running the built `seccage` binary from tests. Header-only because the
// binary's path (SECCAGE_CLI_PATH) is defined for the test executable alone.
#pragma once

#include <string>
#include <vector>

#include "support/child.hpp"

namespace seccage::test {

struct CliRun {
  int status = -1;  // exit status, or -1 if the command did not exit normally
  std::string out;
  std::string err;
};

// fork/exec, no shell: arguments need no quoting, stderr is kept apart. The
// whole result, for tests that look at a signal or a time-out too.
inline CommandResult run_seccage_command(const std::vector<std::string>& args, const std::string& input = {},
                                         std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  std::vector<std::string> argv{SECCAGE_CLI_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, input, timeout);
}

// The same, as exit status and the two outputs.
inline CliRun run_seccage(const std::vector<std::string>& args, const std::string& input = {}) {
  const CommandResult r = run_seccage_command(args, input);
  return {r.exit_code(), r.status.output, r.err};
}

}  // namespace seccage::test
