// Writers: base64, the OCI model (grouping, refusals), SPO names, and the
// round trip OCI -> Policy -> OCI -> Policy checked by compiling both ends
// and comparing the programs in the emulator.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "policy/evaluator.hpp"
#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
#include "seccage/profile.hpp"
#include "seccage/writers.hpp"
#include "support/equivalence.hpp"
#include "support/probe_args.hpp"

namespace seccage {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(WriterBase64, Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\xff\x00\x80", 3)), "/wCA");
}

TEST(WriterBase64, ProgramIsOneLineOfItsRawBytes) {
  const bpf::Program p{bpf::stmt(bpf::op::RET | bpf::op::K, 0x7fff0000u)};
  EXPECT_EQ(write_base64_program(p), base64_encode(write_raw_program(p)) + "\n");
  EXPECT_EQ(write_raw_program(p).size(), 8u);
}

TEST(WriterC, HeaderHasTheArrayAndSafeComment) {
  const bpf::Program p{bpf::stmt(bpf::op::RET | bpf::op::K, 0x7fff0000u)};
  const std::string c = write_c_header(p, "evil */ name");
  EXPECT_NE(c.find("{ 0x06, 0, 0, 0x7fff0000 },"), std::string::npos);
  EXPECT_EQ(c.find("evil */"), std::string::npos) << "a source name must not close the comment";
}

Policy simple(std::vector<Rule> rules, Action def = Action::errno_(1)) {
  Policy p;
  p.default_action = def;
  p.arches = {Arch::x86_64};
  p.rules = std::move(rules);
  p.bad_arch_action = Action::kill_thread();  // what OCI runtimes use, so no warning
  return p;
}

nlohmann::json oci(const Policy& p) { return nlohmann::json::parse(write_oci_json(p)); }

TEST(WriterOci, GroupsEqualRulesWithSortedNamesButKeepsOrderPerSyscall) {
  const Policy p = simple({
      {std::string("personality"), Action::allow(), {arg(0) == 0}, ""},
      {std::string("read"), Action::allow(), {}, ""},
      {std::string("personality"), Action::errno_(13), {arg(0) <= 5}, ""},
      {std::string("write"), Action::allow(), {}, ""},
      // Equal to the first rule, but after a rule on the same syscall: may
      // not move up into the first entry.
      {std::string("personality"), Action::allow(), {arg(0) == 0}, ""},
      {std::string("close"), Action::allow(), {}, ""},
  });
  const nlohmann::json j = oci(p);
  ASSERT_EQ(j["syscalls"].size(), 4u) << j.dump(2);
  EXPECT_EQ(j["syscalls"][0]["names"], nlohmann::json({"personality"}));
  EXPECT_EQ(j["syscalls"][1]["names"], nlohmann::json({"close", "read", "write"}));
  EXPECT_EQ(j["syscalls"][2]["errnoRet"], 13);
  EXPECT_EQ(j["syscalls"][3]["names"], nlohmann::json({"personality"}));
  EXPECT_EQ(j["defaultAction"], "SCMP_ACT_ERRNO");
  EXPECT_EQ(j["defaultErrnoRet"], 1);
  EXPECT_EQ(j["architectures"], nlohmann::json({"SCMP_ARCH_X86_64"}));
  EXPECT_FALSE(j.contains("archMap"));
}

TEST(WriterOci, MaskedEqIsWrittenAsMaskThenValue) {
  const nlohmann::json j = oci(simple({{std::string("mmap"), Action::allow(), {(arg(2) & 4) == 0}, ""}}));
  const nlohmann::json& a = j["syscalls"][0]["args"][0];
  EXPECT_EQ(a["op"], "SCMP_CMP_MASKED_EQ");
  EXPECT_EQ(a["value"], 4);
  EXPECT_EQ(a["valueTwo"], 0);
}

TEST(WriterOci, DropsRulesEqualToTheDefault) {
  const nlohmann::json j =
      oci(simple({{std::string("read"), Action::errno_(1), {}, ""}, {std::string("write"), Action::allow(), {}, ""}}));
  ASSERT_EQ(j["syscalls"].size(), 1u);
  EXPECT_EQ(j["syscalls"][0]["names"], nlohmann::json({"write"}));
}

TEST(WriterOci, RefusesWhatOciCannotSay) {
  EXPECT_THROW(write_oci_json(simple({{std::string("read"), Action::trap(3), {}, ""}})), InputError);
  Policy two = simple({{std::uint32_t{0}, Action::allow(), {}, ""}});
  two.arches = {Arch::x86_64, Arch::i386};
  EXPECT_THROW(write_oci_json(two), InputError);
  // Two conditions on one argument: runc would OR them; validate() refuses.
  EXPECT_THROW(write_oci_json(simple({{std::string("read"), Action::allow(), {arg(0) >= 1, arg(0) <= 5}, ""}})),
               InputError);
  // A number on a single arch has one name.
  const nlohmann::json j = oci(simple({{std::uint32_t{0}, Action::allow(), {}, ""}}));
  EXPECT_EQ(j["syscalls"][0]["names"], nlohmann::json({"read"}));
}

TEST(WriterOci, TraceKeepsItsDataAndBadArchIsWarned) {
  Policy p = simple({{std::string("ioctl"), Action::trace(7), {}, ""}});
  p.bad_arch_action = Action::kill_process();
  std::vector<std::string> warnings;
  const nlohmann::json j = nlohmann::json::parse(write_oci_json(p, {}, &warnings));
  EXPECT_EQ(j["syscalls"][0]["action"], "SCMP_ACT_TRACE");
  EXPECT_EQ(j["syscalls"][0]["errnoRet"], 7);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("KILL_THREAD"), std::string::npos);
}

