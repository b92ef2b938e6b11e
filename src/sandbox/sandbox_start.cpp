#include "sandbox/sandbox_start.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/core.h>

#include "sandbox/init.hpp"
#include "sandbox/program_setup.hpp"
#include "seccage/error.hpp"
#include "util/read_file.hpp"

namespace seccage::sandbox {
namespace {

using kernel::UniqueFd;

constexpr int kHelloTimeoutMs = 10'000;

// An IPC namespace with each level: without it a root program attaches the
// host root's System V shared memory (and message queues, semaphores) by
// their mode alone.
int clone_flags(IsolationLevel level) {
  switch (level) {
    case IsolationLevel::UserPidMount: return CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC;
    case IsolationLevel::PidMount: return CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC;
    case IsolationLevel::None: return 0;
  }
  return 0;
}

bool write_proc_file(pid_t pid, const char* file, const std::string& text, std::string& why) {
  const std::string path = fmt::format("/proc/{}/{}", pid, file);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  const bool ok = fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const int err = errno;
  if (fd >= 0) ::close(fd);
  if (!ok) why = fmt::format("writing the user namespace's {}: {}", file, std::strerror(err));
  return ok;
}

// Root maps every id to itself, so files keep their owners and --user works
// inside. Another user may map only its own ids, and must give up setgroups
// for the gid map (the kernel's rule against dropping groups to gain access).
bool write_id_maps(pid_t pid, std::string& why) {
  if (::geteuid() == 0) {
    return write_proc_file(pid, "uid_map", "0 0 4294967295\n", why) &&
           write_proc_file(pid, "gid_map", "0 0 4294967295\n", why);
  }
  return write_proc_file(pid, "uid_map", fmt::format("{0} {0} 1\n", ::geteuid()), why) &&
         write_proc_file(pid, "setgroups", "deny", why) &&
         write_proc_file(pid, "gid_map", fmt::format("{0} {0} 1\n", ::getegid()), why);
}

// In the init, before anything else: every descriptor but the ones it and
// the launcher need is closed (seccage's signalfd, report file, relays' read
// ends), so that nothing of seccage's is reachable from the sandbox.
void close_all_but(std::array<int, 9> keep) noexcept {
  std::sort(keep.begin(), keep.end());
  unsigned from = 0;
  for (int fd : keep) {
    if (fd < 0 || static_cast<unsigned>(fd) < from) continue;
    if (static_cast<unsigned>(fd) > from) ::syscall(SYS_close_range, from, static_cast<unsigned>(fd) - 1, 0u);
    from = static_cast<unsigned>(fd) + 1;
  }
  ::syscall(SYS_close_range, from, ~0u, 0u);
}

// The launcher's pid as seccage sees it, from its pidfd.
pid_t pid_of(int pidfd) {
  auto info = read_small_file(fmt::format("/proc/self/fdinfo/{}", pidfd));
  if (!info) return -1;
  const auto at = info->find("\nPid:");
  if (at == std::string::npos) return -1;
  return static_cast<pid_t>(std::strtol(info->c_str() + at + 5, nullptr, 10));
}

void reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  while (::waitpid(pid, nullptr, __WALL) < 0 && errno == EINTR) {
  }
}

}  // namespace

std::vector<std::string> namespace_names(IsolationLevel level) {
  switch (level) {
    case IsolationLevel::UserPidMount: return {"user", "pid", "mount", "ipc"};
    case IsolationLevel::PidMount: return {"pid", "mount", "ipc"};
    case IsolationLevel::None: return {};
  }
  return {};
}

