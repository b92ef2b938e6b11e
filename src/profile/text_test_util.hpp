// Test helpers for the text language: compare what two policies decide by
// compiling both and running the programs in the emulator.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "seccage/bpf.hpp"
#include "seccage/compiler.hpp"
#include "seccage/policy.hpp"

namespace seccage::text_test {

// Argument values around the boundaries conditions use, plus random ones.
inline std::vector<std::array<std::uint64_t, 6>> arg_samples(unsigned seed = 1) {
  const std::uint64_t interesting[] = {0,          1,          2,         3,           4,  5,  6,
                                       7,          10,         0x20,      0x22,        0x41, 0x241, 02000000,
                                       0xffffffff, 0x100000000, ~0ull,    ~0ull - 99};
  std::vector<std::array<std::uint64_t, 6>> out;
  for (std::uint64_t v : interesting) out.push_back({v, v, v, v, v, v});
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 24; ++i) {
    std::array<std::uint64_t, 6> a{};
    for (auto& x : a) x = interesting[rng() % std::size(interesting)] ^ (rng() % 4 == 0 ? rng() : 0);
    out.push_back(a);
  }
  return out;
}

// Compiles both and checks that every syscall number of every arch of `a`
// (plus a few past the table's end) gets the same action for every sample.
inline ::testing::AssertionResult same_decisions(const Policy& a, const Policy& b) {
  const bpf::Program pa = compile(a);
  const bpf::Program pb = compile(b);
  const auto samples = arg_samples();
  for (Arch arch : a.effective_arches()) {
    const ArchInfo& info = arch_info(arch);
    const std::uint32_t first = info.nr_offset;
    for (std::uint32_t nr = first; nr <= info.max_nr + 8; ++nr) {
      for (const auto& args : samples) {
        bpf::SeccompData d;
        d.nr = static_cast<std::int32_t>(nr);
        d.arch = info.audit_arch;
        d.args = args;
        const Action x = bpf::emulate(pa, d, info.little_endian).action;
        const Action y = bpf::emulate(pb, d, info.little_endian).action;
        if (x != y) {
          auto name = syscall_name(arch, nr);
          return ::testing::AssertionFailure()
                 << fmt::format("{} nr {} ({}) args[0]={:#x} args[2]={:#x}: {} vs {}", arch_name(arch), nr,
                                name ? std::string(*name) : "?", args[0], args[2], x.to_string(), y.to_string());
        }
      }
    }
  }
  return ::testing::AssertionSuccess();
}

// What the compiled program decides for one call on `arch`.
inline Action decide(const bpf::Program& p, Arch arch, std::string_view name, std::array<std::uint64_t, 6> args = {}) {
  const ArchInfo& info = arch_info(arch);
  bpf::SeccompData d;
  d.nr = static_cast<std::int32_t>(*syscall_number(arch, name));
  d.arch = info.audit_arch;
  d.args = args;
  return bpf::emulate(p, d, info.little_endian).action;
}

}  // namespace seccage::text_test
