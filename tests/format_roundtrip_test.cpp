// The round trips issue 4 asks for, across formats: text -> OCI -> text and
// OCI -> text -> OCI must decide as the original, checked by compiling each
// end and comparing the programs in the emulator over every syscall number.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "profile/text_test_util.hpp"
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

}  // namespace
}  // namespace seccage
