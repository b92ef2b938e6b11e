// How subcommands plug into the `seccage` program: each tools/seccage/*.cpp
// file defines one static CommandRegistration, so adding a command touches no
// other file.
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace seccage::cli {

// Exit statuses shared by every subcommand (documented in README.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;   // check: errors found; diff: filters differ
inline constexpr int kExitUsage = 2;      // bad arguments or unreadable/invalid input
inline constexpr int kExitSystem = 3;     // the kernel or system refused (seccomp(2), prctl, ...)

// Declares a subcommand's options on `sub` and returns what runs it.
using Setup = std::function<std::function<int()>(CLI::App& sub)>;

struct CommandRegistration {
  CommandRegistration(std::string name, std::string summary, Setup setup);
};

}  // namespace seccage::cli
