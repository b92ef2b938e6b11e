// Filter::load(): policy -> compile -> install, in forked children.
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include <gtest/gtest.h>

#include "seccage/error.hpp"
#include "seccage/kernel.hpp"
#include "seccage/policy.hpp"
#include "support/child.hpp"

namespace seccage {
namespace {

int fail(int report, const std::string& why) {
  test::write_all(report, why.data(), why.size());
  return 1;
}

TEST(LoadPolicy, FilterLoadInstallsTheCompiledPolicy) {
  test::ChildResult r = test::run_in_child([](int report) {
    Filter f(Action::allow());
    f.add(Action::errno_(EXDEV), "getppid");
    f.add(Action::errno_(EROFS), "dup", {arg(0) == 12345});
    f.load();
    if (!kernel::no_new_privs()) return fail(report, "NO_NEW_PRIVS not set");
    errno = 0;
    if (syscall(SYS_getppid) != -1 || errno != EXDEV) return fail(report, "getppid not denied with EXDEV");
    errno = 0;
    if (syscall(SYS_dup, 12345) != -1 || errno != EROFS) return fail(report, "dup(12345) not denied with EROFS");
    const long fd = syscall(SYS_dup, 0);
    if (fd < 0) return fail(report, "dup(0) denied: the condition was ignored");
    if (syscall(SYS_getpid) <= 0) return fail(report, "getpid denied");
    return 0;
  });
  EXPECT_TRUE(r.ok()) << r.describe() << ": " << r.output;
}

TEST(LoadPolicy, InvalidPolicyChangesNothing) {
  test::ChildResult r = test::run_in_child([](int report) {
    const bool nnp_before = kernel::no_new_privs();
    Filter f(Action::allow());
    f.add(Action::errno_(EPERM), "getppid", {arg(9) == 1});  // there is no arg 9
    try {
      f.load();
      return fail(report, "loaded a rule on arg 9");
    } catch (const InputError&) {
    }
    if (kernel::no_new_privs() != nnp_before || kernel::current_mode() != kernel::SeccompMode::Disabled)
      return fail(report, "state changed although the policy was refused");
    return 0;
  });
  EXPECT_TRUE(r.ok()) << r.describe() << ": " << r.output;
}

}  // namespace
}  // namespace seccage
