// The real container profiles in tests/data/profiles, read for several hosts.
// Expectations are facts of the JSON files themselves, recomputed here from
// the JSON by a deliberately plain second reading, not copied numbers.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "seccage/error.hpp"
#include "seccage/profile.hpp"
#include "support/profiles.hpp"

namespace seccage {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path kProfiles = fs::path(SECCAGE_TEST_DATA_DIR) / "profiles";

OciResolveOptions host(Arch a, CapabilitySet caps = docker_default_capabilities(), KernelVersion k = {6, 1, 0}) {
  OciResolveOptions o;
  o.host_arch = a;
  o.capabilities = std::move(caps);
  o.kernel = k;
  return o;
}

json load(const std::string& name) {
  std::ifstream in(kProfiles / name);
  return json::parse(in);
}

std::vector<const Rule*> rules_for(const OciProfile& p, std::string_view name) {
  std::vector<const Rule*> out;
  for (const auto& r : p.policy.rules)
    if (r.syscall == SyscallRef(std::string(name))) out.push_back(&r);
  return out;
}

TEST(OciProfiles, EveryProfileParsesForThreeHosts) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(kProfiles)) {
    if (entry.path().extension() != ".json") continue;
    ++count;
    if (test::runtimes_refuse(entry.path().filename().string())) {
      EXPECT_THROW(read_oci_profile(entry.path(), host(Arch::x86_64)), InputError) << entry.path();
      continue;
    }
    for (Arch a : {Arch::x86_64, Arch::aarch64, Arch::i386}) {
      SCOPED_TRACE(entry.path().filename().string() + " on " + std::string(arch_name(a)));
      OciProfile p;
      ASSERT_NO_THROW(p = read_oci_profile(entry.path(), host(a)));
      EXPECT_FALSE(p.policy.rules.empty());
      ASSERT_FALSE(p.policy.arches.empty());
      EXPECT_NE(std::find(p.policy.arches.begin(), p.policy.arches.end(), a), p.policy.arches.end());
      for (const auto& r : p.policy.rules) {
        EXPECT_EQ(r.origin.file, entry.path().string());
        EXPECT_TRUE(r.origin.json_pointer.starts_with("/syscalls/")) << r.origin.to_string();
      }
    }
  }
  EXPECT_GE(count, 6u);
}

TEST(OciProfiles, ArchesFollowArchMap) {
  for (const char* name : {"docker-default.json", "podman-default.json"}) {
    SCOPED_TRACE(name);
    const auto path = kProfiles / name;
    EXPECT_EQ(read_oci_profile(path, host(Arch::x86_64)).policy.arches,
              (std::vector<Arch>{Arch::x86_64, Arch::i386, Arch::x32}));
    EXPECT_EQ(read_oci_profile(path, host(Arch::aarch64)).policy.arches, (std::vector<Arch>{Arch::aarch64, Arch::arm}));
    // Neither profile has an archMap entry for 386: the host arch alone.
    EXPECT_EQ(read_oci_profile(path, host(Arch::i386)).policy.arches, std::vector<Arch>{Arch::i386});
  }
  // No architectures, no archMap: the host alone.
  EXPECT_EQ(read_oci_profile(kProfiles / "runc-syscall-test1.json", host(Arch::aarch64)).policy.arches,
            std::vector<Arch>{Arch::aarch64});
}

TEST(OciProfiles, DockerDefaultActionsFromTheFile) {
  const json j = load("docker-default.json");
  auto p = read_oci_profile(kProfiles / "docker-default.json", host(Arch::x86_64));
  EXPECT_EQ(j["defaultAction"], "SCMP_ACT_ERRNO");
  EXPECT_EQ(p.policy.default_action, Action::errno_(j["defaultErrnoRet"].get<std::uint16_t>()));
}

