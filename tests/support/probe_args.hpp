// Argument vectors for comparing two filters (or a filter and the semantics)
// on a policy: the policy's own operands, their neighbours, masks and the
// word boundaries, on every argument at once and one argument at a time.
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <vector>

#include "seccage/policy.hpp"

namespace seccage::test {

inline std::vector<std::array<std::uint64_t, 6>> probe_args(const Policy& p) {
  std::set<std::uint64_t> values{0, 1, 2, 0x7fffffff, 0xffffffffull, 0x100000000ull, 0x8000000000000000ull, ~0ull};
  for (const Rule& r : p.rules)
    for (const Condition& c : r.conditions)
      for (std::uint64_t v : {c.value, c.value + 1, c.value - 1, c.mask, c.value | c.mask, c.value | ~c.mask,
                              c.value ^ c.mask, c.value | (std::uint64_t{1} << 32)})
        values.insert(v);
  std::vector<std::array<std::uint64_t, 6>> out;
  for (std::uint64_t v : values) {
    out.push_back({v, v, v, v, v, v});
    for (std::size_t i = 0; i < 6; ++i) {
      std::array<std::uint64_t, 6> a{};
      a[i] = v;
      out.push_back(a);
    }
  }
  return out;
}

}  // namespace seccage::test
