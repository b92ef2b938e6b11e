// read_process_filters against the real kernel: a forked child installs
// filters with plain seccomp(2) (never the test process) and waits; the
// test reads them back.
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
#include "support/filtered_child.hpp"
#include "support/kernel_programs.hpp"

namespace seccage::kernel {
namespace {

constexpr std::uint32_t kRetErrno = 0x00050000u;

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
  test::FilteredChild child({first, second}, SECCOMP_FILTER_FLAG_LOG);
  ASSERT_TRUE(child.ready());
  const std::vector<LiveFilter> filters = read_process_filters(std::stoi(child.pid()));
  ASSERT_EQ(filters.size(), 2u);
  EXPECT_EQ(bpf::to_raw(filters[0].program), bpf::to_raw(second));  // newest first
  EXPECT_TRUE(filters[0].log);
  EXPECT_EQ(bpf::to_raw(filters[1].program), bpf::to_raw(first));
  EXPECT_FALSE(filters[1].log);
  // The process was let go: no longer in a ptrace stop ('t').
  const char state = process_state(std::stoi(child.pid()));
  EXPECT_TRUE(state == 'S' || state == 'R') << state;
}

TEST(LiveFilters, AProcessWithoutFiltersHasNone) {
  if (!has_cap_sys_admin()) GTEST_SKIP() << "reading filters needs CAP_SYS_ADMIN";
  test::FilteredChild child({});
  ASSERT_TRUE(child.ready());
  EXPECT_TRUE(read_process_filters(std::stoi(child.pid())).empty());
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
