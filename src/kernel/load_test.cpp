// load_filter against the real kernel. Every test that installs something (or
// could, if the code under test were wrong) does it in a forked child: a
// filter can never be removed from the test process.
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string>
#include <thread>

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "seccage/error.hpp"
#include "seccage/kernel.hpp"
#include "support/child.hpp"
#include "support/kernel_programs.hpp"

namespace seccage::kernel {
namespace {

using test::ChildResult;
using test::ret_for_syscall;
using test::run_in_child;

constexpr std::uint32_t kRetErrno = 0x00050000u;  // SECCOMP_RET_ERRNO
// An errno nothing else returns from getppid, so seeing it proves the filter.
constexpr int kMarkErrno = EXDEV;

bpf::Program deny_getppid() { return ret_for_syscall(SYS_getppid, kRetErrno | kMarkErrno); }

// In a child: writes why it failed to the report pipe, for the parent's message.
int fail(int report, const std::string& why) {
  test::write_all(report, why.data(), why.size());
  return 1;
}

// getppid() answers with the mark errno: the filter is in force on this thread.
bool getppid_denied() {
  errno = 0;
  const long r = syscall(SYS_getppid);
  return r == -1 && errno == kMarkErrno;
}

std::string explain(const ChildResult& r) { return r.describe() + (r.output.empty() ? "" : ": " + r.output); }

TEST(LoadFilter, ErrnoForGetppidTakesEffect) {
  ChildResult r = run_in_child([](int report) {
    if (getppid_denied()) return fail(report, "getppid denied before any filter");
    LoadResult res = load_filter(deny_getppid());
    if (res.listener.valid()) return fail(report, "a listener without new_listener");
    if (res.flags != 0) return fail(report, fmt::format("flags {:#x}, expected none", res.flags));
    if (!getppid_denied()) return fail(report, "getppid was not denied after load");
    if (syscall(SYS_getpid) <= 0) return fail(report, "getpid broken: the filter hit more than getppid");
    if (current_mode() != SeccompMode::Filter) return fail(report, "PR_GET_SECCOMP does not say filter mode");
    return 0;
  });
  EXPECT_TRUE(r.ok()) << explain(r);
}

TEST(LoadFilter, SetsNoNewPrivsByDefault) {
  ChildResult r = run_in_child([](int report) {
    load_filter(deny_getppid());
    if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) return fail(report, "NO_NEW_PRIVS is not set after load");
    return 0;
  });
  EXPECT_TRUE(r.ok()) << explain(r);
}

TEST(LoadFilter, KeepLeavesNoNewPrivsUnsetWithCapSysAdmin) {
  if (!has_cap_sys_admin()) GTEST_SKIP() << "needs CAP_SYS_ADMIN";
  if (no_new_privs()) GTEST_SKIP() << "NO_NEW_PRIVS is already set on the test process";
  ChildResult r = run_in_child([](int report) {
    LoadOptions o;
    o.no_new_privs = NoNewPrivs::Keep;
    load_filter(deny_getppid(), o);
    if (no_new_privs()) return fail(report, "NO_NEW_PRIVS was set although Keep was asked");
    if (!getppid_denied()) return fail(report, "filter not in force");
    return 0;
  });
  EXPECT_TRUE(r.ok()) << explain(r);
}

// Drops CAP_SYS_ADMIN from the effective set of the calling (child) process.
bool drop_cap_sys_admin() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
  if (syscall(SYS_capget, &header, data) != 0) return false;
  data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
  return syscall(SYS_capset, &header, data) == 0;
}