int receive_launch_message(int socket, LaunchMessage& m, UniqueFd* fd, int timeout_ms) {
  if (timeout_ms >= 0) {
    pollfd p{socket, POLLIN, 0};
    int r;
    while ((r = ::poll(&p, 1, timeout_ms)) < 0 && errno == EINTR) {
    }
    if (r <= 0) return -1;
  }
  iovec iov{&m, sizeof m};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  while ((n = ::recvmsg(socket, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
  }
  if (n < 0) return -1;
  if (n == 0) return 0;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    int got = -1;
    std::memcpy(&got, CMSG_DATA(c), sizeof got);
    if (fd) fd->reset(got);
    else ::close(got);
  }
  return n == static_cast<ssize_t>(sizeof m) ? 1 : -1;
}

// ENOSPC for a user namespace where the limit is above 0: the user's count
// is used up, and a program of the same user (another run's) can hold them
// all to push this run into weaker isolation. That is no kernel's refusal
// to fall back from: the run stops (docs/SECURITY.md). A limit of 0 is the
// administrator's choice, and the run falls back as for any refusal.
static void refuse_used_up_user_namespaces() {
  const auto text = read_small_file("/proc/sys/user/max_user_namespaces");
  const long limit = text ? std::strtol(text->c_str(), nullptr, 10) : 0;
  if (limit <= 0) return;
  throw SystemError(fmt::format("every user namespace this user may have ({}, user.max_user_namespaces) is in use, "
                                "which a program of the same user can do to weaken this run; seccage does not fall "
                                "back to weaker isolation for that: end the processes holding them, or raise the "
                                "limit",
                                limit),
                    ENOSPC);
}

std::optional<Sandbox> start_sandbox(IsolationLevel level, LaunchPlan& plan, const RunCgroup* cgroup,
                                     const bpf::Program* init_filter, bool read_only_host_files, std::string& why) {
  int sp[2], go[2], res[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) != 0) throw SystemError("socketpair", errno);
  UniqueFd status(sp[0]), launcher_end(sp[1]);
  if (::pipe2(go, O_CLOEXEC) != 0) throw SystemError("pipe2", errno);
  UniqueFd go_read(go[0]), go_write(go[1]);
  if (::pipe2(res, O_CLOEXEC) != 0) throw SystemError("pipe2", errno);
  UniqueFd result_read(res[0]), result_write(res[1]);
  plan.status_fd = launcher_end.get();
  InitPlan ip;
  ip.pid_namespace = ip.mount_namespace = level != IsolationLevel::None;
  ip.go_fd = go_read.get();
  ip.result_fd = result_write.get();
  ip.seccage = ::getpid();
  ip.dumpable_for_maps = level == IsolationLevel::UserPidMount && ::geteuid() != 0;
  ip.own_filter = init_filter;
  ip.read_only_host_files = read_only_host_files && level != IsolationLevel::None;

  // The init starts with every signal blocked: it takes the ones it wants
  // with sigwaitinfo, and a Ctrl-C meant for seccage never reaches it.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  // A raw clone: the flags put the child straight into the new namespaces
  // (it is PID 1 there). It runs on a copy of this stack, as after fork.
  const long pid = ::syscall(SYS_clone, static_cast<unsigned long>(clone_flags(level)) | SIGCHLD, nullptr, nullptr,
                             nullptr, nullptr);
  if (pid == 0) {
    close_all_but({0, 1, 2, ip.go_fd, ip.result_fd, plan.status_fd, plan.stdin_fd, plan.stdout_fd, plan.stderr_fd});
    run_init(ip, plan);
  }
  const int clone_errno = errno;
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  go_read.reset();
  result_write.reset();
  launcher_end.reset();
  plan.status_fd = -1;
  if (pid < 0) {
    if (level == IsolationLevel::None) throw SystemError("cannot start the sandbox (clone)", clone_errno);
    if (level == IsolationLevel::UserPidMount && clone_errno == ENOSPC) refuse_used_up_user_namespaces();
    why = fmt::format("the kernel refused {} namespaces: {}", level == IsolationLevel::UserPidMount ? "user" : "PID and mount",
                      std::strerror(clone_errno));
    return std::nullopt;
  }
  Sandbox sb;
  sb.level = level;
  sb.init = static_cast<pid_t>(pid);
  if (ip.dumpable_for_maps) {
    LaunchMessage ready{};
    if (receive_launch_message(status.get(), ready, nullptr, kHelloTimeoutMs) != 1 ||
        ready.kind != LaunchMessage::InitReady) {
      why = "the sandbox's init did not start";
      reap(sb.init);
      return std::nullopt;
    }
  }
  if (level == IsolationLevel::UserPidMount && !write_id_maps(sb.init, why)) {
    reap(sb.init);
    return std::nullopt;
  }
  if (cgroup) {
    try {
      cgroup->add(sb.init);
    } catch (const SystemError&) {
      reap(sb.init);
      throw;
    }
  }
  if (::write(go_write.get(), "g", 1) != 1) {
    reap(sb.init);
    throw SystemError("cannot start the sandbox (go pipe)", errno);
  }
  go_write.reset();

  LaunchMessage m{};
  const int got = receive_launch_message(status.get(), m, &sb.launcher_pidfd, kHelloTimeoutMs);
  if (got == 1 && m.kind == LaunchMessage::SetupFailed && m.stage > StageInit && level != IsolationLevel::None) {
    why = fmt::format("the sandbox's init could not set up its namespaces: {}: {}", launch_stage_name(m.stage),
                      std::strerror(m.value));
    reap(sb.init);
    return std::nullopt;
  }
  if (got == 1 && m.kind == LaunchMessage::Hello && sb.launcher_pidfd) {
    sb.launcher = pid_of(sb.launcher_pidfd.get());
  } else if (got == 1) {
    sb.early_failure = m;
  } else {
    LaunchMessage lost{LaunchMessage::SetupFailed, got == 0 ? ECHILD : ETIMEDOUT, StageInit};
    sb.early_failure = lost;
  }
  sb.status = std::move(status);
  sb.result = std::move(result_read);
  return sb;
}

}  // namespace seccage::sandbox
