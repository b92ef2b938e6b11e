// Golden tests: each writer's output for fixed inputs, compared with the
// files under tests/golden/. After an intended change, regenerate with
//   SECCAGE_UPDATE_GOLDEN=1 build/tests/seccage_tests --gtest_filter='Golden*'
// and review `git diff tests/golden`. Also: `seccage compile --format ...`
// writes through the same writers, and writes nothing when it fails.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/core.h>

#include "seccage/compiler.hpp"
#include "seccage/profile.hpp"
#include "seccage/writers.hpp"
#include "support/cli.hpp"
#include "support/temp_dir.hpp"

namespace seccage {
namespace {

namespace fs = std::filesystem;

const fs::path kGolden = fs::path(SECCAGE_SOURCE_DIR) / "tests" / "golden";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool updating() {
  const char* v = std::getenv("SECCAGE_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

// Compares with the golden file, or rewrites it under SECCAGE_UPDATE_GOLDEN=1.
// A mismatch names the first differing line so the failure reads on its own.
void expect_golden(const std::string& name, const std::string& actual) {
  const fs::path path = kGolden / name;
  if (updating()) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(path)) << path << " is missing; create it with SECCAGE_UPDATE_GOLDEN=1";
  const std::string expected = slurp(path);
  if (expected == actual) return;
  std::istringstream e(expected), a(actual);
  std::string le, la;
  std::size_t line = 0;
  while (true) {
    ++line;
    const bool more_e = static_cast<bool>(std::getline(e, le));
    const bool more_a = static_cast<bool>(std::getline(a, la));
    if (!more_e && !more_a) break;
    if (le != la || more_e != more_a) {
      ADD_FAILURE() << "output differs from " << path << " at line " << line << ":\n  golden: "
                    << (more_e ? le : "<end of file>") << "\n  actual: " << (more_a ? la : "<end of output>")
                    << "\nIf the change is intended: SECCAGE_UPDATE_GOLDEN=1 seccage_tests --gtest_filter='Golden*', "
                       "then review `git diff tests/golden`.";
      return;
    }
  }
  ADD_FAILURE() << "output differs from " << path << " (line endings?)";
}

OciProfile small_profile() {
  OciResolveOptions ro;
  ro.host_arch = Arch::x86_64;
  return read_oci_profile(kGolden / "small.json", ro);
}

OciProfile docker_profile() {
  OciResolveOptions ro;
  ro.host_arch = Arch::x86_64;
  ro.kernel = parse_kernel_version("6.1");
  return read_oci_profile(fs::path(SECCAGE_TEST_DATA_DIR) / "profiles" / "docker-default.json", ro);
}

TEST(GoldenWriters, SmallOci) { expect_golden("small.oci.json", write_oci_json(small_profile().policy)); }

TEST(GoldenWriters, SmallSpo) {
  SpoWriteOptions o;
  o.name = "small";
  o.namespace_ = "demo";
  expect_golden("small.spo.yaml", write_spo_yaml(small_profile().policy, o));
}

TEST(GoldenWriters, SmallDot) { expect_golden("small.dot", write_dot(small_profile().policy, "small.json")); }

TEST(GoldenWriters, SmallC) {
  expect_golden("small.h", write_c_header(compile(small_profile().policy), "small.json"));
}

TEST(GoldenWriters, SmallBase64) { expect_golden("small.b64", write_base64_program(compile(small_profile().policy))); }

TEST(GoldenWriters, DockerDefaultResolvedOci) {
  expect_golden("docker-default.x86_64.oci.json", write_oci_json(docker_profile().policy));
}

TEST(GoldenWriters, DockerDefaultSpo) {
  SpoWriteOptions o;
  o.name = "docker-default";
  expect_golden("docker-default.x86_64.spo.yaml", write_spo_yaml(docker_profile().policy, o));
}

// ---- the CLI --------------------------------------------------------------------

struct TempDir : test::TempDir {
  TempDir() : test::TempDir("seccage-writers") {}
};

const auto seccage = [](const std::vector<std::string>& args) { return test::run_seccage_command(args); };

TEST(GoldenCli, CompileWritesEachFormatLikeTheWriters) {
  TempDir dir;
  const std::string small = (kGolden / "small.json").string();
  for (const auto& [format, golden] : std::vector<std::pair<std::string, std::string>>{
           {"oci", "small.oci.json"}, {"base64", "small.b64"}, {"dot", "small.dot"}}) {
    const fs::path out = dir.path / ("out." + format);
    const auto r = seccage({"compile", small, "--arch", "x86_64", "--arch", "aarch64", "--format", format, "-o",
                            out.string()});
    ASSERT_EQ(r.exit_code(), 0) << format << ": " << r.err;
    if (format == "dot") {
      // The title is the source name the CLI was given.
      EXPECT_NE(slurp(out).find("digraph seccage"), std::string::npos);
    } else {
      EXPECT_EQ(slurp(out), slurp(kGolden / golden)) << format;
    }
  }
  const fs::path spo = dir.path / "out.yaml";
  const auto r = seccage({"compile", small, "--arch", "x86_64", "--arch", "aarch64", "--format", "spo", "--name",
                          "small", "--namespace", "demo", "-o", spo.string()});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(slurp(spo), slurp(kGolden / "small.spo.yaml"));
}

TEST(GoldenCli, NothingIsWrittenWhenCompilingFails) {
  TempDir dir;
  const fs::path bad = dir.path / "bad.json";
  std::ofstream(bad) << R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALOW"}]})";
  const fs::path out = dir.path / "out.json";
  auto r = seccage({"compile", bad.string(), "--format", "oci", "-o", out.string()});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_NE(r.err.find("SCMP_ACT_ALLOW"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));

  // An existing file is left as it was, and no temporary file is left beside it.
  std::ofstream(out) << "previous";
  const std::string small = (kGolden / "small.json").string();
  r = seccage({"compile", small, "--format", "spo", "--name", "Bad_Name", "-o", out.string()});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_NE(r.err.find("Kubernetes name"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(out), "previous");
  r = seccage({"compile", dir.path.string() + "/missing.json", "--format", "oci", "-o", out.string()});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(slurp(out), "previous");
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir.path)) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 2u) << "bad.json and out.json only";
}

TEST(GoldenCli, UnwritableOutputFailsCleanly) {
  const std::string small = (kGolden / "small.json").string();
  const auto r = seccage({"compile", small, "--format", "oci", "-o", "/nonexistent-dir/out.json"});
  EXPECT_NE(r.exit_code(), 0);
  EXPECT_FALSE(fs::exists("/nonexistent-dir/out.json"));
}

}  // namespace
}  // namespace seccage