TEST(LoadFilter, KeepWithoutCapSysAdminIsRefusedWithEacces) {
  if (no_new_privs()) GTEST_SKIP() << "NO_NEW_PRIVS is already set on the test process";
  ChildResult r = run_in_child([](int report) {
    if (!drop_cap_sys_admin() || has_cap_sys_admin()) return fail(report, "could not drop CAP_SYS_ADMIN");
    LoadOptions o;
    o.no_new_privs = NoNewPrivs::Keep;
    try {
      load_filter(deny_getppid(), o);
      return fail(report, "loaded without NO_NEW_PRIVS and without CAP_SYS_ADMIN");
    } catch (const SystemError& e) {
      const std::string what = e.what();
      if (e.error_number() != EACCES) return fail(report, "wrong errno: " + what);
      if (what.find("NO_NEW_PRIVS") == std::string::npos || what.find("NoNewPrivs::Set") == std::string::npos)
        return fail(report, "message does not say what to do: " + what);
    }
    if (current_mode() != SeccompMode::Disabled) return fail(report, "something was installed");
    return 0;
  });
  EXPECT_TRUE(r.ok()) << explain(r);
}

// Options that ask for exactly `flag` (plus what the kernel needs with it).
LoadOptions options_for(FilterFlag flag) {
  LoadOptions o;
  switch (flag) {
    case FilterFlag::Tsync: o.tsync = true; break;
    case FilterFlag::Log: o.log = true; break;
    case FilterFlag::SpecAllow: o.spec_allow = true; break;
    case FilterFlag::NewListener: o.new_listener = true; break;
    case FilterFlag::TsyncEsrch: o.tsync_esrch = true; break;
    case FilterFlag::WaitKillableRecv:
      o.new_listener = true;
      o.wait_killable_recv = true;
      break;
  }
  return o;
}

TEST(LoadFilter, EachFlagWorksOrIsReportedMissing) {
  for (FilterFlag flag : kAllFilterFlags) {
    SCOPED_TRACE(std::string(flag_name(flag)));
    const bool supported = flag_supported(flag);
    ChildResult r = run_in_child([&](int report) {
      try {
        LoadResult res = load_filter(deny_getppid(), options_for(flag));
        if (!supported) return fail(report, "loaded although the probe says unsupported");
        if ((res.flags & flag_bit(flag)) == 0) return fail(report, fmt::format("flag missing from {:#x}", res.flags));
        if (res.listener.valid() != options_for(flag).new_listener) return fail(report, "listener fd mismatch");
        if (!getppid_denied()) return fail(report, "filter not in force");
        return 0;
      } catch (const SystemError& e) {
        const std::string what = e.what();
        if (supported) return fail(report, "refused although the probe says supported: " + what);
        if (what.find("does not support") == std::string::npos || what.find(flag_name(flag)) == std::string::npos ||
            what.find(std::string("Linux ") + std::string(flag_since(flag))) == std::string::npos)
          return fail(report, "unclear message: " + what);
        if (current_mode() != SeccompMode::Disabled || no_new_privs())
          return fail(report, "state changed before the flag was found missing");
        return 0;
      }
    });
    EXPECT_TRUE(r.ok()) << explain(r);
  }
}

TEST(LoadFilter, TsyncReachesThreadsStartedBefore) {
  if (!flag_supported(FilterFlag::Tsync)) GTEST_SKIP() << "no TSYNC on this kernel";
  for (bool tsync : {false, true}) {
    SCOPED_TRACE(tsync ? "with TSYNC" : "without TSYNC");
    ChildResult r = run_in_child([tsync](int report) {
      std::atomic<bool> go{false};
      bool denied_in_thread = false;
      std::thread other([&] {
        while (!go.load()) std::this_thread::yield();
        denied_in_thread = getppid_denied();
      });
      LoadOptions o;
      o.tsync = tsync;
      load_filter(deny_getppid(), o);
      go = true;
      other.join();
      if (!getppid_denied()) return fail(report, "not in force on the loading thread");
      if (denied_in_thread != tsync)
        return fail(report, tsync ? "TSYNC did not reach the other thread" : "the filter leaked to another thread");
      return 0;
    });
    EXPECT_TRUE(r.ok()) << explain(r);
  }
}

TEST(LoadFilter, TsyncWithListenerAddsTsyncEsrch) {
  if (!flag_supported(FilterFlag::TsyncEsrch)) GTEST_SKIP() << "no TSYNC_ESRCH on this kernel";
  ChildResult r = run_in_child([](int report) {
    LoadOptions o;
    o.tsync = true;
    o.new_listener = true;
    LoadResult res = load_filter(deny_getppid(), o);
    if ((res.flags & flag_bit(FilterFlag::TsyncEsrch)) == 0) return fail(report, "TSYNC_ESRCH was not added");
    if (!res.listener.valid()) return fail(report, "no listener fd");
    return 0;
  });
  EXPECT_TRUE(r.ok()) << explain(r);
}

