// Runs the built `seccage fmt`, `groups` and `compile` on text policies.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/cli.hpp"

namespace seccage {
namespace {

using test::CliRun;
CliRun run_cli(const std::vector<std::string>& args) { return test::run_seccage(args); }

namespace fs = std::filesystem;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("seccage-fmt-test-" + std::to_string(getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

std::string slurp(const std::string& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(FmtCli, PrintsCanonicalFormAndChecksIt) {
  TempDir d;
  const std::string f = d.write("p.policy", "# why\ndefault kill\narch x86_64\nallow write,read\n");
  CliRun r = run_cli({"fmt", f});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "# why\ndefault kill\narch x86_64\nallow write, read\n");
  EXPECT_EQ(run_cli({"fmt", f, "--check"}).status, 1);
  EXPECT_EQ(run_cli({"fmt", f, "-o", f}).status, 0);
  EXPECT_EQ(slurp(f), r.out);
  CliRun again = run_cli({"fmt", f, "--check"});
  EXPECT_EQ(again.status, 0) << again.err;
  // --expand: the compiled canonical form, as any other format gets.
  CliRun expanded = run_cli({"fmt", f, "--expand"});
  EXPECT_EQ(expanded.out, "default kill\narch x86_64\n\nallow read, write\n");
}

// Issue 12: fmt never loses what was written. Comments (whole-line and
// trailing), includes, groups, `on` sections and the order of statements
// stay; only the layout changes, and formatting twice changes nothing.
TEST(FmtCli, KeepsCommentsIncludesGroupsAndOrder) {
  TempDir d;
  d.write("common.policy", "# shared\nkill ptrace\n");
  const std::string f = d.write("p.policy",
                                "# top comment\ndefault   errno(EPERM)\n\n\n\nallow @system-service   # the base\n"
                                "deny socket\nallow socket:arg0==AF_INET||arg0   ==AF_UNIX\ninclude \"common.policy\"\n"
                                "on x86_64 { kill ptrace }\nerrno( EACCES ) open: arg1 & (O_WRONLY|O_RDWR)!= 0 &&\n"
                                "\n  arg2 == 1\n\n");
  CliRun r = run_cli({"fmt", f});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "# top comment\n"
            "default errno(EPERM)\n"
            "\n"
            "allow @system-service  # the base\n"
            "deny socket\n"
            "allow socket: arg0 == AF_INET || arg0 == AF_UNIX\n"
            "include \"common.policy\"\n"
            "on x86_64 {\n"
            "  kill ptrace\n"
            "}\n"
            "errno(EACCES) open: arg1 & (O_WRONLY|O_RDWR) != 0 &&\n"
            "    arg2 == 1\n");
  const std::string g = d.write("q.policy", r.out);
  EXPECT_EQ(run_cli({"fmt", g, "--check"}).status, 0);
  // The formatted policy compiles to the same filter.
  CliRun before = run_cli({"compile", f, "--arch", "x86_64", "--format", "disasm"});
  CliRun after = run_cli({"compile", g, "--arch", "x86_64", "--format", "disasm"});
  ASSERT_EQ(before.status, 0) << before.err;
  EXPECT_EQ(before.out, after.out);
  // A file meant only to be included has no default; it is formatted too.
  EXPECT_EQ(run_cli({"fmt", (d.path / "common.policy").string(), "--check"}).status, 0);
}

// Issue 12: every shipped example is in canonical form.
TEST(FmtCli, EveryExampleIsInCanonicalForm) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(fs::path(SECCAGE_SOURCE_DIR) / "examples")) {
    if (e.path().extension() != ".policy") continue;
    ++n;
    CliRun r = run_cli({"fmt", e.path().string(), "--check"});
    EXPECT_EQ(r.status, 0) << e.path() << ": " << r.err;
  }
  EXPECT_GE(n, 5u);
}

TEST(FmtCli, BadInputWritesNothingAndExitsTwo) {
  TempDir d;
  const std::string bad = d.write("bad.policy", "default kill\nallow opnat\n");
  const std::string out = (d.path / "out.txt").string();
  CliRun r = run_cli({"fmt", bad, "-o", out});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "seccage: " + bad + ":2:7: unknown syscall 'opnat' (did you mean 'openat'?)\n");
  EXPECT_FALSE(fs::exists(out));
  // compile too: an existing output is left as it was.
  d.write("out.bpf", "old");
  r = run_cli({"compile", bad, "-o", (d.path / "out.bpf").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(slurp((d.path / "out.bpf").string()), "old");
  // An include cycle names the chain.
  d.write("a.policy", "default kill\ninclude \"b.policy\"\n");
  d.write("b.policy", "include \"a.policy\"\n");
  r = run_cli({"compile", (d.path / "a.policy").string(), "--format", "disasm"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("include cycle: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("a.policy -> "), std::string::npos) << r.err;
  // A missing file.
  r = run_cli({"fmt", (d.path / "missing.policy").string()});
  EXPECT_EQ(r.status, 2);
}

TEST(FmtCli, CompileReadsTextPolicies) {
  TempDir d;
  const std::string f = d.write("seed.policy", "default allow\narch x86_64\nkill write: arg0 != 1\n");
  CliRun r = run_cli({"compile", f, "--format", "disasm"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("KILL_PROCESS"), std::string::npos) << r.out;
}

TEST(FmtCli, GroupsListsAndResolves) {
  CliRun r = run_cli({"groups"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("@system-service"), std::string::npos);
  r = run_cli({"groups", "privileged", "--json", "--arch", "x86_64"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["name"], "@privileged");
  EXPECT_EQ(j["count"], 53);
  bool chown32_missing = false;
  for (const auto& m : j["syscalls"])
    if (m["name"] == "chown32") chown32_missing = !m["exists"].get<bool>();
  EXPECT_TRUE(chown32_missing);
  r = run_cli({"groups", "@file-sytem"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("did you mean '@file-system'?"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace seccage