TEST(WriterSpo, ChecksTheNameAndMirrorsOci) {
  const Policy p = simple({{std::string("read"), Action::allow(), {}, ""}});
  SpoWriteOptions o;
  o.name = "Not_Valid";
  EXPECT_THROW(write_spo_yaml(p, o), InputError);
  o.name = "my-app";
  o.namespace_ = "prod";
  const std::string y = write_spo_yaml(p, o);
  EXPECT_NE(y.find("  name: my-app\n  namespace: prod\n"), std::string::npos) << "only when asked";
  o.namespace_.clear();
  const std::string v1 = write_spo_yaml(p, o);
  EXPECT_EQ(v1.rfind("apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\nmetadata:\n  name: my-app\nspec:\n", 0), 0u)
      << v1;
  o.api_version = "security-profiles-operator.x-k8s.io/v1beta1";
  EXPECT_NE(write_spo_yaml(p, o).find("/v1beta1\n"), std::string::npos);
  EXPECT_NE(y.find("  defaultAction: SCMP_ACT_ERRNO\n"), std::string::npos);
  EXPECT_EQ(y.find("defaultErrnoRet"), std::string::npos) << "EPERM is the runtimes' default";
  std::vector<std::string> warnings;
  (void)write_spo_yaml(simple({}, Action::errno_(38)), {}, &warnings);
  EXPECT_EQ(warnings.size(), 1u);
}

// ---- round trip ---------------------------------------------------------------

// Both programs must return the same for every number of every arch of `p`
// (and a little past each table), for every probe vector, and for a foreign
// arch.
void expect_same_programs(const Policy& p, const Policy& q, const bpf::Program& a, const bpf::Program& b,
                          const std::string& what) {
  auto args = test::probe_args(p);
  for (const auto& v : test::probe_args(q)) args.push_back(v);
  // Numbers neither policy decides by argument need only a few vectors.
  const std::vector<std::array<std::uint64_t, 6>> few(args.begin(), args.begin() + 8);
  const Evaluator ep(p), eq(q);
  EXPECT_TRUE(test::same_decisions(a, b, p.effective_arches(),
                                   [&](Arch arch, std::uint32_t nr) -> const std::vector<test::ArgVector>& {
                                     const bool by_args = ep.decisions(arch).at(nr).depends_on_args() ||
                                                          eq.decisions(arch).at(nr).depends_on_args();
                                     return by_args ? args : few;
                                   }))
      << what;
}

class WriterRoundTrip : public ::testing::TestWithParam<std::tuple<std::string, Arch>> {};

