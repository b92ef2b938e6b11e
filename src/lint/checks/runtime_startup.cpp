// runtime-startup: a profile that stops the container runtime itself. runc
// and crun load the filter before their own last steps, so those steps run
// under it: a default-errno allowlist without them makes every container
// fail to start, with an error that names neither the profile nor the call.
#include <linux/fcntl.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "lint/checks/policy_checks.hpp"

namespace seccage::lint_detail {
namespace {

struct StartupCall {
  const char* name;
  std::array<std::uint64_t, 6> args;  // representative arguments
  const char* why;
};

constexpr std::uint64_t kAtFdcwd = static_cast<std::uint64_t>(-100);
constexpr std::uint64_t kFutexWaitPrivate = 128;  // FUTEX_WAIT | FUTEX_PRIVATE_FLAG
constexpr std::uint64_t kEpollCtlAdd = 1;

// runc's init (Go) after the filter: it opens its exec fifo write-only
// (/proc/self/fd/N), writes one byte to it and closes it, checks the fd's
// file system (fstatfs), and the Go runtime registers the fd with its poller
// (epoll_ctl) and parks threads (futex); then it execs the program.
const std::vector<StartupCall>& runc_calls() {
  static const std::vector<StartupCall> calls = {
      {"openat", {kAtFdcwd, 0x1000, O_WRONLY | O_CLOEXEC, 0, 0, 0}, "opens its exec fifo write-only"},
      {"write", {5, 0x1000, 1, 0, 0, 0}, "writes to the exec fifo"},
      {"close", {5, 0, 0, 0, 0, 0}, "closes the exec fifo"},
      {"fstatfs", {5, 0x1000, 0, 0, 0, 0}, "checks the file system of a descriptor"},
      {"epoll_ctl", {4, kEpollCtlAdd, 5, 0x1000, 0, 0}, "registers a descriptor with the Go runtime's poller"},
      {"futex", {0x1000, kFutexWaitPrivate, 0, 0, 0, 0}, "parks Go runtime threads"},
      {"execve", {0x1000, 0x2000, 0x3000, 0, 0, 0}, "starts the container's program"},
  };
  return calls;
}

// crun (C) loads the filter as its last step and then execs the program.
const std::vector<StartupCall>& crun_calls() {
  static const std::vector<StartupCall> calls = {
      {"execve", {0x1000, 0x2000, 0x3000, 0, 0, 0}, "starts the container's program"},
  };
  return calls;
}

bool lets_through(const Action& a) { return a.kind == ActionKind::Allow || a.kind == ActionKind::Log; }

}  // namespace

void check_runtime_startup(Context& ctx, const Evaluator& eval, ContainerRuntime runtime, Severity severity) {
  if (runtime == ContainerRuntime::None) return;
  const char* runtime_name = runtime == ContainerRuntime::Runc ? "runc" : "crun";
  const auto& calls = runtime == ContainerRuntime::Runc ? runc_calls() : crun_calls();
  // The host arch decides: that is where the runtime runs.
  const std::vector<Arch> arches = ctx.policy.effective_arches();
  const Arch host = std::find(arches.begin(), arches.end(), native_arch()) != arches.end() ? native_arch() : arches.front();
  // One finding naming every missing call: one change to the profile fixes
  // them all, and a reviewer wants the whole list at once.
  std::vector<std::string> stopped;
  std::vector<std::string> names;
  for (const StartupCall& c : calls) {
    const auto nr = syscall_number(host, c.name);
    if (!nr) continue;
    const Action a = eval.evaluate(arch_info(host).audit_arch, *nr, c.args);
    if (lets_through(a)) continue;
    const bool write_only = std::string_view(c.name) == "openat";
    stopped.push_back(fmt::format("{}{} ({}; gets {})", c.name, write_only ? " with O_WRONLY" : "", c.why,
                                  a.to_string()));
    names.push_back(c.name);
  }
  if (stopped.empty()) return;
  std::string list, allow;
  for (std::size_t i = 0; i < stopped.size(); ++i) {
    list += (i ? "; " : "") + stopped[i];
    allow += (i ? ", " : "") + names[i];
  }
  ctx.add(severity, "runtime-startup",
          fmt::format("{} makes these calls itself after loading the filter, before the container's program runs, "
                      "and this profile denies them, so no container would start: {}. Allow {}{}",
                      runtime_name, list, allow,
                      severity == Severity::Warning ? " (or `seccage check --runtime none` if the profile is not "
                                                      "for runc)"
                                                    : ""),
          ctx.default_location(), names.front());
}

// As a registered check: a runtime named explicitly makes a missing call an
// error; the default for JSON profiles (runc) a warning.
void check_runtime_startup_of(Context& ctx, PolicyFacts& facts) {
  if (ctx.options.runtime) check_runtime_startup(ctx, facts.eval, *ctx.options.runtime, Severity::Error);
  else if (ctx.json_text) check_runtime_startup(ctx, facts.eval, ContainerRuntime::Runc, Severity::Warning);
}

}  // namespace seccage::lint_detail
