// How the watched program is started, the same for `seccage run` and
// `seccage learn`: its words after --, environment, working directory,
// stdin, user and group, and whether it gets namespaces of its own.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "seccage/sandbox.hpp"

namespace seccage::cli {

struct ProgramArgs {
  std::vector<std::string> command;  // the program and its arguments
  std::vector<std::string> env;      // NAME=VALUE
  bool env_clear = false;
  std::string cwd, stdin_file, user, group;
  bool no_namespaces = false;
  bool require_namespaces = false;
};

// Adds --env, --env-clear, --cwd, --stdin, --user, --group, --no-namespaces
// and the positional program words to `sub`, and makes every word from the
// program's name on the program's (`sh -c ...`).
void add_program_options(CLI::App& sub, ProgramArgs& p);

// After parsing: the program's words CLI11 left unparsed (those after the
// program's name, or all of them after `--`).
void take_program_words(const CLI::App& sub, ProgramArgs& p);

// Fills o.argv, the environment, cwd, stdin, uid/gid and namespaces; throws
// InputError for a bad value (--env without '=', an unknown user, --user
// without root).
void apply_program_options(const ProgramArgs& p, sandbox::RunOptions& o);

}  // namespace seccage::cli
