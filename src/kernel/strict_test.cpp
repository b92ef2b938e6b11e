// SECCOMP_MODE_STRICT in forked children. Strict mode allows read, write,
// exit and sigreturn only, so after enter_strict_mode() the children end with
// the raw exit syscall: glibc's _exit (and the test helper's cleanup) would
// call exit_group or close and be killed.
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <string>

#include <gtest/gtest.h>

#include "seccage/error.hpp"
#include "seccage/kernel.hpp"
#include "support/child.hpp"
#include "support/kernel_programs.hpp"

namespace seccage::kernel {
namespace {

[[noreturn]] void exit_thread(int code) {
  syscall(SYS_exit, code);
  __builtin_unreachable();
}

TEST(KernelStrict, AllowsReadWriteAndExit) {
  int in[2];
  ASSERT_EQ(pipe(in), 0);
  ASSERT_EQ(write(in[1], "R", 1), 1);  // waits in the pipe for the child to read
  test::ChildResult r = test::run_in_child([&](int report) -> int {
    enter_strict_mode();
    char c = 0;
    if (read(in[0], &c, 1) != 1) exit_thread(2);
    const char out[2] = {'W', c};
    if (write(report, out, 2) != 2) exit_thread(3);
    exit_thread(42);
  });
  close(in[0]);
  close(in[1]);
  EXPECT_TRUE(r.exited && r.exit_code == 42) << r.describe();
  EXPECT_EQ(r.output, "WR");
}

TEST(KernelStrict, KillsOnGetpidWithSigkill) {
  test::ChildResult r = test::run_in_child([](int report) -> int {
    enter_strict_mode();
    if (write(report, "in", 2) != 2) exit_thread(3);
    syscall(SYS_getpid);
    if (write(report, "after", 5) != 5) exit_thread(3);
    exit_thread(0);
  });
  EXPECT_TRUE(r.signaled && r.signal == SIGKILL) << r.describe();
  EXPECT_EQ(r.output, "in");
}

TEST(KernelStrict, RefusedOnceAFilterIsInstalled) {
  test::ChildResult r = test::run_in_child([](int report) -> int {
    load_filter(test::ret_for_syscall(SYS_getppid, 0x7fff0000u));
    try {
      enter_strict_mode();
    } catch (const SystemError& e) {
      if (e.error_number() == EINVAL) return 0;
      const std::string why = e.what();
      test::write_all(report, why.data(), why.size());
      return 1;
    }
    exit_thread(2);  // in strict mode: only the raw exit is allowed
  });
  EXPECT_TRUE(r.ok()) << r.describe() << ": " << r.output;
}

}  // namespace
}  // namespace seccage::kernel