TEST(OciProfiles, DockerDefaultPersonalityValues) {
  // The values of every unconditional-entry personality rule, from the JSON.
  const json j = load("docker-default.json");
  std::set<std::uint64_t> expected;
  for (const auto& e : j["syscalls"]) {
    const auto& names = e["names"];
    if (std::find(names.begin(), names.end(), "personality") == names.end() || !e.contains("args")) continue;
    ASSERT_EQ(e["args"].size(), 1u);
    ASSERT_EQ(e["args"][0]["op"], "SCMP_CMP_EQ");
    expected.insert(e["args"][0]["value"].get<std::uint64_t>());
  }
  ASSERT_FALSE(expected.empty());
  for (Arch a : {Arch::x86_64, Arch::aarch64}) {
    auto p = read_oci_profile(kProfiles / "docker-default.json", host(a));
    std::set<std::uint64_t> got;
    for (const Rule* r : rules_for(p, "personality")) {
      EXPECT_EQ(r->action, Action::allow());
      ASSERT_EQ(r->conditions.size(), 1u);
      EXPECT_EQ(r->conditions[0].arg, 0);
      EXPECT_EQ(r->conditions[0].op, CmpOp::EQ);
      got.insert(r->conditions[0].value);
    }
    EXPECT_EQ(got, expected);
    EXPECT_EQ(rules_for(p, "personality").size(), expected.size());
  }
}

// The clone mask Docker's profile uses, read from the entry that carries it.
std::uint64_t clone_mask(const json& j, std::size_t index) {
  for (const auto& e : j["syscalls"]) {
    if (e["names"] != json::array({"clone"}) || !e.contains("args")) continue;
    if (e["args"][0]["index"] == index) return e["args"][0]["value"].get<std::uint64_t>();
  }
  ADD_FAILURE() << "no clone entry on index " << index;
  return 0;
}

TEST(OciProfiles, DockerDefaultCloneDependsOnSysAdmin) {
  const json j = load("docker-default.json");
  const auto path = kProfiles / "docker-default.json";
  {
    // Default caps: clone only without namespace flags, clone3 gets ENOSYS so
    // glibc falls back to clone.
    auto p = read_oci_profile(path, host(Arch::x86_64));
    auto clone = rules_for(p, "clone");
    ASSERT_EQ(clone.size(), 1u);
    EXPECT_EQ(clone[0]->action, Action::allow());
    ASSERT_EQ(clone[0]->conditions.size(), 1u);
    EXPECT_EQ(clone[0]->conditions[0], (arg(0) & clone_mask(j, 0)) == 0);
    // No namespace flag: allowed; CLONE_NEWUSER (0x10000000): not matched.
    EXPECT_TRUE(clone[0]->conditions[0].matches(0x11 /* SIGCHLD */ | 0x100 /* CLONE_VM */));
    EXPECT_FALSE(clone[0]->conditions[0].matches(0x10000000));
    auto clone3 = rules_for(p, "clone3");
    ASSERT_EQ(clone3.size(), 1u);
    EXPECT_EQ(clone3[0]->action, Action::errno_(38));
    EXPECT_TRUE(clone3[0]->conditions.empty());
  }
  {
    auto caps = docker_default_capabilities();
    caps.insert("CAP_SYS_ADMIN");
    auto p = read_oci_profile(path, host(Arch::x86_64, caps));
    auto clone = rules_for(p, "clone");
    ASSERT_EQ(clone.size(), 1u);
    EXPECT_TRUE(clone[0]->conditions.empty());
    EXPECT_EQ(clone[0]->action, Action::allow());
    auto clone3 = rules_for(p, "clone3");
    ASSERT_EQ(clone3.size(), 1u);
    EXPECT_EQ(clone3[0]->action, Action::allow());
  }
  {
    // s390x passes the flags in the second argument.
    auto p = read_oci_profile(path, host(Arch::s390x));
    auto clone = rules_for(p, "clone");
    ASSERT_EQ(clone.size(), 1u);
    EXPECT_EQ(clone[0]->conditions[0], (arg(1) & clone_mask(j, 1)) == 0);
    EXPECT_EQ(p.policy.arches, (std::vector<Arch>{Arch::s390x, Arch::s390}));
  }
}

