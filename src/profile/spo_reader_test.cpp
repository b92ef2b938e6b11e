#include <gtest/gtest.h>

#include "profile/yaml_json.hpp"
#include "seccage/error.hpp"
#include "seccage/formats.hpp"

namespace seccage {
namespace {

const std::string kHead =
    "apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\nmetadata:\n  name: p\nspec:\n"
    "  defaultAction: SCMP_ACT_ERRNO\n  architectures: [SCMP_ARCH_X86_64]\n";

OciProfile read(const std::string& yaml, std::string profile_name = {}) {
  SpoReadOptions o;
  o.resolve.host_arch = Arch::x86_64;
  o.profile_name = std::move(profile_name);
  return read_spo_profile_text(yaml, "p.yaml", o);
}

std::string error_of(const std::string& yaml) {
  try {
    (void)read(yaml);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(SpoReader, ReadsTheSpecAsAnOciProfile) {
  const OciProfile p = read(kHead + "  syscalls:\n    - names: [read]\n      action: SCMP_ACT_ALLOW\n"
                                    "    - names: [mkdir]\n      action: SCMP_ACT_ERRNO\n      errnoRet: 38\n");
  EXPECT_EQ(p.policy.default_action, Action::errno_(1));
  ASSERT_EQ(p.policy.rules.size(), 2u);
  EXPECT_EQ(p.policy.rules[1].action, Action::errno_(38));
  EXPECT_EQ(p.policy.rules[0].origin.to_string(), "p.yaml:/spec/syscalls/0");
  EXPECT_EQ(p.policy.rules[1].origin, RuleOrigin::in_json("p.yaml", "/spec/syscalls/1"));
}

TEST(SpoReader, FillsWhatOmitemptyLeavesOut) {
  const OciProfile p = read(kHead + "  syscalls:\n    - names: [fcntl]\n      action: SCMP_ACT_ALLOW\n"
                                    "      args:\n        - index: 1\n          op: SCMP_CMP_EQ\n"
                                    "    - names: [mkdir]\n      action: SCMP_ACT_TRACE\n      errnoRet: 0\n");
  ASSERT_EQ(p.policy.rules.size(), 2u);
  EXPECT_EQ(p.policy.rules[0].conditions.at(0).value, 0u);
  EXPECT_EQ(p.policy.rules[1].action, Action::trace(1)) << "errnoRet 0 is unset: the runtimes pass EPERM";
}

TEST(SpoReader, PicksTheProfileAmongDocuments) {
  const std::string two = kHead + "---\n" + kHead + "  syscalls:\n    - names: [read]\n      action: SCMP_ACT_ALLOW\n";
  std::string two_named = two;
  two_named.replace(two_named.rfind("name: p"), 7, "name: q");
  EXPECT_NE(error_of(two).find("holds 2 SeccompProfiles (p, p)"), std::string::npos) << error_of(two);
  EXPECT_EQ(read(two_named, "q").policy.rules.size(), 1u);
  EXPECT_TRUE(read(two_named, "p").policy.rules.empty());
  EXPECT_THROW(read(two_named, "r"), InputError);
  const OciProfile list = read("apiVersion: v1\nkind: List\nitems:\n  - apiVersion: security-profiles-operator.x-k8s.io/v1beta1\n"
                               "    kind: SeccompProfile\n    spec:\n      defaultAction: SCMP_ACT_LOG\n");
  EXPECT_EQ(list.policy.default_action, Action::log());
  EXPECT_NE(error_of("kind: ConfigMap\n").find("no SeccompProfile"), std::string::npos);
}

TEST(SpoReader, ErrorsNameTheDocumentLineAndPath) {
  const std::string doc2 = "kind: ConfigMap\napiVersion: v1\n---\n" + kHead +
                           "  syscalls:\n    - names: [read]\n      action: SCMP_ACT_ALOW\n";
  EXPECT_NE(error_of(doc2).find("p.yaml:13:15 (document 2): /spec/syscalls/0/action: unknown action"), std::string::npos)
      << error_of(doc2);
  EXPECT_NE(error_of(kHead + "  baseProfileName: runc-v1.1.0\n").find("baseProfileName \"runc-v1.1.0\" is not supported"),
            std::string::npos);
  EXPECT_NE(error_of(kHead + "  syscalls:\n    - names: [read]\n      action: SCMP_ACT_ALLOW\n      includes: {}\n")
                .find("p.yaml:11:17: /spec/syscalls/0/includes: SPO YAML: \"includes\" is not a field of a syscall rule"),
            std::string::npos)
      << error_of(kHead + "  syscalls:\n    - names: [read]\n      action: SCMP_ACT_ALLOW\n      includes: {}\n");
  EXPECT_NE(error_of("apiVersion: example.com/v1\nkind: SeccompProfile\nspec: {}\n").find("not the Security Profiles"),
            std::string::npos);
  EXPECT_NE(error_of(kHead + "  flags: [\n").find("p.yaml:"), std::string::npos);
  EXPECT_NE(error_of(kHead + "  syscalls:\n    - names: [read]\n      action: SCMP_ACT_ALLOW\n      args:\n"
                             "        - {index: 0, value: -1, op: SCMP_CMP_EQ}\n")
                .find("negative number -1"),
            std::string::npos);
}

TEST(SpoReader, RefusesScalarsYamlVersionsReadDifferently) {
  EXPECT_NE(error_of(kHead + "  syscalls:\n    - names: [read]\n      action: SCMP_ACT_ERRNO\n      errnoRet: 010\n")
                .find("octal to YAML 1.1"),
            std::string::npos);
  EXPECT_NE(error_of(kHead + "  defaultAction: SCMP_ACT_LOG\n").find("duplicate key"), std::string::npos);
  EXPECT_NE(error_of(kHead + "  syscalls:\n    - names: [read]\n      action: SCMP_ACT_ALLOW\n      args:\n"
                             "        - {index: 0, value: 18446744073709551616, op: SCMP_CMP_EQ}\n")
                .find("does not fit in 64 bits"),
            std::string::npos);
  // A quoted number is a string, as Kubernetes reads it.
  EXPECT_NE(error_of(kHead + "  syscalls:\n    - names: [read]\n      action: SCMP_ACT_ERRNO\n      errnoRet: \"1\"\n")
                .find("expected an unsigned integer"),
            std::string::npos);
}

TEST(YamlJson, MapsPlainScalarsToJsonTypes) {
  const auto docs = profile_detail::parse_yaml_documents("a: 0x10\nb: 0o17\nc: -3\nd: true\ne: ~\nf: 1.5\ng: x\nh: '7'\n", "t");
  ASSERT_EQ(docs.size(), 1u);
  const auto& v = docs[0].value;
  EXPECT_EQ(v["a"], 16);
  EXPECT_EQ(v["b"], 15);
  EXPECT_EQ(v["c"], -3);
  EXPECT_EQ(v["d"], true);
  EXPECT_TRUE(v["e"].is_null());
  EXPECT_TRUE(v["f"].is_number_float());
  EXPECT_EQ(v["g"], "x");
  EXPECT_EQ(v["h"], "7");
  EXPECT_EQ(docs[0].positions.at("/c").line, 3u);
  EXPECT_EQ(docs[0].positions.at("/c").column, 4u);
}

}  // namespace
}  // namespace seccage
