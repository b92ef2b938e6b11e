// The round trips issue 4 asks for, across formats: text -> OCI -> text and
// OCI -> text -> OCI must decide as the original, checked by compiling each
// end and comparing the programs in the emulator over every syscall number.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "profile/text_test_util.hpp"
#include "seccage/bpf.hpp"
#include "seccage/compiler.hpp"
#include "seccage/load_policy.hpp"
#include "support/profiles.hpp"
#include "seccage/policy_text.hpp"
#include "seccage/profile.hpp"
#include "seccage/writers.hpp"

namespace seccage {
namespace {

namespace fs = std::filesystem;

Policy from_oci(const std::string& json, const std::string& name) {
  OciResolveOptions o;
  o.host_arch = Arch::x86_64;
  return read_oci_profile_text(json, name, o).policy;
}

Policy from_text(const std::string& text, const std::string& name) {
  TextPolicyOptions o;
  o.host_arch = Arch::x86_64;
  return read_text_policy_text(text, name, o).policy;
}

TEST(FormatRoundTrip, TextToOciToText) {
  std::size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(SECCAGE_SOURCE_DIR) / "examples")) {
    if (entry.path().extension() != ".policy") continue;
    // Files made to be included (common-deny.policy) are not whole policies.
    std::ifstream in(entry.path());
    const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (content.find("\ndefault ") == std::string::npos && content.rfind("default ", 0) != 0) continue;
    TextPolicyOptions o;
    o.host_arch = Arch::x86_64;
    const Policy original = read_text_policy(entry.path(), o).policy;
    const std::string name = entry.path().filename().string();
    const Policy via_oci = from_oci(write_oci_json(original), name + ".json");
    const Policy back = from_text(write_text_policy(via_oci), name + ".back");
    EXPECT_TRUE(text_test::same_decisions(original, via_oci)) << name << " -> OCI";
    EXPECT_TRUE(text_test::same_decisions(original, back)) << name << " -> OCI -> text";
    ++checked;
  }
  EXPECT_GE(checked, 4u);
}

TEST(FormatRoundTrip, OciToTextToOci) {
  for (const char* file : {"docker-default.json", "podman-default.json", "runc-syscall-test1.json"}) {
    OciResolveOptions o;
    o.host_arch = Arch::x86_64;
    Policy original = read_oci_profile(fs::path(SECCAGE_TEST_DATA_DIR) / "profiles" / file, o).policy;
    // The text language takes one arch list; keep the native one so every
    // name in the profile has a meaning on it.
    std::erase_if(original.rules, [](const Rule& r) {
      const auto* n = std::get_if<std::string>(&r.syscall);
      return n && !syscall_number(Arch::x86_64, *n);
    });
    original.arches = {Arch::x86_64};
    const Policy via_text = from_text(write_text_policy(original), std::string(file) + ".policy");
    const Policy back = from_oci(write_oci_json(via_text), std::string(file) + ".back.json");
    EXPECT_TRUE(text_test::same_decisions(original, via_text)) << file << " -> text";
    EXPECT_TRUE(text_test::same_decisions(original, back)) << file << " -> text -> OCI";
  }
}

// Issue 12: lossless round trips. Every vendored profile, resolved for an
// x86_64 and an aarch64 host with all its arches: OCI -> text -> OCI gives
// byte-identical programs at each step, and keeps the bad-arch action, the
// filter flags and the notify listener.
TEST(FormatRoundTrip, OciTextOciIsByteIdentical) {
  std::size_t checked = 0;
  for (const std::string& file : test::vendored_profiles()) {
    for (Arch host : {Arch::x86_64, Arch::aarch64}) {
      SCOPED_TRACE(file + " on " + std::string(arch_name(host)));
      PolicyLoadOptions o;
      o.kernel = parse_kernel_version("6.1");
      OciResolveOptions ro;
      ro.host_arch = host;
      ro.kernel = o.kernel;
      Policy original = read_oci_profile(test::profiles_dir() / file, ro).policy;
      // What runtimes take besides the rules, so that losing it shows.
      original.runtime.flags = {"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"};
      original.runtime.listener_path = "/run/seccomp \"agent\".sock";
      original.runtime.listener_metadata = "pod=a\\b";
      const bpf::Program want = compile(original);

      TextPolicyOptions to;
      to.host_arch = host;
      const Policy via_text = read_text_policy_text(write_text_policy(original), file + ".policy", to).policy;
      EXPECT_EQ(compile(via_text), want) << "OCI -> text";
      EXPECT_EQ(via_text.bad_arch_action, original.bad_arch_action);
      EXPECT_EQ(via_text.runtime, original.runtime);

      const Policy back = read_oci_profile_text(write_oci_json(via_text), file + ".back.json", ro).policy;
      EXPECT_EQ(compile(back), want) << "OCI -> text -> OCI";
      EXPECT_EQ(back.runtime, original.runtime);
      ++checked;
    }
  }
  EXPECT_GE(checked, 10u);
}

// text -> OCI -> text: byte-identical programs for the text form of every
// vendored profile (x86_64 host), keeping the runtime settings. (The
// examples' 32-bit argument conditions become 64-bit OCI rules that decide
// the same but compile differently; TextToOciToText above checks those by
// decisions.)
TEST(FormatRoundTrip, TextOciTextIsByteIdentical) {
  std::size_t checked = 0;
  for (const std::string& file : test::vendored_profiles()) {
    SCOPED_TRACE(file);
    OciResolveOptions ro;
    ro.host_arch = Arch::x86_64;
    ro.kernel = parse_kernel_version("6.1");
    Policy from_profile = read_oci_profile(test::profiles_dir() / file, ro).policy;
    from_profile.runtime.listener_path = "/run/agent.sock";
    const std::string text = write_text_policy(from_profile);
    const Policy original = load_policy_text(text, file + ".policy").policy;
    const bpf::Program want = compile(original);
    const LoadedPolicy via_oci = load_policy_text(write_oci_json(original), file + ".json");
    const LoadedPolicy back = load_policy_text(write_text_policy(via_oci.policy), file + ".back.policy");
    EXPECT_EQ(compile(via_oci.policy), want) << "text -> OCI";
    EXPECT_EQ(compile(back.policy), want) << "text -> OCI -> text";
    EXPECT_EQ(write_text_policy(back.policy), text) << "the text itself comes back";
    EXPECT_EQ(back.policy.runtime, original.runtime);
    ++checked;
  }
  EXPECT_GE(checked, 5u);
}

}  // namespace
}  // namespace seccage