TEST(OciProfiles, DockerDefaultPtraceNeedsKernel48) {
  const auto path = kProfiles / "docker-default.json";
  auto old_kernel = read_oci_profile(path, host(Arch::x86_64, docker_default_capabilities(), {4, 7, 0}));
  EXPECT_TRUE(rules_for(old_kernel, "ptrace").empty());
  EXPECT_TRUE(std::any_of(old_kernel.skipped.begin(), old_kernel.skipped.end(), [](const OciSkippedEntry& s) {
    return s.reason == "includes.minKernel: kernel 4.7 < 4.8";
  }));
  auto new_kernel = read_oci_profile(path, host(Arch::x86_64, docker_default_capabilities(), {4, 8, 0}));
  auto ptrace = rules_for(new_kernel, "ptrace");
  ASSERT_EQ(ptrace.size(), 1u);
  EXPECT_EQ(ptrace[0]->action, Action::allow());
  EXPECT_TRUE(ptrace[0]->conditions.empty());
}

TEST(OciProfiles, DockerDefaultArchSpecificEntries) {
  // arch_prctl is only in the entry for amd64/x32, modify_ldt only in the one
  // for amd64/x32/x86, breakpoint only in the one for arm/arm64.
  const auto path = kProfiles / "docker-default.json";
  auto amd64 = read_oci_profile(path, host(Arch::x86_64));
  EXPECT_EQ(rules_for(amd64, "arch_prctl").size(), 1u);
  EXPECT_EQ(rules_for(amd64, "modify_ldt").size(), 1u);
  EXPECT_TRUE(rules_for(amd64, "breakpoint").empty());
  // Docker calls the 386 host "x86", which modify_ldt's entry lists.
  auto x86 = read_oci_profile(path, host(Arch::i386));
  EXPECT_TRUE(rules_for(x86, "arch_prctl").empty());
  EXPECT_EQ(rules_for(x86, "modify_ldt").size(), 1u);
  auto arm64 = read_oci_profile(path, host(Arch::aarch64));
  EXPECT_TRUE(rules_for(arm64, "arch_prctl").empty());
  EXPECT_TRUE(rules_for(arm64, "modify_ldt").empty());
  EXPECT_EQ(rules_for(arm64, "breakpoint").size(), 1u);
}

// ---- a plain second reading of Docker's resolution ----------------------------

using Key = std::tuple<std::string, std::string, std::string>;  // name, action, conditions

