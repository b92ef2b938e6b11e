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

// fork/exec, no shell: arguments need no quoting, stderr is kept apart.
inline CliRun run_seccage(const std::vector<std::string>& args, const std::string& input = {}) {
  std::vector<std::string> argv{SECCAGE_CLI_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  const CommandResult r = run_command(argv, input);
  return {r.exit_code(), r.status.output, r.err};
}

}  // namespace seccage::test
