// What the runner works out before it starts anything: the program's
// environment, where the program is, and words for the launcher's steps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seccage/sandbox.hpp"

namespace seccage::sandbox {

// The environment the program starts with (--env-clear, --env).
std::vector<std::string> program_environment(const RunOptions& options);

struct Resolved {
  std::string path;
  int status = 0;  // 0, or kStatusNotFound / kStatusCannotExec
  std::string error;
};

// execvp's search, done before anything starts so that "not found" is a
// clear message and not a failed execve inside the sandbox. The PATH is the
// program's own (after --env-clear/--env).
Resolved resolve_program(const std::string& name, const std::vector<std::string>& envp);

// "installing the seccomp filter", for a LaunchStage.
std::string launch_stage_name(std::int32_t stage);

}  // namespace seccage::sandbox
