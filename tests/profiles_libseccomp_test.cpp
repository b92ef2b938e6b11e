// Every vendored profile (tests/data/profiles) read, compiled by seccage and by
// libseccomp 2.5.4 for x86_64, aarch64, i386 and riscv64 hosts, and both programs run
// in the emulator on every syscall number of every resolved arch with
// argument vectors built from the profile's own operands. They must agree:
// these are the profiles real containers run with.
//
// What is left out, and why:
// - names libseccomp 2.5.4 resolves differently from seccage's table (or not
//   at all: syscalls newer than it); the table differences are tested and
//   explained in libseccomp_names_test.cpp. They are dropped from the policy
//   both compile, and counted.
// - numbers outside seccage's table when the default action denies: seccage
//   answers ENOSYS there by design (Policy::enosys_for_unknown), libseccomp
//   the default action.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include <fmt/core.h>

#include "policy/evaluator.hpp"
#include "seccage/compiler.hpp"
#include "seccage/load_policy.hpp"
#include "seccage/profile.hpp"
#include "support/libseccomp_ref.hpp"
#include "support/equivalence.hpp"
#include "support/probe_args.hpp"
#include "support/profiles.hpp"

namespace seccage {
namespace {

namespace fs = std::filesystem;

// Compiles `p` with seccage and libseccomp at `level` and runs both on every
// number of every arch; `file` and `host` name the case in messages.
void expect_agreement(Policy p, const std::string& file, Arch host, int level);

class ProfilesLibseccomp : public ::testing::TestWithParam<std::tuple<std::string, Arch, int>> {};

TEST_P(ProfilesLibseccomp, SeccageAndLibseccompAgree) {
  const auto& [file, host, level] = GetParam();
  OciResolveOptions ro;
  ro.host_arch = host;
  ro.kernel = parse_kernel_version("6.1");
  expect_agreement(read_oci_profile(fs::path(SECCAGE_TEST_DATA_DIR) / "profiles" / file, ro).policy, file, host, level);
}

// Issue 12: x86_64, i386 and x32 in any order (the first is the host), as
// `seccage compile --arch ...` loads them.
TEST(ProfilesLibseccompArchOrder, EveryOrderOfTheX86FamilyAgrees) {
  const std::vector<std::vector<Arch>> orders = {{Arch::x86_64, Arch::i386, Arch::x32},
                                                 {Arch::i386, Arch::x86_64, Arch::x32},
                                                 {Arch::x32, Arch::x86_64, Arch::i386}};
  for (const std::string& file : test::vendored_profiles()) {
    for (const auto& arches : orders) {
      PolicyLoadOptions o;
      o.arches = arches;
      o.kernel = parse_kernel_version("6.1");
      expect_agreement(load_policy_file(test::profiles_dir() / file, o).policy, file, arches.front(), 1);
    }
  }
}

void expect_agreement(Policy p, const std::string& file, Arch host, int level) {
  // libseccomp's filter, like runc's, treats socketcall/ipc sub-calls its
  // own way (MultiplexMode::Compatible); compare like with like.
  p.multiplex = MultiplexMode::Compatible;
  const std::vector<Arch> arches = p.effective_arches();

  std::vector<std::string> dropped;
  std::erase_if(p.rules, [&](const Rule& r) {
    const auto* name = std::get_if<std::string>(&r.syscall);
    if (!name) return false;
    for (Arch a : arches) {
      if (!test::libseccomp_agrees(a, *name)) {
        if (std::find(dropped.begin(), dropped.end(), *name) == dropped.end()) dropped.push_back(*name);
        return true;
      }
    }
    return false;
  });
  ::testing::Test::RecordProperty("dropped_names", static_cast<int>(dropped.size()));
  const test::LibseccompProgram ref = test::libseccomp_compile(p, level);
  for (const auto& r : ref.refused) ADD_FAILURE() << file << ": libseccomp refused " << r.to_string();
  const bpf::Program mine = compile(p);
  const Evaluator eval(p);
  const auto args = test::probe_args(p);
  const std::vector<std::array<std::uint64_t, 6>> few(args.begin(), args.begin() + 7);

  std::size_t compared = 0, differences = 0;
  for (Arch arch : arches) {
    const ArchInfo& info = arch_info(arch);
    const ArchDecisions& d = eval.decisions(arch);
    // The table's numbers and their neighbours, and past the end.
    std::set<std::uint32_t> nrs = test::comparison_numbers(arch);
    nrs.insert(kNoSyscallNr);  // -1: the default action in both
    for (std::uint32_t nr : nrs) {
      const bool known = d.find(nr) != nullptr || nr == kNoSyscallNr;
      if (!known && p.default_action.denies() && p.enosys_for_unknown) continue;
      for (const auto& v : d.at(nr).depends_on_args() ? args : few) {
        bpf::SeccompData data;
        data.nr = static_cast<std::int32_t>(nr);
        data.arch = info.audit_arch;
        data.args = v;
        const std::uint32_t a = bpf::emulate(mine, data, info.little_endian).ret;
        const std::uint32_t b = bpf::emulate(ref.program, data, info.little_endian).ret;
        ++compared;
        if (a != b && ++differences <= 10) {
          auto name = syscall_name(arch, nr);
          ADD_FAILURE() << fmt::format("{} (host {}, libseccomp level {}): {} nr {} ({}) args [{:#x}, {:#x}, ...]: "
                                       "seccage {:#x}, libseccomp {:#x}",
                                       file, arch_name(host), level, info.name, nr, name ? *name : "?", v[0], v[1], a,
                                       b);
        }
      }
    }
  }
  // A foreign arch, and the other ABI on AUDIT_ARCH_X86_64.
  for (std::uint32_t audit : {0x40000028u /* ARM */, 0xc00000b7u /* AARCH64 */, 0x40000003u /* I386 */}) {
    bool listed = false;
    for (Arch a : arches) listed |= arch_info(a).audit_arch == audit;
    if (listed) continue;
    bpf::SeccompData data;
    data.arch = audit;
    EXPECT_EQ(bpf::emulate(mine, data).ret, bpf::emulate(ref.program, data).ret) << file << " foreign arch";
  }
  EXPECT_EQ(differences, 0u) << file << ": " << differences << " of " << compared << " probes differ";
  EXPECT_GT(compared, 1000u);
}

INSTANTIATE_TEST_SUITE_P(ProfilesLibseccomp, ProfilesLibseccomp,
                         ::testing::Combine(::testing::ValuesIn(test::vendored_profiles()),
                                            ::testing::Values(Arch::x86_64, Arch::aarch64, Arch::i386, Arch::riscv64),
                                            ::testing::Values(1, 2)),
                         [](const auto& tp) {
                           std::string n = fmt::format("{}_{}_level{}", std::get<0>(tp.param),
                                                       arch_name(std::get<1>(tp.param)), std::get<2>(tp.param));
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

}  // namespace
}  // namespace seccage
