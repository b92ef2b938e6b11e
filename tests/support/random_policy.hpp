// Seeded random policies and argument vectors for the differential tests.
// Policies are small and dense on purpose: a handful of syscalls, many rules
// on each, operands drawn from a small per-policy pool, so that rules overlap,
// merge and conflict the way libseccomp's tree handling has to cope with.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "seccage/policy.hpp"

namespace seccage::test {

struct RandomPolicyOptions {
  std::vector<Arch> arches{Arch::x86_64};
  int max_syscalls = 3;       // distinct syscalls per policy
  int max_rules = 10;
  int max_conditions = 6;     // per rule, at most one per argument
  bool by_number = false;     // also rules by raw number (single native arch only)
  bool multiplexed = false;   // favour socketcall/ipc sub-calls (for i386 and friends)
  MultiplexMode multiplex = MultiplexMode::Compatible;
};

Policy random_policy(std::mt19937_64& rng, const RandomPolicyOptions& options);

// Argument vectors that probe the policy's comparisons: its own operands and
// their neighbours, word boundaries, high bits, masked variants, random bits.
std::vector<std::array<std::uint64_t, 6>> random_args(std::mt19937_64& rng, const Policy& policy, int count);

// One line per rule, for failure messages: "write ERRNO(1) if arg0 == 1 && ...".
std::string describe(const Policy& policy);

}  // namespace seccage::test
