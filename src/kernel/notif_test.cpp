// NEW_LISTENER: the fd load_filter returns really is a user-notification
// listener. A child installs a USER_NOTIF filter on getppid; a supervisor
// thread in the same child receives the call with SECCOMP_IOCTL_NOTIF_RECV and
// answers with an error, which the calling thread must see.
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "seccage/error.hpp"
#include "seccage/kernel.hpp"
#include "support/child.hpp"
#include "support/kernel_programs.hpp"

namespace seccage::kernel {
namespace {

constexpr std::uint32_t kRetUserNotif = 0x7fc00000u;  // SECCOMP_RET_USER_NOTIF
constexpr int kAnswer = ENOTBLK;                      // the supervisor's reply

struct Seen {
  bool received = false;
  int nr = -1;
  std::uint32_t pid = 0;
  bool answered = false;
  int err = 0;
};

// Receives one notification and answers it with -kAnswer. Buffers are sized by
// SECCOMP_GET_NOTIF_SIZES, as seccomp_unotify(2) asks: the kernel's structs
// may be larger than this program's headers, and RECV needs a zeroed buffer.
Seen supervise_once(int listener, const NotifSizes& sizes) {
  Seen seen;
  std::vector<unsigned char> req_buf(std::max<std::size_t>(sizes.notif, sizeof(seccomp_notif)), 0);
  std::vector<unsigned char> resp_buf(std::max<std::size_t>(sizes.notif_resp, sizeof(seccomp_notif_resp)), 0);
  auto* req = reinterpret_cast<seccomp_notif*>(req_buf.data());
  if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) != 0) {
    seen.err = errno;
    return seen;
  }
  seen.received = true;
  seen.nr = req->data.nr;
  seen.pid = req->pid;
  auto* resp = reinterpret_cast<seccomp_notif_resp*>(resp_buf.data());
  resp->id = req->id;
  resp->error = -kAnswer;
  resp->val = 0;
  resp->flags = 0;
  if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp) != 0) {
    seen.err = errno;
    return seen;
  }
  seen.answered = true;
  return seen;
}

int run_notified_getppid(int report, bool wait_killable) {
  auto fail = [report](const std::string& why) {
    test::write_all(report, why.data(), why.size());
    return 1;
  };
  const auto sizes = notif_sizes();
  if (!sizes) return fail("no SECCOMP_GET_NOTIF_SIZES");
  LoadOptions o;
  o.new_listener = true;
  o.wait_killable_recv = wait_killable;
  LoadResult res = load_filter(test::ret_for_syscall(SYS_getppid, kRetUserNotif), o);
  if (!res.listener.valid()) return fail("no listener fd");

  // The supervisor thread is created after the filter and so runs under it
  // too; it makes no getppid call, so it is never notified itself.
  Seen seen;
  std::thread supervisor([&] { seen = supervise_once(res.listener.get(), *sizes); });
  errno = 0;
  const long r = syscall(SYS_getppid);
  const int err = errno;
  supervisor.join();

  if (!seen.received) return fail(fmt::format("NOTIF_RECV failed: {}", std::strerror(seen.err)));
  if (seen.nr != SYS_getppid) return fail(fmt::format("notified of syscall {}, not getppid", seen.nr));
  if (seen.pid != static_cast<std::uint32_t>(gettid()))
    return fail(fmt::format("notification names task {}, the caller is {}", seen.pid, gettid()));
  if (!seen.answered) return fail(fmt::format("NOTIF_SEND failed: {}", std::strerror(seen.err)));
  if (r != -1 || err != kAnswer)
    return fail(fmt::format("getppid returned {} errno {}, expected the supervisor's {}", r, err, kAnswer));
  return 0;
}

TEST(KernelNotif, ListenerReceivesAndAnswersACall) {
  if (!flag_supported(FilterFlag::NewListener)) GTEST_SKIP() << "no NEW_LISTENER on this kernel";
  test::ChildResult r = test::run_in_child([](int report) { return run_notified_getppid(report, false); },
                                           std::chrono::seconds(10));
  EXPECT_TRUE(r.ok()) << r.describe() << ": " << r.output;
}

TEST(KernelNotif, ListenerWorksWithWaitKillableRecv) {
  if (!flag_supported(FilterFlag::WaitKillableRecv)) GTEST_SKIP() << "no WAIT_KILLABLE_RECV on this kernel";
  test::ChildResult r = test::run_in_child([](int report) { return run_notified_getppid(report, true); },
                                           std::chrono::seconds(10));
  EXPECT_TRUE(r.ok()) << r.describe() << ": " << r.output;
}

TEST(KernelNotif, SecondListenerOnTheChainIsRefusedWithEbusy) {
  if (!flag_supported(FilterFlag::NewListener)) GTEST_SKIP() << "no NEW_LISTENER on this kernel";
  test::ChildResult r = test::run_in_child([](int report) {
    LoadOptions o;
    o.new_listener = true;
    LoadResult first = load_filter(test::ret_for_syscall(SYS_getppid, kRetUserNotif), o);
    try {
      load_filter(test::ret_for_syscall(SYS_getuid, kRetUserNotif), o);
    } catch (const SystemError& e) {
      if (e.error_number() == EBUSY && std::string(e.what()).find("listener") != std::string::npos) return 0;
      std::string why = std::string("unexpected: ") + e.what();
      test::write_all(report, why.data(), why.size());
      return 1;
    }
    test::write_all(report, "second listener accepted", 24);
    return 1;
  });
  EXPECT_TRUE(r.ok()) << r.describe() << ": " << r.output;
}

}  // namespace
}  // namespace seccage::kernel
