#include <gtest/gtest.h>

#include "seccage/formats.hpp"

namespace seccage {
namespace {

TEST(FormatDetect, TellsEachFormatFromItsFirstStatement) {
  EXPECT_EQ(detect_policy_format("  {\"defaultAction\": \"SCMP_ACT_ALLOW\"}"), PolicyFormat::OciJson);
  EXPECT_EQ(detect_policy_format("2\nallowlist\n[all]\nread\n"), PolicyFormat::Lxc);
  EXPECT_EQ(detect_policy_format("1\nallowlist\n0\n1\n"), PolicyFormat::Lxc);
  EXPECT_EQ(detect_policy_format("apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\n"),
            PolicyFormat::SpoYaml);
  EXPECT_EQ(detect_policy_format("# a comment\n---\nkind: SeccompProfile\n"), PolicyFormat::SpoYaml);
  EXPECT_EQ(detect_policy_format("metadata:\n  name: x\nkind: SeccompProfile\n"), PolicyFormat::SpoYaml);
  EXPECT_EQ(detect_policy_format("# minijail\n\nread: 1\nwrite: arg0 == 1\n"), PolicyFormat::Minijail);
  EXPECT_EQ(detect_policy_format("@include ./common.policy\n"), PolicyFormat::Minijail);
  EXPECT_EQ(detect_policy_format("{read, write}: 1\n"), PolicyFormat::Minijail);
  EXPECT_EQ(detect_policy_format("openat : arg2 in ~O_WRONLY\n"), PolicyFormat::Minijail);
  EXPECT_EQ(detect_policy_format("default errno(EPERM)\nallow read\nallow socket: arg0 == AF_INET\n"),
            PolicyFormat::Text);
  EXPECT_EQ(detect_policy_format("allow write: arg0 == 1\n"), PolicyFormat::Text);
  EXPECT_EQ(detect_policy_format(""), PolicyFormat::Text);
  EXPECT_EQ(detect_policy_format("# only a comment\n"), PolicyFormat::Text);
  // "12" is not a version lxc knows: not LXC (the text reader then says what is wrong).
  EXPECT_EQ(detect_policy_format("12\nallowlist\n"), PolicyFormat::Text);
  EXPECT_EQ(policy_format_name(PolicyFormat::Minijail), "minijail");
}

}  // namespace
}  // namespace seccage
