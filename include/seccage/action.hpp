// Seccomp actions: what a filter returns for a syscall.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace seccage {

// In the kernel's order of precedence, most severe first.
enum class ActionKind : std::uint8_t {
  KillProcess,
  KillThread,
  Trap,
  Errno,
  UserNotif,
  Trace,
  Log,
  Allow,
};

struct Action {
  ActionKind kind = ActionKind::KillProcess;
  std::uint16_t data = 0;  // errno for Errno, the value for Trap and Trace

  static constexpr Action kill_process() { return {ActionKind::KillProcess, 0}; }
  static constexpr Action kill_thread() { return {ActionKind::KillThread, 0}; }
  static constexpr Action trap(std::uint16_t data = 0) { return {ActionKind::Trap, data}; }
  static constexpr Action errno_(std::uint16_t err) { return {ActionKind::Errno, err}; }
  static constexpr Action user_notif() { return {ActionKind::UserNotif, 0}; }
  static constexpr Action trace(std::uint16_t data = 0) { return {ActionKind::Trace, data}; }
  static constexpr Action log() { return {ActionKind::Log, 0}; }
  static constexpr Action allow() { return {ActionKind::Allow, 0}; }

  // The 32-bit value a filter returns (SECCOMP_RET_*).
  std::uint32_t to_ret() const;
  // How the kernel reads a return value: unknown actions are KILL_PROCESS,
  // and ERRNO data above 4095 is capped to 4095.
  static Action from_ret(std::uint32_t ret);

  // "ALLOW", "ERRNO(1)", "KILL_PROCESS", "TRAP(5)", ...
  std::string to_string() const;
  // Same, with the errno's name where there is one: "ERRNO(1) EPERM".
  std::string describe() const;

  // True for actions that stop the syscall from running as asked (kill, trap,
  // errno); USER_NOTIF, TRACE, LOG and ALLOW let it reach someone who decides.
  bool denies() const;

  // Whether the kernel takes this action over `other`, an earlier (newer)
  // filter's, when it runs a thread's stacked filters: only a strictly more
  // severe one replaces it, so on a tie the newer filter's action, with its
  // data, stands.
  constexpr bool outranks(const Action& other) const { return kind < other.kind; }

  friend constexpr bool operator==(const Action&, const Action&) = default;
  friend constexpr auto operator<=>(const Action&, const Action&) = default;
};

// Parses "allow", "kill", "kill-process", "kill-thread", "trap", "trap(3)",
// "errno(EPERM)", "errno(1)", "EPERM", "log", "notify", "trace(7)",
// "SCMP_ACT_ERRNO" and the other SCMP_ACT_* names. nullopt when unknown.
std::optional<Action> parse_action(std::string_view text);

// libseccomp's SCMP_ACT_* names, as OCI profiles, lxc and libseccomp's own
// output spell them: the one table every reader, writer and lint uses.
struct ScmpActionName {
  std::string_view name;  // "SCMP_ACT_ERRNO", ...
  ActionKind kind;
};
// In libseccomp's order. SCMP_ACT_KILL is there too: runc, crun and
// libseccomp read it as KILL_THREAD (the kernel's old SECCOMP_RET_KILL).
std::span<const ScmpActionName> scmp_action_names();
// Exact match, as runc compares them; nullopt when unknown.
std::optional<ActionKind> action_kind_from_scmp_name(std::string_view name);
// The name a writer uses. KILL_THREAD is SCMP_ACT_KILL_THREAD, never the
// older SCMP_ACT_KILL, whose meaning has varied between tools.
std::string_view scmp_action_name(ActionKind kind);
// ERRNO and TRACE carry data (OCI's errnoRet); the other actions have none.
constexpr bool scmp_action_takes_data(ActionKind kind) {
  return kind == ActionKind::Errno || kind == ActionKind::Trace;
}

// errno names and numbers (Linux generic values).
std::optional<int> errno_from_name(std::string_view name);
std::optional<std::string_view> errno_name(int err);

}  // namespace seccage
