// Decision equivalence of two seccomp programs: the syscall numbers worth
// comparing them on, and the comparison itself. Shared by the tests that
// check a round trip, a writer or another compiler against seccage.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "seccage/arch.hpp"
#include "seccage/bpf.hpp"

namespace seccage::test {

using ArgVector = std::array<std::uint64_t, 6>;

// Every number of the arch's table and its neighbours, and 16 past the end.
// Not a sweep of the whole range: arm's private numbers sit at 0xf0000.
inline std::set<std::uint32_t> comparison_numbers(Arch arch) {
  const ArchInfo& info = arch_info(arch);
  std::set<std::uint32_t> nrs;
  for (const SyscallEntry& e : syscall_table(arch))
    for (std::uint32_t n : {e.nr - 1, e.nr, e.nr + 1})
      if (n >= info.nr_offset) nrs.insert(n);
  for (std::uint32_t n = info.max_nr + 1; n <= info.max_nr + 16; ++n) nrs.insert(n);
  return nrs;
}

// Runs `a` and `b` on every comparison number of every arch in `arches`,
// with the argument vectors `args_for(arch, nr)` gives, and on a foreign arch
// (AUDIT_ARCH_ARM, in none of the tests' policies). Fails with the first
// `max_reported` differences.
inline ::testing::AssertionResult same_decisions(
    const bpf::Program& a, const bpf::Program& b, const std::vector<Arch>& arches,
    const std::function<const std::vector<ArgVector>&(Arch, std::uint32_t)>& args_for, std::size_t max_reported = 5) {
  std::size_t differences = 0;
  std::string report;
  auto compare = [&](const ArchInfo* info, std::uint32_t audit, std::uint32_t nr, const ArgVector& v) {
    bpf::SeccompData d;
    d.nr = static_cast<std::int32_t>(nr);
    d.arch = audit;
    d.args = v;
    const bool little_endian = info == nullptr || info->little_endian;
    const std::uint32_t ra = bpf::emulate(a, d, little_endian).ret, rb = bpf::emulate(b, d, little_endian).ret;
    if (ra != rb && ++differences <= max_reported)
      report += fmt::format("\n  {} nr {} args[0]={:#x}: {:#x} vs {:#x}", info ? info->name : "foreign arch", nr, v[0],
                            ra, rb);
  };
  for (Arch arch : arches) {
    const ArchInfo& info = arch_info(arch);
    for (std::uint32_t nr : comparison_numbers(arch))
      for (const ArgVector& v : args_for(arch, nr)) compare(&info, info.audit_arch, nr, v);
  }
  compare(nullptr, 0x40000028u /* AUDIT_ARCH_ARM */, 0, ArgVector{});
  if (differences == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << differences << " differences" << report;
}

}  // namespace seccage::test
