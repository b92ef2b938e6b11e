// read_process_filters against the real kernel: a forked child installs
// filters (never the test process) and waits; the test reads them back.
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "seccage/error.hpp"
#include "seccage/kernel.hpp"
#include "support/kernel_programs.hpp"

namespace seccage::kernel {
namespace {

constexpr std::uint32_t kRetErrno = 0x00050000u;

// A child that installs `first` then `second` (with SECCOMP_FILTER_FLAG_LOG),
// says so on a pipe and waits to be killed.
class WaitingChild {
 public:
  WaitingChild(const bpf::Program* first, const bpf::Program* second) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(fds[0]);
      try {
        if (first) load_filter(*first);
        LoadOptions logged;
        logged.log = true;
        if (second) load_filter(*second, logged);
      } catch (...) {
        ::_exit(1);
      }
      (void)!::write(fds[1], "r", 1);
      for (;;) ::pause();
    }
    ::close(fds[1]);
    char c = 0;
    ready_ = ::read(fds[0], &c, 1) == 1;
    ::close(fds[0]);
  }
  ~WaitingChild() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  int pid() const { return pid_; }
  bool ready() const { return ready_; }

 private:
  int pid_ = -1;
  bool ready_ = false;
};

// The state letter of /proc/PID/stat, once it is not 't' (a ptrace stop) or
// after a second.
char process_state(int pid) {
  char state = '?';
  for (int i = 0; i < 100; ++i) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    if (close != std::string::npos && close + 2 < text.size()) state = text[close + 2];
    if (state != 't') break;
    ::usleep(10000);
  }
  return state;
}

TEST(LiveFilters, ReadsEveryFilterNewestFirstWithItsLogFlag) {
  if (!has_cap_sys_admin()) GTEST_SKIP() << "reading filters needs CAP_SYS_ADMIN";
  const bpf::Program first = test::ret_for_syscall(SYS_getppid, kRetErrno | EXDEV);
  const bpf::Program second = test::ret_for_syscall(SYS_getpid, kRetErrno | EPERM);
  WaitingChild child(&first, &second);
  ASSERT_TRUE(child.ready());
  const std::vector<LiveFilter> filters = read_process_filters(child.pid());
  ASSERT_EQ(filters.size(), 2u);
  EXPECT_EQ(bpf::to_raw(filters[0].program), bpf::to_raw(second));  // newest first
  EXPECT_TRUE(filters[0].log);
  EXPECT_EQ(bpf::to_raw(filters[1].program), bpf::to_raw(first));
  EXPECT_FALSE(filters[1].log);
  // The process was let go: no longer in a ptrace stop ('t').
  const char state = process_state(child.pid());
  EXPECT_TRUE(state == 'S' || state == 'R') << state;
}

TEST(LiveFilters, AProcessWithoutFiltersHasNone) {
  if (!has_cap_sys_admin()) GTEST_SKIP() << "reading filters needs CAP_SYS_ADMIN";
  WaitingChild child(nullptr, nullptr);
  ASSERT_TRUE(child.ready());
  EXPECT_TRUE(read_process_filters(child.pid()).empty());
}

TEST(LiveFilters, AMissingProcessIsAnErrorNamingIt) {
  // pid_max is at most 2^22: this pid cannot exist.
  try {
    read_process_filters(1 << 23);
    FAIL() << "no error";
  } catch (const SystemError& e) {
    EXPECT_NE(std::string(e.what()).find("no process 8388608"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace seccage::kernel
