#include "sandbox/program_setup.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include <fmt/core.h>

#include "sandbox/launcher.hpp"

extern char** environ;

namespace seccage::sandbox {
namespace {

std::optional<std::string> env_value(const std::vector<std::string>& envp, std::string_view key) {
  for (const std::string& e : envp) {
    if (e.size() > key.size() && e.compare(0, key.size(), key) == 0 && e[key.size()] == '=')
      return e.substr(key.size() + 1);
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> program_environment(const RunOptions& o) {
  std::vector<std::string> env;
  if (!o.env_clear) {
    for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
  }
  for (const auto& [name, value] : o.env_set) {
    // A named copy: lambdas may not capture structured bindings before C++20's
    // later fix, which clang 14 (the fuzz build) lacks.
    const std::string& key = name;
    std::erase_if(env, [&](const std::string& e) {
      return e.size() > key.size() && e.compare(0, key.size(), key) == 0 && e[key.size()] == '=';
    });
    env.push_back(key + "=" + value);
  }
  return env;
}

Resolved resolve_program(const std::string& name, const std::vector<std::string>& envp) {
  auto check = [](const std::string& p) -> int {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return errno == EACCES ? kStatusCannotExec : kStatusNotFound;
    if (!S_ISREG(st.st_mode) || ::access(p.c_str(), X_OK) != 0) return kStatusCannotExec;
    return 0;
  };
  if (name.empty()) return {"", kStatusNotFound, "empty program name"};
  if (name.find('/') != std::string::npos) {
    int s = check(name);
    if (s == kStatusNotFound) return {name, s, fmt::format("{}: no such file", name)};
    if (s) return {name, s, fmt::format("{}: not an executable file (or permission denied)", name)};
    return {name, 0, ""};
  }
  const std::string path = env_value(envp, "PATH").value_or("/usr/local/bin:/usr/bin:/bin");
  std::string denied;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + name;
    const int s = check(candidate);
    if (s == 0) return {candidate, 0, ""};
    if (s == kStatusCannotExec && denied.empty()) denied = candidate;
    start = end + 1;
  }
  if (!denied.empty()) return {denied, kStatusCannotExec, fmt::format("{}: not an executable file (or permission denied)", denied)};
  return {name, kStatusNotFound, fmt::format("{}: command not found in PATH ({})", name, path)};
}

std::string launch_stage_name(std::int32_t stage) {
  if (stage >= StageRlimit && stage < StageGroups) return "setting a resource limit";
  switch (stage) {
    case StageParent: return "arming PR_SET_PDEATHSIG";
    case StageSetpgid: return "creating the process group";
    case StageStdin: return "redirecting stdin";
    case StageStdout: return "redirecting stdout";
    case StageStderr: return "redirecting stderr";
    case StageCwd: return "changing to the --cwd directory";
    case StageGroups: return "dropping supplementary groups";
    case StageGid: return "changing the group id";
    case StageUid: return "changing the user id";
    case StageFilter: return "installing the seccomp filter";
    case StageFds: return "closing inherited file descriptors";
    case StageTerminal: return "giving the program the terminal (tcsetpgrp)";
    case StageKeyring: return "replacing the session keyring";
    case StageMountPrivate: return "making the sandbox's mounts private";
    case StageMountProc: return "mounting the sandbox's /proc";
    case StageInitFork: return "starting the program from the sandbox's init";
    case StageDevShm: return "mounting the sandbox's own /dev/shm";
    case StageReadOnly: return "making /sys and /proc/sys read-only in the sandbox (and hiding the other cgroups)";
    default: return "setting up";
  }
}


}  // namespace seccage::sandbox
