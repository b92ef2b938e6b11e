// The one way to load a policy (load_policy.hpp): the arch list decides which
// names a profile keeps, whatever its order, and the command-line tool builds
// byte for byte the filter the library builds (issues 12 and 15).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include <nlohmann/json.hpp>

#include "seccage/bpf.hpp"
#include "seccage/compiler.hpp"
#include "seccage/load_policy.hpp"
#include "support/cli.hpp"
#include "support/profiles.hpp"

namespace seccage {
namespace {

namespace fs = std::filesystem;

PolicyLoadOptions with_arches(std::vector<Arch> arches) {
  PolicyLoadOptions o;
  o.arches = std::move(arches);
  o.kernel = parse_kernel_version("6.1");
  return o;
}

bool names_rule(const Policy& p, const std::string& name) {
  for (const Rule& r : p.rules)
    if (const auto* n = std::get_if<std::string>(&r.syscall); n && *n == name) return true;
  return false;
}

// Names of syscalls[] entries that hold on every host (no includes or
// excludes) and decide something (not the default action).
std::set<std::string> unconditional_names(const fs::path& file) {
  std::ifstream in(file);
  const nlohmann::json j = nlohmann::json::parse(in);
  std::set<std::string> out;
  for (const auto& e : j.value("syscalls", nlohmann::json::array())) {
    if (e.contains("includes") && !e["includes"].empty()) continue;
    if (e.contains("excludes") && !e["excludes"].empty()) continue;
    if (e.value("action", "") == j.value("defaultAction", "")) continue;
    for (const auto& n : e.value("names", nlohmann::json::array())) out.insert(n.get<std::string>());
    if (e.contains("name")) out.insert(e["name"].get<std::string>());
  }
  return out;
}

// Issue 12: with i386 first, every x86_64-only name (newfstatat, ...) fell
// to the default action on x86_64, and with x86_64 first every i386-only one
// (_llseek, mmap2, *_time64) on i386.
TEST(LoadPolicy, NamesAreKeptForEveryCoveredArchInAnyOrder) {
  const std::vector<std::vector<Arch>> orders = {{Arch::x86_64, Arch::i386, Arch::x32},
                                                 {Arch::i386, Arch::x86_64, Arch::x32},
                                                 {Arch::x32, Arch::i386, Arch::x86_64},
                                                 {Arch::aarch64, Arch::arm},
                                                 {Arch::arm, Arch::aarch64}};
  std::size_t checked = 0;
  for (const std::string& file : test::vendored_profiles()) {
    const fs::path path = test::profiles_dir() / file;
    const std::set<std::string> names = unconditional_names(path);
    for (const auto& arches : orders) {
      const LoadedPolicy loaded = load_policy_file(path, with_arches(arches));
      EXPECT_EQ(loaded.policy.arches, arches) << file;
      for (const std::string& name : names) {
        bool somewhere = false;
        for (Arch a : arches) somewhere |= syscall_number(a, name).has_value();
        if (!somewhere) continue;
        ++checked;
        EXPECT_TRUE(names_rule(loaded.policy, name))
            << file << " for " << arch_name(arches.front()) << " first: '" << name << "' was dropped";
      }
    }
  }
  EXPECT_GT(checked, 1000u);
}

// The same host first, the other arches in another order: the same decisions
// on every arch (the filter's arch blocks may come in another order).
TEST(LoadPolicy, OrderOfTheOtherArchesChangesNoDecision) {
  for (const std::string& file : test::vendored_profiles()) {
    const fs::path path = test::profiles_dir() / file;
    const Policy a = load_policy_file(path, with_arches({Arch::x86_64, Arch::i386, Arch::x32})).policy;
    const Policy b = load_policy_file(path, with_arches({Arch::x86_64, Arch::x32, Arch::i386})).policy;
    const bpf::Program pa = compile(a), pb = compile(b);
    for (Arch arch : {Arch::x86_64, Arch::i386, Arch::x32}) {
      const ArchInfo& info = arch_info(arch);
      for (std::uint32_t nr = info.nr_offset; nr <= info.max_nr + 2; ++nr) {
        bpf::SeccompData d;
        d.arch = info.audit_arch;
        d.nr = static_cast<std::int32_t>(nr);
        ASSERT_EQ(bpf::emulate(pa, d).ret, bpf::emulate(pb, d).ret) << file << " " << info.name << " nr " << nr;
      }
    }
  }
}

std::vector<char> read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<char> program_bytes(const bpf::Program& program) {
  std::vector<char> out;
  for (const bpf::Insn& i : program) {
    const char* p = reinterpret_cast<const char*>(&i);
    out.insert(out.end(), p, p + sizeof i);
  }
  return out;
}

// Issue 15: `seccage compile FILE --arch ...` and the library give the same
// bytes for every example and every vendored profile.
TEST(LoadPolicy, CommandLineAndLibraryBuildIdenticalFilters) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(SECCAGE_SOURCE_DIR) / "examples"))
    if (e.path().filename() != "common-deny.policy") files.push_back(e.path());  // made to be included
  for (const std::string& f : test::vendored_profiles()) files.push_back(test::profiles_dir() / f);
  const fs::path out = fs::temp_directory_path() / ("seccage-load-" + std::to_string(::getpid()) + ".bpf");
  std::size_t compared = 0;
  for (const fs::path& file : files) {
    for (const std::vector<Arch>& arches : std::vector<std::vector<Arch>>{{}, {Arch::i386, Arch::x86_64}}) {
      std::vector<std::string> args{"compile", file.string(), "--kernel", "6.1", "-o", out.string()};
      for (Arch a : arches) args.insert(args.end(), {"--arch", std::string(arch_name(a))});
      const test::CliRun run = test::run_seccage(args);
      ASSERT_EQ(run.status, 0) << file << ": " << run.err;
      const Policy p = load_policy_file(file, with_arches(arches)).policy;
      EXPECT_EQ(read_bytes(out), program_bytes(compile(p))) << file << " with " << arches.size() << " arches";
      ++compared;
    }
  }
  fs::remove(out);
  EXPECT_GE(compared, 16u);  // 4 examples and 5 profiles, twice
}

}  // namespace
}  // namespace seccage
