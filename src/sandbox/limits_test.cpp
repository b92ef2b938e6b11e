#include "sandbox/limits.hpp"

#include <csignal>

#include <gtest/gtest.h>

namespace seccage::sandbox {
namespace {

TEST(SandboxLimits, RlimitsFromOptions) {
  Limits l;
  l.cpu_seconds = 1.2;
  l.memory = 1 << 20;
  auto s = rlimits_for(l);
  bool cpu = false, as = false, core = false;
  for (const auto& r : s) {
    if (r.resource == RLIMIT_CPU) {
      cpu = true;
      EXPECT_EQ(r.soft, 2u);  // rounded up; seccage samples for the fraction
      EXPECT_EQ(r.hard, 3u);
    }
    if (r.resource == RLIMIT_AS) as = r.soft == (1u << 20);
    // 1 (soft and hard): the only value that stops a piped core_pattern's
    // helper too (the kernel checks it for pipes), and less than a page, so
    // no core file either.
    if (r.resource == RLIMIT_CORE) core = r.soft == 1 && r.hard == 1;
  }
  EXPECT_TRUE(cpu && as && core);
  l.core_dumps = true;
  for (const auto& r : rlimits_for(l)) EXPECT_NE(r.resource, RLIMIT_CORE);
}

TEST(SandboxLimits, Verdicts) {
  Limits none;
  Observed ok;
  ok.exited = true;
  EXPECT_EQ(verdict_for(none, ok), Verdict::Ok);
  Observed failed = ok;
  failed.exit_code = 3;
  EXPECT_EQ(verdict_for(none, failed), Verdict::RuntimeError);
  Observed denied = ok;
  denied.violations = 1;
  EXPECT_EQ(verdict_for(none, denied), Verdict::Violation);
  Observed wall;
  wall.signal = SIGKILL;
  wall.wall_limit_hit = true;
  wall.violations = 2;
  EXPECT_EQ(verdict_for(none, wall), Verdict::WallTimeLimit);
  Limits cpu;
  cpu.cpu_seconds = 1;
  Observed xcpu;
  xcpu.signal = SIGXCPU;
  EXPECT_EQ(verdict_for(cpu, xcpu), Verdict::CpuTimeLimit);
  Limits mem;
  mem.memory = 100 * 1024;  // 100 kB
  Observed oom = failed;
  oom.peak_vm_kb = 95;
  EXPECT_EQ(verdict_for(mem, oom), Verdict::MemoryLimit);
  oom.peak_vm_kb = 50;
  EXPECT_EQ(verdict_for(mem, oom), Verdict::RuntimeError);
  Observed fine = ok;
  fine.peak_vm_kb = 99;  // close to the limit but successful
  EXPECT_EQ(verdict_for(mem, fine), Verdict::Ok);
}

}  // namespace
}  // namespace seccage::sandbox
