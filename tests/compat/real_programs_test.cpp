// Real libseccomp programs, unchanged, on the drop-in: systemd-analyze, and
// Debian's crun and runc starting a container under Docker's default profile.
// The filter installed in the container's process is read back and compared
// with what the profile means and with seccage's own program for it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "model_check.hpp"
#include "run_program.hpp"
#include "seccage/bpf.hpp"
#include "seccage/compiler.hpp"
#include "seccage/load_policy.hpp"
#include "seccage/writers.hpp"

namespace seccage::compat_test {
namespace {

namespace fs = std::filesystem;
const std::string kDropIn = COMPAT_DROPIN_DIR;

TEST(CompatRealPrograms, SystemdAnalyzeSyscallFilter) {
  const std::string tool = "/usr/bin/systemd-analyze";
  if (!fs::exists(tool)) GTEST_SKIP() << "systemd-analyze is not installed";
  ProgramResult reference = run_program({tool, "syscall-filter"});
  RunOptions on_dropin;
  on_dropin.env["LD_LIBRARY_PATH"] = kDropIn;
  ProgramResult ours = run_program({tool, "syscall-filter"}, on_dropin);
  ASSERT_TRUE(ours.exited) << "signal " << ours.signal;
  EXPECT_EQ(ours.exit_code, reference.exit_code) << ours.err;
  EXPECT_NE(ours.out.find("@system-service"), std::string::npos);
  EXPECT_EQ(ours.out, reference.out);
}

// Docker's default profile as runc and crun get it: resolved for this host
// (x86_64, with i386 and x32) and written as plain OCI JSON.
Policy docker_policy() {
  PolicyLoadOptions options;
  options.arches = {native_arch()};
  return load_policy_file(fs::path(COMPAT_SOURCE_DIR) / "tests/data/profiles/docker-default.json", options).policy;
}

// A bundle whose only program is busybox's sleep, under the profile.
fs::path make_bundle(const Policy& policy) {
  fs::path bundle = fs::temp_directory_path() / fmt::format("seccage-compat-bundle-{}", ::getpid());
  fs::remove_all(bundle);
  fs::create_directories(bundle / "rootfs/bin");
  fs::create_directories(bundle / "rootfs/proc");
  fs::create_directories(bundle / "rootfs/dev");
  fs::copy_file("/bin/busybox", bundle / "rootfs/bin/busybox");
  fs::create_symlink("busybox", bundle / "rootfs/bin/sleep");
  std::ofstream(bundle / "config.json") << fmt::format(R"({{
  "ociVersion": "1.0.2",
  "process": {{"terminal": false, "user": {{"uid": 0, "gid": 0}}, "args": ["/bin/sleep", "60"],
               "env": ["PATH=/bin"], "cwd": "/", "noNewPrivileges": true}},
  "root": {{"path": "rootfs", "readonly": true}},
  "hostname": "compat",
  "mounts": [{{"destination": "/proc", "type": "proc", "source": "proc"}}],
  "linux": {{"namespaces": [{{"type": "pid"}}, {{"type": "mount"}}, {{"type": "ipc"}}, {{"type": "uts"}}],
             "seccomp": {}}}
}})",
                                                       write_oci_json(policy));
  return bundle;
}

struct Readback {
  bool ok = false;
  std::string why;
  bpf::Program program;
};

Readback start_and_read(const std::string& runtime, const fs::path& bundle, bool drop_in) {
  Readback r;
  const fs::path out = bundle / (drop_in ? "dropin.bpf" : "libseccomp.bpf");
  std::vector<std::string> argv = {"/bin/sh", COMPAT_SOURCE_DIR "/tests/compat/containers/run_container.sh", runtime,
                                   bundle.string(), out.string(), COMPAT_PROGRAM_DIR "/read_filter"};
  if (drop_in) argv.push_back(kDropIn);
  ProgramResult result = run_program(argv, {.env = {}, .terminal = false, .timeout_seconds = 60});
  if (!result.exited || result.exit_code != 0) {
    r.why = fmt::format("{} failed (exit {}, signal {}): {}", runtime, result.exit_code, result.signal, result.err);
    return r;
  }
  r.program = bpf::read_raw_file(out);
  r.ok = true;
  return r;
}

void container_test(const std::string& runtime) {
  if (!fs::exists(runtime)) GTEST_SKIP() << runtime << " is not installed (scripts/install-deps)";
  if (!fs::exists("/bin/busybox")) GTEST_SKIP() << "busybox-static is not installed (scripts/install-deps)";
  if (::geteuid() != 0) GTEST_SKIP() << "starting a container needs root";
  const Policy policy = docker_policy();
  const fs::path bundle = make_bundle(policy);

  Readback theirs = start_and_read(runtime, bundle, false);
  if (!theirs.ok) GTEST_SKIP() << "the runtime cannot start a container on this machine even with libseccomp: " << theirs.why;
  Readback ours = start_and_read(runtime, bundle, true);
  ASSERT_TRUE(ours.ok) << ours.why;

  // The drop-in's program, not libseccomp's, is in the container...
  EXPECT_NE(ours.program, theirs.program);
  EXPECT_LT(ours.program.size(), theirs.program.size());
  // ...and it decides exactly as the profile means, as the runtime hands it
  // over (libseccomp's meaning: the default action for unknown numbers; the
  // drop-in's Safe multiplexer mode).
  Policy as_loaded = policy;
  as_loaded.enosys_for_unknown = false;
  as_loaded.multiplex = MultiplexMode::Safe;
  // runc puts a stub of its own before the filter: numbers above the
  // highest one the profile names on an arch get ENOSYS (newer syscalls
  // fall back in libc). Those are runc's decisions, not the library's.
  std::function<bool(Arch, std::uint32_t)> skip;
  if (runtime.ends_with("runc")) {
    skip = [&](Arch arch, std::uint32_t nr) {
      std::uint32_t highest = 0;
      for (const Rule& r : policy.rules) {
        if (const auto* name = std::get_if<std::string>(&r.syscall)) {
          if (auto n = syscall_number(arch, *name)) highest = std::max(highest, *n);
        }
      }
      return nr > highest;
    };
  }
  const auto bad = mismatches_with_model(ours.program, as_loaded, skip);
  EXPECT_TRUE(bad.empty()) << bad.front();
  std::cout << fmt::format("[ {} ] container filter: seccage {} instructions, libseccomp {}\n", runtime,
                           ours.program.size(), theirs.program.size());
  fs::remove_all(bundle);
}

TEST(CompatRealPrograms, CrunStartsAContainerWithSeccagesFilter) { container_test("/usr/bin/crun"); }
TEST(CompatRealPrograms, RuncStartsAContainerWithSeccagesFilter) { container_test("/usr/bin/runc"); }

}  // namespace
}  // namespace seccage::compat_test
