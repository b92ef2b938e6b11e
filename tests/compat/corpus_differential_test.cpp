// The differential corpus: each program of tests/compat/corpus is built
// against Debian's libseccomp (2.5.4) and against seccage-compat. Both builds
// must print the same return codes, and every program they export must
// decide the same for every syscall number of every arch and many argument
// vectors, run in seccage's emulator.
#include <gtest/gtest.h>

#include <dirent.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "run_program.hpp"
#include "support/stale_accumulator.hpp"
#include "seccage/arch.hpp"
#include "seccage/bpf.hpp"

namespace seccage::compat_test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> corpus_names() {
  std::vector<std::string> names;
  std::stringstream in(COMPAT_CORPUS);
  for (std::string name; std::getline(in, name, ',');) {
    if (!name.empty()) names.push_back(name);
  }
  return names;
}

// Values around the edges comparisons care about: small numbers, the 32-bit
// sign and word boundaries, and high words that a 32-bit view would miss.
constexpr std::array<std::uint64_t, 16> kValues = {
    0, 1, 2, 3, 5, 9, 16, 40, 42, 4096, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x100000001,
    0xffffffffffffffff};

std::vector<std::array<std::uint64_t, 6>> argument_vectors() {
  std::vector<std::array<std::uint64_t, 6>> out;
  for (std::uint64_t v : kValues) out.push_back({v, v, v, v, v, v});
  for (unsigned arg = 0; arg < 6; ++arg) {
    for (std::uint64_t v : kValues) {
      std::array<std::uint64_t, 6> a{};
      a[arg] = v;
      out.push_back(a);
    }
  }
  // Mixed: the pairs the corpus's multi-argument rules use.
  out.push_back({5, 2, 0, 0, 0, 0});
  out.push_back({1, 5, 0, 0, 0, 0});
  out.push_back({0xffffffff, 43, 1, 0, 0, 0});
  out.push_back({0xffffffffffffffff, 43, 1, 0, 0, 0});
  out.push_back({0, 0, 0, 0x20, 0xffffffffffffffff, 0});
  out.push_back({0, 0, 0, 0x20, 0xffffffff, 0});
  out.push_back({0, 0, 0x100000005, 0, 0, 0});
  out.push_back({0, 0, 0x1, 0x200000000, 0, 0});
  return out;
}

// Every (arch value, syscall number) worth asking: each table's range and a
// bit past it for the arches the corpus uses (x32's range on
// AUDIT_ARCH_X86_64 included), a sample of the others' (they are foreign to
// every corpus filter: one path), and numbers no table has.
std::vector<std::pair<std::uint32_t, std::uint32_t>> syscall_points() {
  const std::set<Arch> used = {Arch::x86_64, Arch::x32, Arch::i386, Arch::aarch64, Arch::arm, Arch::riscv64};
  std::set<std::pair<std::uint32_t, std::uint32_t>> points;
  for (const ArchInfo& info : all_arches()) {
    const std::uint32_t step = used.count(info.arch) ? 1 : 37;
    for (std::uint32_t nr = info.nr_offset; nr <= info.max_nr + 32; nr += step) points.insert({info.audit_arch, nr});
    for (std::uint32_t nr : {0u, 1000u, 0x7fffffffu, 0x80000000u, 0xffffffffu, 0xfffffff0u})
      points.insert({info.audit_arch, nr});
  }
  points.insert({0x12345678u, 0u});  // an arch nobody has
  return {points.begin(), points.end()};
}

// libseccomp's stale-accumulator bug (the accumulator-reload bug 2.6.1
// fixed): test::ambiguous_accumulator, shared with tests/differential_test.cpp.

struct Comparison {
  std::size_t cases = 0;
  std::size_t skipped_unloaded_nr = 0;
  std::size_t skipped_stale_accumulator = 0;
  std::vector<std::string> mismatches;
};