TEST_P(WriterRoundTrip, OciPolicyOciPolicyDecidesTheSame) {
  const auto& [file, host] = GetParam();
  const std::filesystem::path path = std::filesystem::path(SECCAGE_TEST_DATA_DIR) / "profiles" / file;
  OciResolveOptions ro;
  ro.host_arch = host;
  ro.kernel = parse_kernel_version("6.1");
  const OciProfile first = read_oci_profile(path, ro);
  const std::string json1 = write_oci_json(first.policy);
  const OciProfile second = read_oci_profile_text(json1, "written.json", ro);
  // Written again: regrouping may merge further (an entry that blocked a
  // merge may itself have moved), so compare meaning, not text.
  const OciProfile third = read_oci_profile_text(write_oci_json(second.policy), "rewritten.json", ro);
  EXPECT_EQ(second.policy.effective_arches(), first.policy.effective_arches());
  expect_same_programs(first.policy, second.policy, compile(first.policy), compile(second.policy), file);
  expect_same_programs(first.policy, third.policy, compile(first.policy), compile(third.policy), file + " (twice)");
}

INSTANTIATE_TEST_SUITE_P(WriterShared, WriterRoundTrip,
                         ::testing::Combine(::testing::Values("docker-default.json", "podman-default.json",
                                                              "docker-fixture-conditional-include.json",
                                                              "runc-syscall-test1.json", "runc-syscall-test2.json"),
                                            ::testing::Values(Arch::x86_64, Arch::aarch64)),
                         [](const auto& tp) {
                           std::string n = std::get<0>(tp.param) + "_" + std::string(arch_name(std::get<1>(tp.param)));
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST(WriterDot, DrawsEveryArchAndTheConditionalTests) {
  const std::string json = slurp(std::filesystem::path(SECCAGE_SOURCE_DIR) / "tests/golden/small.json");
  const OciProfile p = read_oci_profile_text(json, "small.json");
  const std::string dot = write_dot(p.policy, "small \"profile\"");
  EXPECT_EQ(dot.rfind("digraph seccage {", 0), 0u);
  EXPECT_NE(dot.find("label=\"x86_64\""), std::string::npos);
  EXPECT_NE(dot.find("label=\"aarch64\""), std::string::npos);
  EXPECT_NE(dot.find("shape=diamond"), std::string::npos);
  EXPECT_NE(dot.find("small \\\"profile\\\""), std::string::npos) << "quotes in the title are escaped";
  EXPECT_EQ(std::count(dot.begin(), dot.end(), '{'), std::count(dot.begin(), dot.end(), '}'));
}

}  // namespace
}  // namespace seccage

namespace seccage {
namespace {

TEST(WriterSpo, RefusesValuesTheCrdsInt64CannotHold) {
  Policy p = simple({{std::string("lseek"), Action::allow(), {arg(1) == 0x7fffffffffffffffull}, ""}});
  EXPECT_NO_THROW(write_spo_yaml(p));
  p.rules[0].conditions[0].value = 0x8000000000000000ull;
  try {
    (void)write_spo_yaml(p);
    ADD_FAILURE() << "2^63 must be refused";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("int64"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("lseek"), std::string::npos) << e.what();
  }
  p.rules[0].conditions[0] = (arg(1) & 0xffffffff00000000ull) == 0;  // the mask is written as value
  EXPECT_THROW(write_spo_yaml(p), InputError);
  EXPECT_NO_THROW(write_oci_json(p)) << "OCI JSON holds the full uint64";
}

TEST(WriterSpo, WritesTheListener) {
  Policy p = simple({{std::string("mkdir"), Action::user_notif(), {}, ""}});
  p.runtime.listener_path = "/tmp/agent.sock";
  p.runtime.listener_metadata = "x\"y";
  std::vector<std::string> warnings;
  const std::string y = write_spo_yaml(p, {}, &warnings);
  EXPECT_NE(y.find("  listenerPath: \"/tmp/agent.sock\"\n  listenerMetadata: \"x\\\"y\"\n"), std::string::npos) << y;
  ASSERT_EQ(warnings.size(), 1u) << "the v1 CRD's pattern";
  EXPECT_NE(warnings[0].find("/var/run/security-profiles-operator/"), std::string::npos);
}

}  // namespace
}  // namespace seccage
