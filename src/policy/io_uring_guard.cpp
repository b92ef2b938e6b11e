#include "seccage/io_uring_guard.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include <fmt/core.h>

namespace seccage {
namespace {

// What each opcode does, from the kernel's io_uring/opdef.c and the
// io_uring_enter(2) manual (Linux 6.18). Where one opcode does the work of
// several syscalls (OPENAT does what open and creat do, UNLINKAT what rmdir
// does), all are listed: a policy that denies only `open` is got around
// by IORING_OP_OPENAT just as well. socketcall is listed with the socket
// opcodes: on i386 it is how those calls are made.
constexpr std::string_view kRead[] = {"read", "readv", "pread64", "preadv", "preadv2"};
constexpr std::string_view kWrite[] = {"write", "writev", "pwrite64", "pwritev", "pwritev2"};
constexpr std::string_view kFsync[] = {"fsync", "fdatasync"};
constexpr std::string_view kSyncRange[] = {"sync_file_range", "sync_file_range2", "arm_sync_file_range"};
constexpr std::string_view kPoll[] = {"poll", "ppoll", "ppoll_time64"};
constexpr std::string_view kSendmsg[] = {"sendmsg", "sendmmsg", "socketcall"};
constexpr std::string_view kRecvmsg[] = {"recvmsg", "recvmmsg", "recvmmsg_time64", "socketcall"};
constexpr std::string_view kAccept[] = {"accept", "accept4", "socketcall"};
constexpr std::string_view kConnect[] = {"connect", "socketcall"};
constexpr std::string_view kFallocate[] = {"fallocate"};
constexpr std::string_view kOpen[] = {"open", "openat", "creat"};
constexpr std::string_view kOpen2[] = {"openat2", "open", "openat", "creat"};
constexpr std::string_view kClose[] = {"close"};
constexpr std::string_view kStatx[] = {"statx",   "stat",      "lstat",      "fstat",   "newfstatat",
                                       "stat64",  "lstat64",   "fstat64",    "fstatat64"};
constexpr std::string_view kFadvise[] = {"fadvise64", "fadvise64_64", "arm_fadvise64_64"};
constexpr std::string_view kMadvise[] = {"madvise"};
constexpr std::string_view kSend[] = {"sendto", "send", "socketcall"};
constexpr std::string_view kRecv[] = {"recvfrom", "recv", "socketcall"};
constexpr std::string_view kEpollCtl[] = {"epoll_ctl"};
constexpr std::string_view kEpollWait[] = {"epoll_wait", "epoll_pwait", "epoll_pwait2"};
constexpr std::string_view kSplice[] = {"splice"};
constexpr std::string_view kTee[] = {"tee"};
constexpr std::string_view kShutdown[] = {"shutdown", "socketcall"};
constexpr std::string_view kRename[] = {"rename", "renameat", "renameat2"};
constexpr std::string_view kUnlink[] = {"unlink", "unlinkat", "rmdir"};
constexpr std::string_view kMkdir[] = {"mkdir", "mkdirat"};
constexpr std::string_view kSymlink[] = {"symlink", "symlinkat"};
constexpr std::string_view kLink[] = {"link", "linkat"};
constexpr std::string_view kFsetxattr[] = {"fsetxattr"};
constexpr std::string_view kSetxattr[] = {"setxattr", "setxattrat"};
constexpr std::string_view kFgetxattr[] = {"fgetxattr"};
constexpr std::string_view kGetxattr[] = {"getxattr", "getxattrat"};
constexpr std::string_view kSocket[] = {"socket", "socketcall"};
// URING_CMD: socket ioctls (SIOCINQ/SIOCOUTQ), get/setsockopt, block
// device discard and driver passthrough (NVMe): what ioctl does.
constexpr std::string_view kUringCmd[] = {"ioctl", "getsockopt", "setsockopt", "socketcall"};
constexpr std::string_view kWaitid[] = {"waitid"};
constexpr std::string_view kFutex[] = {"futex", "futex_time64", "futex_waitv", "futex_wait", "futex_wake"};
constexpr std::string_view kFdInstall[] = {"dup", "dup2", "dup3"};
constexpr std::string_view kFtruncate[] = {"ftruncate", "ftruncate64"};
constexpr std::string_view kBind[] = {"bind", "socketcall"};
constexpr std::string_view kListen[] = {"listen", "socketcall"};
constexpr std::string_view kPipe[] = {"pipe", "pipe2"};

constexpr IoUringOp kOps[] = {
    {"IORING_OP_READV", kRead},          {"IORING_OP_WRITEV", kWrite},
    {"IORING_OP_FSYNC", kFsync},         {"IORING_OP_READ_FIXED", kRead},
    {"IORING_OP_WRITE_FIXED", kWrite},   {"IORING_OP_POLL_ADD", kPoll},
    {"IORING_OP_SYNC_FILE_RANGE", kSyncRange}, {"IORING_OP_SENDMSG", kSendmsg},
    {"IORING_OP_RECVMSG", kRecvmsg},     {"IORING_OP_ACCEPT", kAccept},
    {"IORING_OP_CONNECT", kConnect},     {"IORING_OP_FALLOCATE", kFallocate},
    {"IORING_OP_OPENAT", kOpen},         {"IORING_OP_CLOSE", kClose},
    {"IORING_OP_STATX", kStatx},         {"IORING_OP_READ", kRead},
    {"IORING_OP_WRITE", kWrite},         {"IORING_OP_FADVISE", kFadvise},
    {"IORING_OP_MADVISE", kMadvise},     {"IORING_OP_SEND", kSend},
    {"IORING_OP_RECV", kRecv},           {"IORING_OP_OPENAT2", kOpen2},
    {"IORING_OP_EPOLL_CTL", kEpollCtl},  {"IORING_OP_SPLICE", kSplice},
    {"IORING_OP_TEE", kTee},             {"IORING_OP_SHUTDOWN", kShutdown},
    {"IORING_OP_RENAMEAT", kRename},     {"IORING_OP_UNLINKAT", kUnlink},
    {"IORING_OP_MKDIRAT", kMkdir},       {"IORING_OP_SYMLINKAT", kSymlink},
    {"IORING_OP_LINKAT", kLink},         {"IORING_OP_FSETXATTR", kFsetxattr},
    {"IORING_OP_SETXATTR", kSetxattr},   {"IORING_OP_FGETXATTR", kFgetxattr},
    {"IORING_OP_GETXATTR", kGetxattr},   {"IORING_OP_SOCKET", kSocket},
    {"IORING_OP_URING_CMD", kUringCmd},  {"IORING_OP_SEND_ZC", kSend},
    {"IORING_OP_SENDMSG_ZC", kSendmsg},  {"IORING_OP_READ_MULTISHOT", kRead},
    {"IORING_OP_WAITID", kWaitid},       {"IORING_OP_FUTEX_WAIT", kFutex},
    {"IORING_OP_FUTEX_WAKE", kFutex},    {"IORING_OP_FUTEX_WAITV", kFutex},
    {"IORING_OP_FIXED_FD_INSTALL", kFdInstall}, {"IORING_OP_FTRUNCATE", kFtruncate},
    {"IORING_OP_BIND", kBind},           {"IORING_OP_LISTEN", kListen},
    {"IORING_OP_RECV_ZC", kRecv},        {"IORING_OP_EPOLL_WAIT", kEpollWait},
    {"IORING_OP_READV_FIXED", kRead},    {"IORING_OP_WRITEV_FIXED", kWrite},
    {"IORING_OP_PIPE", kPipe},
};

constexpr std::string_view kIoUringCalls[] = {"io_uring_setup", "io_uring_enter", "io_uring_register"};
constexpr std::uint16_t kENOSYS = 38;

bool passes(const Action& a) { return a.kind == ActionKind::Allow || a.kind == ActionKind::Log; }

// Whether rule `r` applies to syscall `nr` of `arch` (by name or number).
bool applies(const Rule& r, Arch arch, std::uint32_t nr) {
  if (const auto* n = std::get_if<std::string>(&r.syscall)) return syscall_number(arch, *n) == nr;
  return std::get<std::uint32_t>(r.syscall) == nr;
}

// What the policy can do with one syscall of one arch, read from its rules
// as semantics.md says: the first unconditional rule decides alone;
// otherwise each conditional rule, and the default for the arguments no
// rule matches, may decide.
struct Reach {
  bool may_deny = false;
  bool may_pass = false;
};
Reach reach(const Policy& p, Arch arch, std::uint32_t nr) {
  Reach out;
  for (const Rule& r : p.rules) {
    // A rule with the default's action is a no-op (semantics.md), even an
    // unconditional one: the rules after it decide.
    if (!applies(r, arch, nr) || r.action == p.default_action) continue;
    if (r.conditions.empty()) return passes(r.action) ? Reach{false, true} : Reach{true, false};
    (passes(r.action) ? out.may_pass : out.may_deny) = true;
  }
  (passes(p.default_action) ? out.may_pass : out.may_deny) = true;
  return out;
}

Reach reach_any_arch(const Policy& p, std::string_view name) {
  Reach out;
  for (Arch a : p.effective_arches()) {
    auto nr = syscall_number(a, name);
    if (!nr) continue;
    const Reach r = reach(p, a, *nr);
    out.may_deny |= r.may_deny;
    out.may_pass |= r.may_pass;
  }
  return out;
}

bool guard_rule(const Rule& r) { return r.origin.name.starts_with(kIoUringGuardOrigin); }

}  // namespace

std::span<const IoUringOp> io_uring_ops() { return kOps; }

std::string IoUringRoute::to_string() const { return fmt::format("{} ({})", syscall, op); }

std::vector<IoUringRoute> io_uring_routes(const Policy& policy) {
  std::vector<IoUringRoute> out;
  for (const IoUringOp& op : kOps) {
    for (std::string_view name : op.syscalls) {
      if (reach_any_arch(policy, name).may_deny) out.push_back({std::string(name), op.op});
    }
  }
  return out;
}

bool io_uring_setup_reachable(const Policy& policy) { return reach_any_arch(policy, "io_uring_setup").may_pass; }

bool allows_io_uring_by_name(const Policy& policy) {
  const auto arches = policy.effective_arches();
  return std::any_of(policy.rules.begin(), policy.rules.end(), [&](const Rule& r) {
    if (!passes(r.action)) return false;
    return std::any_of(arches.begin(), arches.end(), [&](Arch a) {
      auto nr = syscall_number(a, "io_uring_setup");
      return nr && applies(r, a, *nr);
    });
  });
}

void deny_io_uring(Policy& policy, const std::string& why) {
  const auto arches = policy.effective_arches();
  std::vector<Rule> front;
  for (std::string_view name : kIoUringCalls) {
    if (std::none_of(arches.begin(), arches.end(), [&](Arch a) { return syscall_number(a, name).has_value(); }))
      continue;  // validate() refuses names no arch has
    // Denied for every argument already (an unconditional denial, or the
    // default with no rule letting it through): that answer stays, so an
    // allowlist that never allowed io_uring is left as it was.
    if (!reach_any_arch(policy, name).may_pass) continue;
    const auto named = [&](const Rule& r) {
      return std::any_of(arches.begin(), arches.end(), [&](Arch a) {
        auto nr = syscall_number(a, name);
        return nr && applies(r, a, *nr);
      });
    };
    std::erase_if(policy.rules, named);
    front.push_back(Rule{std::string(name), Action::errno_(kENOSYS), {},
                         RuleOrigin::named(fmt::format("{}: {}", kIoUringGuardOrigin, why))});
  }
  // Rules on them, by name or number, were erased above; in front all the
  // same, as the first unconditional rule on a syscall is the one that counts.
  policy.rules.insert(policy.rules.begin(), front.begin(), front.end());
}

std::vector<IoUringRoute> guard_io_uring(Policy& policy, bool allowed_by_name) {
  if (allowed_by_name) {
    // The author allows io_uring by name: what an earlier guard (a preset's,
    // a text policy's) added goes, or the ring could be made but not used.
    std::erase_if(policy.rules, [](const Rule& r) {
      const auto* n = std::get_if<std::string>(&r.syscall);
      return guard_rule(r) && n && *n != "io_uring_setup";
    });
    return {};
  }
  std::vector<IoUringRoute> routes = io_uring_routes(policy);
  if (routes.empty()) return routes;
  std::string why = fmt::format("the policy denies {}, which io_uring would do out of the filter's sight",
                                routes.front().to_string());
  if (routes.size() > 1) why += fmt::format(" (and {} more)", routes.size() - 1);
  deny_io_uring(policy, why);
  return routes;
}

}  // namespace seccage
