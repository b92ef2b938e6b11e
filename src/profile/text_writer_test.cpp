// The canonical text form: golden output, idempotence, and round trips that
// keep every decision.
#include <gtest/gtest.h>

#include "profile/text_test_util.hpp"
#include "seccage/policy_text.hpp"
#include "seccage/profile.hpp"

namespace seccage {
namespace {

using text_test::same_decisions;

TextPolicy parse(std::string_view text) {
  TextPolicyOptions o;
  o.host_arch = Arch::x86_64;
  return read_text_policy_text(text, "t.policy", o);
}

TEST(TextWriter, CanonicalFormIsSortedAndGrouped) {
  TextPolicy p = parse(R"(default errno(EPERM)
arch x86_64
allow write, read
kill ptrace
errno(ENOSYS) clone3
allow socket: arg0 == AF_INET6 || arg0 == AF_INET
allow openat: arg0 == AT_FDCWD && arg2 & O_WRONLY|O_RDWR == 0
log 500
)");
  EXPECT_EQ(write_text_policy(p.policy, {"from t.policy"}),
            "# from t.policy\n"
            "default errno(EPERM)\n"
            "arch x86_64\n"
            "\n"
            "allow read, write\n"
            "\n"
            "log 500\n"
            "\n"
            "errno(ENOSYS) clone3\n"
            "\n"
            "kill ptrace\n"
            "\n"
            "allow openat: arg0 == -100 && arg2 & 0x3 == 0\n"
            "allow socket: arg0 == 10 || arg0 == 2\n");
}

TEST(TextWriter, LongListsWrapAndStayReadable) {
  TextPolicy p = parse("default kill\narch x86_64\nallow @system-service\n");
  const std::string text = write_text_policy(p.policy);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    EXPECT_LE(end - start, 100u) << text.substr(start, end - start);
    start = end + 1;
  }
}

// text -> Policy -> text -> Policy decides the same, and formatting is a fixed point.
void expect_round_trip(std::string_view source) {
  TextPolicy first = parse(source);
  const std::string text = write_text_policy(first.policy);
  TextPolicy second = parse(text);
  EXPECT_TRUE(same_decisions(first.policy, second.policy)) << text;
  EXPECT_EQ(write_text_policy(second.policy), text);
}

TEST(TextWriter, RoundTripKeepsDecisions) {
  expect_round_trip("default allow\narch x86_64\nkill write: arg0 != 1\n");
  expect_round_trip(
      "default errno(EPERM)\narch x86_64, aarch64\nallow @system-service\ndeny @privileged, @mount\n"
      "allow socket: arg0 == AF_INET || arg0 == AF_INET6\nkill write: arg0 > 2\nerrno(EBADF) write: arg0 == 5\n"
      "allow mmap: arg2 & PROT_EXEC == 0\nerrno(ENOSYS) clone3\ntrap(3) kill\nnotify openat: arg1 & 0x3 != 0\n");
  expect_round_trip("default kill-thread\narch i386\nallow socket: arg0 == AF_UNIX\nallow read: arg0 >= 5 && arg0 <= 10\n");
}

TEST(TextWriter, OciToTextToOciKeepsDecisions) {
  // Includes the libseccomp rule that an unconditional rule overrides
  // conditional ones on the same syscall, and a rule equal to the default.
  const char* json = R"({
    "defaultAction": "SCMP_ACT_ERRNO",
    "architectures": ["SCMP_ARCH_X86_64"],
    "syscalls": [
      {"names": ["read", "close"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["write"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
      {"names": ["write"], "action": "SCMP_ACT_LOG"},
      {"names": ["getpid"], "action": "SCMP_ACT_ERRNO"},
      {"names": ["mmap"], "action": "SCMP_ACT_ALLOW",
       "args": [{"index": 2, "value": 4, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}, {"index": 3, "value": 10, "op": "SCMP_CMP_LT"}]}
    ]})";
  OciResolveOptions o;
  o.host_arch = Arch::x86_64;
  Policy oci = read_oci_profile_text(json, "t.json", o).policy;
  const std::string text = write_text_policy(oci);
  EXPECT_NE(text.find("log write\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("allow write"), std::string::npos) << text;
  EXPECT_TRUE(same_decisions(oci, parse(text).policy)) << text;
}

TEST(TextWriter, OverlappingRulesWithDifferentActionsGetANote) {
  Policy p;
  p.default_action = Action::allow();
  p.arches = {Arch::x86_64};
  p.rules.push_back(Rule{std::string("write"), Action::kill_process(), {arg(0) > 2}, ""});
  p.rules.push_back(Rule{std::string("write"), Action::errno_(1), {arg(0) == 5}, ""});
  const std::string text = write_text_policy(p);
  EXPECT_NE(text.find("# note: rules on write with different actions overlap"), std::string::npos) << text;
}

}  // namespace
}  // namespace seccage
