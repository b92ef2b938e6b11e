#include "policy/regions.hpp"

#include <random>

#include <gtest/gtest.h>

namespace seccage::regions {
namespace {

constexpr std::uint64_t kMax = ~std::uint64_t{0};

// Values near every boundary a small random condition can have, plus noise.
std::vector<std::uint64_t> probe_values(std::mt19937_64& rng) {
  std::vector<std::uint64_t> v = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 0xff, 0x100,
                                  0xffffffff, 0x100000000, kMax, kMax - 1, kMax - 7};
  for (int i = 0; i < 40; ++i) v.push_back(rng() % 70);
  for (int i = 0; i < 10; ++i) v.push_back(rng());
  return v;
}

Condition random_condition(std::mt19937_64& rng) {
  Condition c;
  c.arg = static_cast<std::uint8_t>(rng() % 3);
  c.op = static_cast<CmpOp>(rng() % 7);
  const std::uint64_t edge[] = {0, 1, 5, 8, 32, 63, kMax, kMax - 1};
  c.value = rng() % 4 == 0 ? edge[rng() % std::size(edge)] : rng() % 66;
  if (c.op == CmpOp::MaskedEq) {
    c.mask = rng() % 64;
    c.value = rng() % 3 == 0 ? c.value : c.value & c.mask;
  }
  return c;
}

// A random union of conjunctions, and the same as a predicate.
struct Sample {
  Region region;
  std::vector<std::vector<Condition>> dnf;
  bool eval(const std::array<std::uint64_t, 6>& a) const {
    for (const auto& conj : dnf) {
      bool all = true;
      for (const Condition& c : conj) all = all && c.matches(a[c.arg]);
      if (all) return true;
    }
    return false;
  }
};

Sample random_sample(std::mt19937_64& rng) {
  Sample s;
  const std::size_t n = 1 + rng() % 3;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<Condition> conj;
    Region r = any_region();
    for (std::size_t j = 0, m = 1 + rng() % 3; j < m; ++j) {
      conj.push_back(random_condition(rng));
      r = intersect(r, region_of(conj.back()));
    }
    s.dnf.push_back(conj);
    s.region = unite(s.region, r);
  }
  return s;
}

bool matches_conditions(const std::vector<std::vector<Condition>>& rules, const std::array<std::uint64_t, 6>& a) {
  for (const auto& conj : rules) {
    bool all = true;
    for (const Condition& c : conj) all = all && c.matches(a[c.arg]);
    if (all) return true;
  }
  return false;
}

TEST(TextRegions, IntersectComplementAndRulesAgreeWithBruteForce) {
  std::mt19937_64 rng(42);
  int too_complex = 0;
  for (int round = 0; round < 200; ++round) {
    Sample x = random_sample(rng), y = random_sample(rng);
    Region both, not_x, x_minus_y;
    std::vector<std::vector<Condition>> rules;
    try {
      both = intersect(x.region, y.region);
      not_x = complement(x.region);
      x_minus_y = intersect(x.region, complement(y.region));
      rules = to_conditions(simplify(x_minus_y));
    } catch (const RegionTooComplex&) {
      // Random masks with many free bits can legitimately need too many
      // rules; the language reports that as an error. Rare here.
      ++too_complex;
      continue;
    }
    for (const auto& conj : rules) {
      // The model's limit: one condition per argument.
      std::array<int, 6> seen{};
      for (const Condition& c : conj) EXPECT_EQ(++seen[c.arg], 1);
    }
    auto values = probe_values(rng);
    for (int k = 0; k < 200; ++k) {
      std::array<std::uint64_t, 6> a{values[rng() % values.size()], values[rng() % values.size()],
                                     values[rng() % values.size()], 0, 0, 0};
      ASSERT_EQ(contains(x.region, a), x.eval(a)) << "round " << round;
      ASSERT_EQ(contains(both, a), x.eval(a) && y.eval(a)) << "round " << round;
      ASSERT_EQ(contains(simplify(both), a), x.eval(a) && y.eval(a)) << "round " << round;
      ASSERT_EQ(contains(not_x, a), !x.eval(a)) << "round " << round;
      ASSERT_EQ(matches_conditions(rules, a), x.eval(a) && !y.eval(a)) << "round " << round;
    }
  }
  EXPECT_LT(too_complex, 30);
}

TEST(TextRegions, SimpleComplementsStayReadable) {
  // NOT (arg0 != 1) is one equality, NOT (arg2 & 4 == 0) one masked test:
  // the common "kill write: arg0 != 1" layering must not explode.
  auto r = to_conditions(complement(region_of({0, CmpOp::NE, 1, 0})));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], (std::vector<Condition>{{0, CmpOp::EQ, 1, 0}}));
  r = to_conditions(complement(region_of({2, CmpOp::MaskedEq, 0, 4})));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], (std::vector<Condition>{{2, CmpOp::MaskedEq, 4, 4}}));
  // NOT (arg1 < 5) reads as arg1 >= 5, NOT (arg1 <= 5) as arg1 > 5.
  r = to_conditions(complement(region_of({1, CmpOp::LT, 5, 0})));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], (std::vector<Condition>{{1, CmpOp::GE, 5, 0}}));
  r = to_conditions(complement(region_of({1, CmpOp::LE, 5, 0})));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], (std::vector<Condition>{{1, CmpOp::GT, 5, 0}}));
}

TEST(TextRegions, SimplifyDropsCoveredConjunctions) {
  Region r = unite(region_of({0, CmpOp::LE, 2, 0}),
                   intersect(region_of({0, CmpOp::LE, 1, 0}), region_of({1, CmpOp::NE, 0, 0})));
  r = unite(r, region_of({0, CmpOp::LE, 2, 0}));
  EXPECT_EQ(simplify(r), region_of({0, CmpOp::LE, 2, 0}));
}

TEST(TextRegions, ImpossibleConditionsAreEmpty) {
  EXPECT_TRUE(region_of({0, CmpOp::LT, 0, 0}).empty());
  EXPECT_TRUE(region_of({0, CmpOp::GT, kMax, 0}).empty());
  // A value bit outside the mask is dropped, as libseccomp compiles it
  // (issue 12): not empty, but the masked argument == 0.
  EXPECT_EQ(region_of({0, CmpOp::MaskedEq, 8, 4}), region_of({0, CmpOp::MaskedEq, 0, 4}));
  EXPECT_FALSE(region_of({0, CmpOp::MaskedEq, 8, 4}).empty());
  EXPECT_TRUE(intersect(region_of({0, CmpOp::EQ, 1, 0}), region_of({0, CmpOp::EQ, 2, 0})).empty());
  EXPECT_TRUE(complement(any_region()).empty());
}

TEST(TextRegions, BoundedRangeBecomesAlignedMaskedTests) {
  // 5 <= arg0 <= 10 cannot be one comparison: [5], [6,7], [8,9], [10].
  Region r = intersect(region_of({0, CmpOp::GE, 5, 0}), region_of({0, CmpOp::LE, 10, 0}));
  auto rules = to_conditions(r);
  EXPECT_EQ(rules.size(), 4u);
  for (std::uint64_t v = 0; v < 20; ++v)
    EXPECT_EQ(matches_conditions(rules, {v, 0, 0, 0, 0, 0}), v >= 5 && v <= 10) << v;
}

}  // namespace
}  // namespace seccage::regions