// Resolves a profile from its JSON the simplest way: no validation, only the
// fields the shared profiles use, and the runc argument split.
std::multiset<Key> plain_resolve(const json& j, std::string_view host_docker_name, const CapabilitySet& caps,
                                 const std::vector<Arch>& arches) {
  auto listed = [](const json& filter, const char* key, auto pred) {
    if (!filter.is_object() || !filter.contains(key) || filter[key].is_null()) return std::optional<bool>();
    const auto& list = filter[key];
    return std::optional<bool>(std::any_of(list.begin(), list.end(), pred));
  };
  std::multiset<Key> out;
  const unsigned def_errno = j.value("defaultErrnoRet", 1u);
  for (const auto& e : j["syscalls"]) {
    const json inc = e.value("includes", json::object());
    const json exc = e.value("excludes", json::object());
    auto is_host = [&](const json& a) { return a == host_docker_name; };
    auto granted = [&](const json& c) { return caps.count(c.get<std::string>()) > 0; };
    auto missing = [&](const json& c) { return caps.count(c.get<std::string>()) == 0; };
    if (listed(exc, "arches", is_host).value_or(false)) continue;
    if (listed(exc, "caps", granted).value_or(false)) continue;
    if (auto v = listed(inc, "arches", is_host); v && !*v) continue;
    if (listed(inc, "caps", missing).value_or(false)) continue;
    if (inc.contains("minKernel")) continue;  // the callers' kernel is older than any minKernel used

    std::string action = e["action"];
    if (action == "SCMP_ACT_ALLOW") action = "ALLOW";
    else if (action == "SCMP_ACT_ERRNO") action = "ERRNO(" + std::to_string(e.value("errnoRet", def_errno)) + ")";
    std::vector<std::string> alts;
    if (e.contains("args") && !e["args"].is_null() && !e["args"].empty()) {
      std::set<unsigned> seen;
      bool repeat = false;
      for (const auto& a : e["args"]) repeat |= !seen.insert(a["index"].get<unsigned>()).second;
      std::string all;
      for (const auto& a : e["args"]) {
        Condition c;
        c.arg = a["index"].get<std::uint8_t>();
        const std::string op = a["op"];
        const std::uint64_t v = a["value"], v2 = a.value("valueTwo", std::uint64_t{0});
        if (op == "SCMP_CMP_MASKED_EQ") c = (seccage::arg(c.arg) & v) == v2;
        else if (op == "SCMP_CMP_EQ") c = seccage::arg(c.arg) == v;
        else if (op == "SCMP_CMP_NE") c = seccage::arg(c.arg) != v;
        else if (op == "SCMP_CMP_GT") c = seccage::arg(c.arg) > v;
        else ADD_FAILURE() << op;
        if (repeat) alts.push_back(c.to_string());
        else all += (all.empty() ? "" : " && ") + c.to_string();
      }
      if (!repeat) alts.push_back(all);
    } else {
      alts.push_back("");
    }
    for (const auto& n : e["names"]) {
      const std::string name = n;
      auto on_some_arch = [&](std::string_view sys) {
        return std::any_of(arches.begin(), arches.end(), [&](Arch a) { return syscall_number(a, sys).has_value(); });
      };
      const auto via = multiplexed_call(name);
      if (!on_some_arch(name) && !(via && on_some_arch(via->via))) continue;
      for (const auto& alt : alts) out.insert({name, action, alt});
    }
  }
  return out;
}

std::multiset<Key> keys_of(const OciProfile& p) {
  std::multiset<Key> out;
  for (const auto& r : p.policy.rules) {
    std::string conds;
    for (const auto& c : r.conditions) conds += (conds.empty() ? "" : " && ") + c.to_string();
    out.insert({to_string(r.syscall), r.action.to_string(), conds});
  }
  return out;
}

TEST(OciProfiles, MatchesAPlainReadingOfTheJson) {
  const CapabilitySet all(known_capabilities().begin(), known_capabilities().end());
  for (const char* name : {"docker-default.json", "podman-default.json", "runc-syscall-test1.json"}) {
    const json j = load(name);
    for (Arch a : {Arch::x86_64, Arch::aarch64, Arch::i386}) {
      for (const CapabilitySet* caps : {&docker_default_capabilities(), &all}) {
        SCOPED_TRACE(std::string(name) + " on " + std::string(arch_name(a)) + (caps == &all ? " all caps" : ""));
        auto p = read_oci_profile(kProfiles / name, host(a, *caps, {4, 0, 0}));
        EXPECT_EQ(keys_of(p), plain_resolve(j, docker_arch_name(a), *caps, p.policy.arches));
      }
    }
  }
}

TEST(OciProfiles, PodmanErrnoNamesAndDefault) {
  auto p = read_oci_profile(kProfiles / "podman-default.json", host(Arch::x86_64));
  EXPECT_EQ(p.policy.default_action, Action::errno_(38));  // defaultErrno ENOSYS, defaultErrnoRet 38
  // Without CAP_AUDIT_WRITE... Docker's default set has it, so the plain
  // socket allow applies and the AF_NETLINK/NETLINK_AUDIT refusals do not.
  auto socket = rules_for(p, "socket");
  ASSERT_EQ(socket.size(), 1u);
  EXPECT_TRUE(socket[0]->conditions.empty());
  auto none = read_oci_profile(kProfiles / "podman-default.json", host(Arch::x86_64, {}));
  auto s2 = rules_for(none, "socket");
  // Entry 31 (EINVAL for family 16 && protocol 9) and the three NE allows.
  ASSERT_EQ(s2.size(), 4u);
  EXPECT_EQ(s2[0]->action, Action::errno_(22));
  EXPECT_EQ(s2[0]->conditions, (std::vector<Condition>{arg(0) == 16, arg(2) == 9}));
}

