#include "seccage/action.hpp"
#include "seccage/integer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string>

#include <fmt/core.h>

namespace seccage {
namespace {

// SECCOMP_RET_* action values (linux/seccomp.h).
constexpr std::uint32_t kRetKillProcess = 0x80000000u;
constexpr std::uint32_t kRetKillThread = 0x00000000u;
constexpr std::uint32_t kRetTrap = 0x00030000u;
constexpr std::uint32_t kRetErrno = 0x00050000u;
constexpr std::uint32_t kRetUserNotif = 0x7fc00000u;
constexpr std::uint32_t kRetTrace = 0x7ff00000u;
constexpr std::uint32_t kRetLog = 0x7ffc0000u;
constexpr std::uint32_t kRetAllow = 0x7fff0000u;
constexpr std::uint32_t kRetActionFull = 0xffff0000u;
constexpr std::uint32_t kRetData = 0x0000ffffu;
constexpr std::uint16_t kMaxErrno = 4095;

constexpr std::array<ScmpActionName, 9> kScmpActionNames{{
    {"SCMP_ACT_KILL", ActionKind::KillThread},
    {"SCMP_ACT_KILL_PROCESS", ActionKind::KillProcess},
    {"SCMP_ACT_KILL_THREAD", ActionKind::KillThread},
    {"SCMP_ACT_TRAP", ActionKind::Trap},
    {"SCMP_ACT_ERRNO", ActionKind::Errno},
    {"SCMP_ACT_TRACE", ActionKind::Trace},
    {"SCMP_ACT_ALLOW", ActionKind::Allow},
    {"SCMP_ACT_LOG", ActionKind::Log},
    {"SCMP_ACT_NOTIFY", ActionKind::UserNotif},
}};

struct ErrnoName {
  int number;
  std::string_view name;
};

// Linux's generic errno values (asm-generic/errno-base.h and errno.h); the
// arches seccage targets first (x86, arm, riscv, s390, ppc except EDEADLOCK)
// use these.
constexpr std::array<ErrnoName, 133> kErrnos{{
    {1, "EPERM"}, {2, "ENOENT"}, {3, "ESRCH"}, {4, "EINTR"}, {5, "EIO"}, {6, "ENXIO"}, {7, "E2BIG"},
    {8, "ENOEXEC"}, {9, "EBADF"}, {10, "ECHILD"}, {11, "EAGAIN"}, {12, "ENOMEM"}, {13, "EACCES"},
    {14, "EFAULT"}, {15, "ENOTBLK"}, {16, "EBUSY"}, {17, "EEXIST"}, {18, "EXDEV"}, {19, "ENODEV"},
    {20, "ENOTDIR"}, {21, "EISDIR"}, {22, "EINVAL"}, {23, "ENFILE"}, {24, "EMFILE"}, {25, "ENOTTY"},
    {26, "ETXTBSY"}, {27, "EFBIG"}, {28, "ENOSPC"}, {29, "ESPIPE"}, {30, "EROFS"}, {31, "EMLINK"},
    {32, "EPIPE"}, {33, "EDOM"}, {34, "ERANGE"}, {35, "EDEADLK"}, {36, "ENAMETOOLONG"}, {37, "ENOLCK"},
    {38, "ENOSYS"}, {39, "ENOTEMPTY"}, {40, "ELOOP"}, {42, "ENOMSG"}, {43, "EIDRM"}, {44, "ECHRNG"},
    {45, "EL2NSYNC"}, {46, "EL3HLT"}, {47, "EL3RST"}, {48, "ELNRNG"}, {49, "EUNATCH"}, {50, "ENOCSI"},
    {51, "EL2HLT"}, {52, "EBADE"}, {53, "EBADR"}, {54, "EXFULL"}, {55, "ENOANO"}, {56, "EBADRQC"},
    {57, "EBADSLT"}, {59, "EBFONT"}, {60, "ENOSTR"}, {61, "ENODATA"}, {62, "ETIME"}, {63, "ENOSR"},
    {64, "ENONET"}, {65, "ENOPKG"}, {66, "EREMOTE"}, {67, "ENOLINK"}, {68, "EADV"}, {69, "ESRMNT"},
    {70, "ECOMM"}, {71, "EPROTO"}, {72, "EMULTIHOP"}, {73, "EDOTDOT"}, {74, "EBADMSG"}, {75, "EOVERFLOW"},
    {76, "ENOTUNIQ"}, {77, "EBADFD"}, {78, "EREMCHG"}, {79, "ELIBACC"}, {80, "ELIBBAD"}, {81, "ELIBSCN"},
    {82, "ELIBMAX"}, {83, "ELIBEXEC"}, {84, "EILSEQ"}, {85, "ERESTART"}, {86, "ESTRPIPE"}, {87, "EUSERS"},
    {88, "ENOTSOCK"}, {89, "EDESTADDRREQ"}, {90, "EMSGSIZE"}, {91, "EPROTOTYPE"}, {92, "ENOPROTOOPT"},
    {93, "EPROTONOSUPPORT"}, {94, "ESOCKTNOSUPPORT"}, {95, "EOPNOTSUPP"}, {96, "EPFNOSUPPORT"},
    {97, "EAFNOSUPPORT"}, {98, "EADDRINUSE"}, {99, "EADDRNOTAVAIL"}, {100, "ENETDOWN"}, {101, "ENETUNREACH"},
    {102, "ENETRESET"}, {103, "ECONNABORTED"}, {104, "ECONNRESET"}, {105, "ENOBUFS"}, {106, "EISCONN"},
    {107, "ENOTCONN"}, {108, "ESHUTDOWN"}, {109, "ETOOMANYREFS"}, {110, "ETIMEDOUT"}, {111, "ECONNREFUSED"},
    {112, "EHOSTDOWN"}, {113, "EHOSTUNREACH"}, {114, "EALREADY"}, {115, "EINPROGRESS"}, {116, "ESTALE"},
    {117, "EUCLEAN"}, {118, "ENOTNAM"}, {119, "ENAVAIL"}, {120, "EISNAM"}, {121, "EREMOTEIO"},
    {122, "EDQUOT"}, {123, "ENOMEDIUM"}, {124, "EMEDIUMTYPE"}, {125, "ECANCELED"}, {126, "ENOKEY"},
    {127, "EKEYEXPIRED"}, {128, "EKEYREVOKED"}, {129, "EKEYREJECTED"}, {130, "EOWNERDEAD"},
    {131, "ENOTRECOVERABLE"}, {132, "ERFKILL"}, {133, "EHWPOISON"},
}};

// Aliases accepted when parsing; never printed.
constexpr std::array<ErrnoName, 3> kErrnoAliases{{{11, "EWOULDBLOCK"}, {35, "EDEADLOCK"}, {95, "ENOTSUP"}}};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Errno and trap data numbers: the shared integer lexer, 32 bits at most.
std::optional<std::uint32_t> parse_number(std::string_view s) {
  auto v = parse_integer(s);
  if (!v || *v > 0xffffffffu) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}

// Data inside parentheses: "errno(EPERM)" -> "EPERM".
bool split_call(std::string_view text, std::string_view& head, std::string_view& inner) {
  auto open = text.find('(');
  if (open == std::string_view::npos) {
    head = text;
    inner = {};
    return true;
  }
  if (text.back() != ')') return false;
  head = text.substr(0, open);
  inner = text.substr(open + 1, text.size() - open - 2);
  return true;
}

}  // namespace

std::uint32_t Action::to_ret() const {
  switch (kind) {
    case ActionKind::KillProcess: return kRetKillProcess;
    case ActionKind::KillThread: return kRetKillThread;
    case ActionKind::Trap: return kRetTrap | data;
    case ActionKind::Errno: return kRetErrno | data;
    case ActionKind::UserNotif: return kRetUserNotif;
    case ActionKind::Trace: return kRetTrace | data;
    case ActionKind::Log: return kRetLog;
    case ActionKind::Allow: return kRetAllow;
  }
  return kRetKillProcess;
}

Action Action::from_ret(std::uint32_t ret) {
  const auto data = static_cast<std::uint16_t>(ret & kRetData);
  switch (ret & kRetActionFull) {
    case kRetKillProcess: return kill_process();
    case kRetKillThread: return kill_thread();
    case kRetTrap: return trap(data);
    case kRetErrno: return errno_(std::min(data, kMaxErrno));
    case kRetUserNotif: return user_notif();
    case kRetTrace: return trace(data);
    case kRetLog: return log();
    case kRetAllow: return allow();
    default: return kill_process();
  }
}

std::string Action::to_string() const {
  switch (kind) {
    case ActionKind::KillProcess: return "KILL_PROCESS";
    case ActionKind::KillThread: return "KILL_THREAD";
    case ActionKind::Trap: return fmt::format("TRAP({})", data);
    case ActionKind::Errno: return fmt::format("ERRNO({})", data);
    case ActionKind::UserNotif: return "USER_NOTIF";
    case ActionKind::Trace: return fmt::format("TRACE({})", data);
    case ActionKind::Log: return "LOG";
    case ActionKind::Allow: return "ALLOW";
  }
  return "KILL_PROCESS";
}

std::string Action::describe() const {
  std::string s = to_string();
  if (kind == ActionKind::Errno) {
    if (auto name = errno_name(data)) s += fmt::format(" {}", *name);
  }
  return s;
}

bool Action::denies() const {
  switch (kind) {
    case ActionKind::KillProcess:
    case ActionKind::KillThread:
    case ActionKind::Trap:
    case ActionKind::Errno: return true;
    default: return false;
  }
}

std::optional<int> errno_from_name(std::string_view name) {
  for (const auto& e : kErrnos)
    if (e.name == name) return e.number;
  for (const auto& e : kErrnoAliases)
    if (e.name == name) return e.number;
  return std::nullopt;
}

std::optional<std::string_view> errno_name(int err) {
  for (const auto& e : kErrnos)
    if (e.number == err) return e.name;
  return std::nullopt;
}

std::span<const ScmpActionName> scmp_action_names() { return kScmpActionNames; }

std::optional<ActionKind> action_kind_from_scmp_name(std::string_view name) {
  for (const ScmpActionName& n : kScmpActionNames)
    if (n.name == name) return n.kind;
  return std::nullopt;
}

std::string_view scmp_action_name(ActionKind kind) {
  // The last entry of a kind is its current spelling (KILL_THREAD after KILL).
  std::string_view out;
  for (const ScmpActionName& n : kScmpActionNames)
    if (n.kind == kind) out = n.name;
  return out;
}

std::optional<Action> parse_action(std::string_view text) {
  std::string_view head, inner;
  if (!split_call(text, head, inner)) return std::nullopt;
  const std::string h = lower(head);

  auto data_value = [&](bool errno_names) -> std::optional<std::uint16_t> {
    if (inner.empty()) return std::uint16_t{0};
    if (errno_names) {
      if (auto e = errno_from_name(inner)) return static_cast<std::uint16_t>(*e);
    }
    auto n = parse_number(inner);
    if (!n || *n > 0xffff) return std::nullopt;
    return static_cast<std::uint16_t>(*n);
  };

  // A bare errno name stands for errno(NAME).
  if (inner.empty()) {
    if (auto e = errno_from_name(head)) return Action::errno_(static_cast<std::uint16_t>(*e));
  }
  // SCMP_ACT_* names in any case, then seccage's own words.
  std::optional<ActionKind> kind;
  for (const ScmpActionName& n : kScmpActionNames)
    if (lower(n.name) == h) kind = n.kind;
  if (!kind) {
    if (h == "allow") kind = ActionKind::Allow;
    else if (h == "log") kind = ActionKind::Log;
    else if (h == "kill" || h == "kill-process" || h == "kill_process") kind = ActionKind::KillProcess;
    else if (h == "kill-thread" || h == "kill_thread") kind = ActionKind::KillThread;
    else if (h == "notify" || h == "user-notif" || h == "user_notif") kind = ActionKind::UserNotif;
    else if (h == "trap") kind = ActionKind::Trap;
    else if (h == "trace") kind = ActionKind::Trace;
    else if (h == "errno") kind = ActionKind::Errno;
    else return std::nullopt;
  }
  switch (*kind) {
    case ActionKind::Trap:
    case ActionKind::Trace: {
      auto d = data_value(false);
      if (!d) return std::nullopt;
      return *kind == ActionKind::Trap ? Action::trap(*d) : Action::trace(*d);
    }
    case ActionKind::Errno: {
      // errno with no value is EPERM, as in the OCI runtimes.
      if (inner.empty()) return Action::errno_(1);
      auto d = data_value(true);
      if (!d || *d > kMaxErrno) return std::nullopt;
      return Action::errno_(*d);
    }
    default:
      if (!inner.empty()) return std::nullopt;
      return Action{*kind, 0};
  }
  return std::nullopt;
}

}  // namespace seccage
