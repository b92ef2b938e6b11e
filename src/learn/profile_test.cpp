// Profiles built from uses allow exactly what was seen: checked by evaluating
// the policy (the reference semantics) on the seen calls and on neighbours.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "seccage/error.hpp"
#include "seccage/learn.hpp"

namespace seccage::learn {
namespace {

const Arch kArch = Arch::x86_64;

SyscallUse use(const char* name, std::set<ArgValues> values = {}, std::uint64_t count = 1) {
  SyscallUse u;
  u.arch = kArch;
  u.name = name;
  u.nr = *syscall_number(kArch, name);
  u.count = count;
  u.values = std::move(values);
  return u;
}

Action decide(const Policy& p, const char* name, std::uint64_t a0 = 0, std::uint64_t a1 = 0, std::uint64_t a2 = 0,
              Arch arch = kArch) {
  const std::uint64_t args[6] = {a0, a1, a2, 0, 0, 0};
  return evaluate(p, arch_info(arch).audit_arch, static_cast<std::int32_t>(*syscall_number(arch, name)), args);
}

TEST(LearnProfile, AllowsWhatWasSeenAndDeniesTheRestWithEperm) {
  const LearnedProfile p = build_profile({use("read"), use("write")});
  EXPECT_EQ(decide(p.policy, "read"), Action::allow());
  EXPECT_EQ(decide(p.policy, "write"), Action::allow());
  EXPECT_EQ(decide(p.policy, "ptrace"), Action::errno_(1));
  EXPECT_EQ(p.policy.default_action, Action::errno_(1));
  EXPECT_TRUE(p.policy.enosys_for_unknown);
}

TEST(LearnProfile, SocketIsAllowedForTheSeenDomainAndTypeOnly) {
  const LearnedProfile p = build_profile({use("socket", {{1, 1}, {2, 2}})});
  EXPECT_EQ(decide(p.policy, "socket", 1, 1), Action::allow());
  EXPECT_EQ(decide(p.policy, "socket", 1, 1 | 0x80000), Action::allow());  // CLOEXEC adds nothing
  EXPECT_EQ(decide(p.policy, "socket", 2, 2), Action::allow());
  EXPECT_EQ(decide(p.policy, "socket", 10, 1), Action::errno_(1));  // AF_INET6: not seen
  EXPECT_EQ(decide(p.policy, "socket", 1, 2), Action::errno_(1));   // AF_UNIX datagram: not seen
  EXPECT_EQ(decide(p.policy, "socket", 2, 3), Action::errno_(1));   // AF_INET raw: not seen
}

TEST(LearnProfile, TooManyValuesAllowTheSyscallWholeWithANote) {
  SyscallUse u = use("ioctl");
  u.too_many_values = true;
  const LearnedProfile p = build_profile({u});
  EXPECT_EQ(decide(p.policy, "ioctl", 0, 0x5412), Action::allow());
  ASSERT_TRUE(p.notes.count("ioctl"));
  EXPECT_NE(p.notes.at("ioctl").find("more than 16"), std::string::npos);
}

TEST(LearnProfile, ExecBitBothWaysNeedsNoCondition) {
  const LearnedProfile both = build_profile({use("mmap", {{0, 0}, {4, 0}})});
  ASSERT_EQ(both.policy.rules.size(), 1u);
  EXPECT_TRUE(both.policy.rules[0].conditions.empty());
  const LearnedProfile plain = build_profile({use("mmap", {{0, 0}})});
  EXPECT_EQ(decide(plain.policy, "mmap", 0, 4096, 3), Action::allow());       // PROT_READ|PROT_WRITE
  EXPECT_EQ(decide(plain.policy, "mmap", 0, 4096, 5), Action::errno_(1));     // PROT_READ|PROT_EXEC
}

TEST(LearnProfile, Clone3IsAnsweredWithEnosys) {
  SyscallUse u = use("clone3");
  u.answered_errno = 38;
  const LearnedProfile p = build_profile({u});
  EXPECT_EQ(decide(p.policy, "clone3"), Action::errno_(38));
  EXPECT_TRUE(p.notes.count("clone3"));
}

TEST(LearnProfile, CoversTheArchesSeenWithTheNativeFirst) {
  SyscallUse i386_read = use("read");
  i386_read.arch = Arch::i386;
  i386_read.nr = *syscall_number(Arch::i386, "read");
  const LearnedProfile p = build_profile({use("write"), i386_read});
  ASSERT_EQ(p.policy.arches.size(), 2u);
  EXPECT_EQ(p.policy.arches[0], native_arch());
  EXPECT_EQ(decide(p.policy, "read", 0, 0, 0, Arch::i386), Action::allow());
}

TEST(LearnProfile, UnnamedNumbersAreLeftToTheDefaultWithAWarning) {
  SyscallUse u;
  u.arch = kArch;
  u.nr = 4000;
  u.count = 2;
  const LearnedProfile p = build_profile({u, use("read")});
  EXPECT_EQ(p.policy.rules.size(), 1u);
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_NE(p.warnings[0].find("#4000"), std::string::npos);
}

TEST(LearnProfile, TheSameUsesGiveTheSameFileWhateverTheirOrder) {
  std::vector<SyscallUse> uses{use("write"), use("socket", {{2, 1}, {1, 1}}), use("read"), use("prctl", {{15, 0}})};
  const std::string a = write_profile(build_profile(uses), OutputFormat::Oci, "");
  std::reverse(uses.begin(), uses.end());
  const std::string b = write_profile(build_profile(uses), OutputFormat::Oci, "");
  EXPECT_EQ(a, b);
  const auto j = nlohmann::json::parse(a);
  EXPECT_EQ(j["defaultAction"], "SCMP_ACT_ERRNO");
}

TEST(LearnProfile, OciOutputCarriesTheNotesAsComments) {
  SyscallUse u = use("ioctl");
  u.too_many_values = true;
  const auto j = nlohmann::json::parse(write_profile(build_profile({u, use("read")}), OutputFormat::Oci, ""));
  bool found = false;
  for (const auto& e : j["syscalls"])
    if (e["names"][0] == "ioctl") found = e.contains("comment");
  EXPECT_TRUE(found) << j.dump(2);
}

TEST(LearnProfile, CountsAreJsonInTheOrderOfTheUses) {
  const auto j = nlohmann::json::parse(counts_json({use("read", {}, 7), use("write", {}, 2)}));
  EXPECT_EQ(j["total"], 9);
  ASSERT_EQ(j["syscalls"].size(), 2u);
  EXPECT_EQ(j["syscalls"][0]["syscall"], "read");
  EXPECT_EQ(j["syscalls"][0]["count"], 7);
}

TEST(LearnProfile, FormatNamesAreChecked) {
  EXPECT_EQ(parse_output_format("text"), OutputFormat::Text);
  EXPECT_THROW(parse_output_format("xml"), InputError);
}

}  // namespace
}  // namespace seccage::learn