TEST(OciProfiles, DockerFixtureConditionalInclude) {
  const auto path = kProfiles / "docker-fixture-conditional-include.json";
  auto names = [](const OciProfile& p) {
    std::vector<std::string> out;
    for (const auto& r : p.policy.rules) out.push_back(to_string(r.syscall));
    return out;
  };
  EXPECT_EQ(names(read_oci_profile(path, host(Arch::x86_64))), (std::vector<std::string>{"chmod", "ptrace"}));
  EXPECT_EQ(names(read_oci_profile(path, host(Arch::x86_64, {"CAP_SYSLOG"}))),
            (std::vector<std::string>{"chmod", "syslog", "ptrace"}));
  EXPECT_EQ(names(read_oci_profile(path, host(Arch::x86_64, {"CAP_SYSLOG", "CAP_SYS_ADMIN"}))),
            (std::vector<std::string>{"chmod", "syslog"}));
}

TEST(OciProfiles, DockerFixtureExample) {
  // errnoRet 12345: libseccomp refuses ERRNO data above 4094, so runc and
  // crun refuse to start the container, and seccage refuses the profile.
  const fs::path path = kProfiles / "docker-fixture-example.json";
  try {
    read_oci_profile(path, host(Arch::x86_64));
    ADD_FAILURE() << "errnoRet 12345 was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/syscalls/3/errnoRet: errno 12345 is too large"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("runc and crun refuse"), std::string::npos) << e.what();
  }
  // The rest of it (the old single-"name" form, MASKED_EQ with valueTwo)
  // with a real errno in place of 12345.
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_NE(text.find("12345"), std::string::npos);
  text.replace(text.find("12345"), 5, "38");
  auto p = read_oci_profile_text(text, "fixture.json", host(Arch::x86_64));
  EXPECT_EQ(p.policy.default_action, Action::errno_(1));
  auto syslog = rules_for(p, "syslog");
  ASSERT_EQ(syslog.size(), 1u);
  EXPECT_EQ(syslog[0]->action, Action::errno_(38));
  EXPECT_TRUE(p.warnings.empty()) << p.warnings[0];
}

TEST(OciProfiles, RuncSyscallTestSplitsRepeatedIndexes) {
  auto p = read_oci_profile(kProfiles / "runc-syscall-test1.json", host(Arch::x86_64));
  EXPECT_EQ(p.policy.default_action, Action::errno_(1));
  auto readv = rules_for(p, "process_vm_readv");
  ASSERT_EQ(readv.size(), 2u);
  EXPECT_EQ(readv[0]->conditions, std::vector<Condition>{arg(0) == 100});
  EXPECT_EQ(readv[1]->conditions, std::vector<Condition>{arg(0) == 9001});
  auto writev = rules_for(p, "process_vm_writev");
  ASSERT_EQ(writev.size(), 2u);
  EXPECT_EQ(writev[0]->action, Action::errno_(55));
  // Different indexes stay together.
  auto ftruncate = rules_for(p, "ftruncate");
  ASSERT_EQ(ftruncate.size(), 1u);
  EXPECT_EQ(ftruncate[0]->conditions, (std::vector<Condition>{arg(0) == 123456789, arg(1) == 1337}));
  auto p2 = read_oci_profile(kProfiles / "runc-syscall-test2.json", host(Arch::x86_64));
  EXPECT_EQ(p2.policy.default_action, Action::errno_(6));
}

}  // namespace
}  // namespace seccage
