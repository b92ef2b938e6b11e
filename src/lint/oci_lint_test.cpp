// What only a JSON profile shows: names the reader dropped, entries gated by
// includes/excludes, io_uring around a denial.
#include <gtest/gtest.h>

#include <algorithm>

#include "lint/checks/check_test_util.hpp"
#include "seccage/error.hpp"

namespace seccage {
namespace {

using namespace lint_testing;

TEST(LintUnknownSyscall, TypoIsAnErrorWithSuggestionAndPlace) {
  const LintReport r = lint_json(profile(R"({"names": ["read", "opnat"], "action": "SCMP_ACT_ALLOW"})"));
  const auto f = with_code(r, "unknown-syscall");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Error);
  EXPECT_NE(f[0].message.find("did you mean 'openat'?"), std::string::npos);
  EXPECT_EQ(f[0].location.pointer, "/syscalls/0/names/1");
  EXPECT_EQ(f[0].location.line, 1u);
  EXPECT_EQ(r.count(Severity::Error), 1u);
}

TEST(LintUnknownSyscall, OtherArchesNamesAreNotErrors) {
  const LintReport r = lint_json(profile(R"({"names": ["read", "chown32"], "action": "SCMP_ACT_ALLOW"})"));
  EXPECT_TRUE(with_code(r, "unknown-syscall").empty()) << dump(r);
  ASSERT_EQ(with_code(r, "name-not-on-arches").size(), 1u) << dump(r);
}

TEST(LintIoUring, AllowedRingAroundADenialNamesTheRoute) {
  // Allow by default, openat denied for writing: io_uring opens files anyway.
  LintReport r = lint_json(profile(R"({"names": ["openat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 30,
      "args": [{"index": 2, "value": 1, "valueTwo": 1, "op": "SCMP_CMP_MASKED_EQ"}]})", R"("SCMP_ACT_ALLOW")"));
  auto f = with_code(r, "io-uring-bypass");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_NE(f[0].message.find("openat (IORING_OP_OPENAT)"), std::string::npos) << f[0].message;
  // The same profile with io_uring denied: nothing to say.
  r = lint_json(profile(R"({"names": ["openat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 30},
      {"names": ["io_uring_setup"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38})", R"("SCMP_ACT_ALLOW")"));
  EXPECT_TRUE(with_code(r, "io-uring-bypass").empty()) << dump(r);
  // An allowlist that allows io_uring_setup but not socket: the ring makes sockets.
  r = lint_json(profile(R"({"names": ["read", "write", "io_uring_setup", "io_uring_enter"], "action": "SCMP_ACT_ALLOW"})"));
  f = with_code(r, "io-uring-bypass");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_NE(f[0].message.find("IORING_OP_"), std::string::npos);
  EXPECT_EQ(f[0].location.pointer, "/syscalls/0/names/2");
}

TEST(LintDangerous, GatedEntriesSayWhatGatesThem) {
  const std::string json = profile(
      R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"},
         {"names": ["mount", "sethostname"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}})");
  LintReport r = lint_json(json);
  auto f = with_code(r, "gated-dangerous");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_NE(f[0].message.find("CAP_SYS_ADMIN"), std::string::npos);
  EXPECT_NE(f[0].message.find("mount"), std::string::npos);
  EXPECT_EQ(f[0].message.find("sethostname"), std::string::npos) << "only the dangerous names";
  EXPECT_TRUE(with_code(r, "dangerous-syscall").empty());
  // With the capability, the entry applies, and mount is simply allowed.
  r = lint_json(json, Arch::x86_64, "docker-default,sys_admin");
  EXPECT_TRUE(with_code(r, "gated-dangerous").empty());
  f = with_code(r, "dangerous-syscall");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_NE(f[0].message.find("includes.caps CAP_SYS_ADMIN"), std::string::npos) << f[0].message;
}

}  // namespace
}  // namespace seccage
