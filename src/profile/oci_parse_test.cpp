// The OCI front end's two steps apart: what parsing keeps in the model, and
// what resolving does with it. The reader's whole behaviour is tested in
// oci_reader_test.cpp.
#include <gtest/gtest.h>

#include "profile/oci_parse.hpp"
#include "profile/oci_resolve.hpp"
#include "seccage/error.hpp"

namespace seccage::profile_detail {
namespace {

ParsedOci parse(std::string_view text) { return parse_oci_text(text, OciMessages(text, "p.json")); }

constexpr std::string_view kProfile = R"({
  "defaultAction": "SCMP_ACT_ERRNO",
  "defaultErrnoRet": 38,
  "archMap": [{"architecture": "SCMP_ARCH_NATIVE", "subArchitectures": ["SCMP_ARCH_X86"]}],
  "syscalls": [
    {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
    {"name": "ptrace", "action": "SCMP_ACT_KILL", "includes": {"caps": ["CAP_SYS_PTRACE"], "minKernel": "4.8"}},
    {"names": ["mmap"], "action": "SCMP_ACT_TRACE",
     "args": [{"index": 2, "value": 4, "valueTwo": 4, "op": "SCMP_CMP_MASKED_EQ"}]}
  ]
})";

TEST(OciParse, KeepsMeaningsAndPlaces) {
  const ParsedOci p = parse(kProfile);
  const oci::Profile& m = p.profile;
  EXPECT_EQ(m.default_action, Action::errno_(38));
  ASSERT_EQ(m.arch_map.size(), 1u);
  EXPECT_FALSE(m.arch_map[0].architecture.arch);  // SCMP_ARCH_NATIVE: the host, decided later
  ASSERT_EQ(m.arch_map[0].sub_architectures.size(), 1u);
  EXPECT_EQ(m.arch_map[0].sub_architectures[0].arch, Arch::i386);
  ASSERT_EQ(m.syscalls.size(), 3u);
  EXPECT_EQ(m.syscalls[0].names[1].name, "write");
  EXPECT_EQ(m.syscalls[0].names[1].at, "/syscalls/0/names/1");
  EXPECT_EQ(m.syscalls[1].names[0].at, "/syscalls/1/name");
  EXPECT_EQ(m.syscalls[1].action, Action::kill_thread());
  ASSERT_TRUE(m.syscalls[1].includes);
  EXPECT_EQ(m.syscalls[1].includes->caps, std::vector<std::string>{"CAP_SYS_PTRACE"});
  EXPECT_FALSE(m.syscalls[1].includes->arches);
  EXPECT_EQ(m.syscalls[1].includes->min_kernel, (KernelVersion{4, 8, 0}));
  EXPECT_EQ(m.syscalls[2].action, Action::trace(1));  // EPERM when no errnoRet, as runc
  ASSERT_EQ(m.syscalls[2].args.size(), 1u);
  EXPECT_EQ(m.syscalls[2].args[0].op, CmpOp::MaskedEq);
  EXPECT_EQ(m.syscalls[2].args[0].value_two, 4u);
  EXPECT_EQ(m.syscalls[2].args[0].at, "/syscalls/2/args/0");
  EXPECT_TRUE(p.warnings.empty());
}

TEST(OciParse, ConfigJsonPointsInsideLinuxSeccomp) {
  const ParsedOci p = parse(R"({"ociVersion": "1.0.2", "linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
      "syscalls": [{"names": ["kexec_load"], "action": "SCMP_ACT_ERRNO"}]}}})");
  EXPECT_TRUE(p.profile.from_config_json);
  EXPECT_EQ(p.profile.at, "/linux/seccomp");
  EXPECT_EQ(p.profile.syscalls[0].at, "/linux/seccomp/syscalls/0");
  EXPECT_EQ(oci::entry_at(p.profile, "/linux/seccomp/syscalls/0/names/0"), &p.profile.syscalls[0]);
  EXPECT_EQ(oci::entry_at(p.profile, "/linux/seccomp/syscalls/01"), nullptr);
}

TEST(OciParse, ErrorsNameTheLocationWithoutAHost) {
  try {
    parse(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALOW"}]})");
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_TRUE(what.starts_with("p.json:1:")) << what;
    EXPECT_NE(what.find(": /syscalls/0/action: unknown action \"SCMP_ACT_ALOW\" (did you mean"), std::string::npos)
        << what;
  }
}

TEST(OciResolve, OneModelResolvesPerHost) {
  const ParsedOci p = parse(kProfile);
  const OciMessages messages(kProfile, "p.json");
  OciResolveOptions o;
  o.kernel = KernelVersion{5, 10, 0};
  o.host_arch = Arch::x86_64;
  OciProfile x86 = resolve_oci(p, messages, o);
  EXPECT_EQ(x86.policy.arches, (std::vector<Arch>{Arch::x86_64, Arch::i386}));
  // Docker's default capabilities lack CAP_SYS_PTRACE: the ptrace entry is skipped.
  ASSERT_EQ(x86.skipped.size(), 1u);
  EXPECT_EQ(x86.skipped[0].origin.to_string(), "p.json:/syscalls/1");
  o.host_arch = Arch::aarch64;
  o.capabilities.insert("CAP_SYS_PTRACE");
  OciProfile arm = resolve_oci(p, messages, o);
  EXPECT_EQ(arm.policy.arches, (std::vector<Arch>{Arch::aarch64, Arch::i386}));
  EXPECT_TRUE(arm.skipped.empty());
}

}  // namespace
}  // namespace seccage::profile_detail