TEST(LoadFilter, WaitKillableRecvWithoutListenerIsInputError) {
  ChildResult r = run_in_child([](int report) {
    const bool nnp_before = no_new_privs();
    LoadOptions o;
    o.wait_killable_recv = true;
    try {
      load_filter(deny_getppid(), o);
      return fail(report, "accepted");
    } catch (const InputError& e) {
      if (std::string(e.what()).find("new_listener") == std::string::npos)
        return fail(report, std::string("message does not name new_listener: ") + e.what());
    }
    if (no_new_privs() != nnp_before || current_mode() != SeccompMode::Disabled)
      return fail(report, "state changed before the options were checked");
    return 0;
  });
  EXPECT_TRUE(r.ok()) << explain(r);
}

TEST(LoadFilter, InvalidProgramIsRefusedWithEinval) {
  using namespace bpf::op;
  // A byte load: classic BPF has it, seccomp's checker does not allow it.
  const bpf::Program bad{bpf::stmt(LD | B | ABS, 0), bpf::stmt(RET | K, 0x7fff0000u)};
  ChildResult r = run_in_child([&](int report) {
    try {
      load_filter(bad);
      return fail(report, "accepted");
    } catch (const SystemError& e) {
      const std::string what = e.what();
      if (e.error_number() != EINVAL) return fail(report, "wrong errno: " + what);
      if (what.find("EINVAL") == std::string::npos || what.find("seccage disasm") == std::string::npos)
        return fail(report, "message does not name EINVAL or suggest `seccage disasm`: " + what);
    }
    if (current_mode() != SeccompMode::Disabled) return fail(report, "something was installed");
    return 0;
  });
  EXPECT_TRUE(r.ok()) << explain(r);
}

TEST(LoadFilter, EmptyOrOversizedProgramIsInputError) {
  ChildResult r = run_in_child([](int report) {
    const bool nnp_before = no_new_privs();
    const bpf::Program empty;
    const bpf::Program too_long(bpf::kMaxInsns + 1, bpf::stmt(bpf::op::RET | bpf::op::K, 0x7fff0000u));
    for (const bpf::Program* p : {&empty, &too_long}) {
      try {
        load_filter(*p);
        return fail(report, fmt::format("a program of {} instructions was accepted", p->size()));
      } catch (const InputError&) {
      }
    }
    if (no_new_privs() != nnp_before) return fail(report, "NO_NEW_PRIVS set before the size check");
    return 0;
  });
  EXPECT_TRUE(r.ok()) << explain(r);
}

TEST(LoadFilter, LogFlagIsAccepted) {
  if (!flag_supported(FilterFlag::Log)) GTEST_SKIP() << "no SECCOMP_FILTER_FLAG_LOG on this kernel";
  ChildResult r = run_in_child([](int report) {
    LoadOptions o;
    o.log = true;
    LoadResult res = load_filter(deny_getppid(), o);
    if (res.flags != flag_bit(FilterFlag::Log)) return fail(report, fmt::format("flags {:#x}", res.flags));
    if (!getppid_denied()) return fail(report, "filter not in force");
    return 0;
  });
  EXPECT_TRUE(r.ok()) << explain(r);
}

TEST(LoadFilter, StackedFiltersBothApply) {
  ChildResult r = run_in_child([](int report) {
    load_filter(deny_getppid());
    load_filter(ret_for_syscall(SYS_getuid, kRetErrno | EROFS));
    if (!getppid_denied()) return fail(report, "the first filter was lost");
    errno = 0;
    if (syscall(SYS_getuid) != -1 || errno != EROFS) return fail(report, "the second filter is not in force");
    return 0;
  });
  EXPECT_TRUE(r.ok()) << explain(r);
}

}  // namespace
}  // namespace seccage::kernel