void compare_programs(const bpf::Program& reference, const bpf::Program& ours, Comparison& c) {
  static const auto vectors = argument_vectors();
  static const auto points = syscall_points();
  const std::vector<bool> stale = test::ambiguous_accumulator(reference);
  for (const auto& [arch, nr] : points) {
    for (std::size_t v = 0; v < vectors.size(); ++v) {
      bpf::SeccompData data;
      data.arch = arch;
      data.nr = static_cast<std::int32_t>(nr);
      for (int i = 0; i < 6; ++i) data.args[static_cast<std::size_t>(i)] = vectors[v][static_cast<std::size_t>(i)];
      const bpf::EmuResult a = bpf::emulate(reference, data);
      const bpf::EmuResult b = bpf::emulate(ours, data);
      ++c.cases;
      if (a.action != b.action) {
        // libseccomp's unloaded-nr bug (fixed in 2.6.1): its path compared
        // the arch value as a syscall number. Its decision is no decision.
        if (!a.read_nr) {
          ++c.skipped_unloaded_nr;
        } else if (std::any_of(a.path.begin(), a.path.end(), [&](std::uint16_t pc) { return stale[pc]; })) {
          ++c.skipped_stale_accumulator;
        } else if (c.mismatches.size() < 20) {
          c.mismatches.push_back(fmt::format("arch {:#x} nr {} args [{:#x} {:#x} {:#x} {:#x} {:#x} {:#x}]: libseccomp {} seccage {}",
                                             arch, static_cast<std::int32_t>(nr), data.args[0], data.args[1],
                                             data.args[2], data.args[3], data.args[4], data.args[5],
                                             a.action.to_string(), b.action.to_string()));
        }
      }
      // A path that reads no argument decides the same for all of them.
      if (v == 0 && !a.read_args && !b.read_args) break;
    }
  }
}

std::string fresh_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / fmt::format("seccage-compat-{}-{}", ::getpid(), name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

class CorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusTest, SameReturnCodesAndDecisions) {
  const std::string name = GetParam();
  const std::string programs = COMPAT_PROGRAM_DIR;
  const std::string ref_dir = fresh_dir(name + "-libseccomp");
  const std::string our_dir = fresh_dir(name + "-compat");

  ProgramResult ref = run_program({programs + "/corpus_" + name + "_system", ref_dir});
  RunOptions ours_options;
  // libseccomp's expansion of socket/IPC sub-calls, to compare like with like
  // (the Safe default is tested in compat_api_test.cpp).
  ours_options.env["SECCAGE_COMPAT_MULTIPLEX"] = "compatible";
  ProgramResult ours = run_program({programs + "/corpus_" + name + "_compat", our_dir}, ours_options);
  ASSERT_TRUE(ref.exited && ref.exit_code == 0) << "libseccomp build failed: " << ref.err;
  ASSERT_TRUE(ours.exited && ours.exit_code == 0) << "compat build failed (signal " << ours.signal << "): " << ours.err;
  EXPECT_EQ(ref.out, ours.out) << "return codes differ";

  std::set<std::string> exported;
  for (const auto& entry : fs::directory_iterator(ref_dir)) exported.insert(entry.path().filename().string());
  std::set<std::string> our_exported;
  for (const auto& entry : fs::directory_iterator(our_dir)) our_exported.insert(entry.path().filename().string());
  EXPECT_EQ(exported, our_exported);

  for (const std::string& file : exported) {
    if (!our_exported.count(file)) continue;
    const bpf::Program reference = bpf::read_raw_file(fs::path(ref_dir) / file);
    const bpf::Program mine = bpf::read_raw_file(fs::path(our_dir) / file);
    ASSERT_FALSE(bpf::verify(mine).has_value()) << file << ": " << bpf::verify(mine)->to_string();
    Comparison c;
    compare_programs(reference, mine, c);
    std::string report;
    for (const auto& m : c.mismatches) report += "  " + m + "\n";
    EXPECT_TRUE(c.mismatches.empty()) << file << ": decisions differ\n" << report;
    std::cout << fmt::format("[ corpus   ] {}: {} cases, {} instructions (libseccomp {}); skipped for libseccomp's "
                             "bugs: {} unloaded nr, {} stale accumulator\n",
                             file, c.cases, mine.size(), reference.size(), c.skipped_unloaded_nr,
                             c.skipped_stale_accumulator);
  }
  fs::remove_all(ref_dir);
  fs::remove_all(our_dir);
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusTest, ::testing::ValuesIn(corpus_names()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace seccage::compat_test
