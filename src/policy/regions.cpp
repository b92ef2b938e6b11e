#include "policy/regions.hpp"

#include <algorithm>
#include <bit>
#include <limits>

namespace seccage::regions {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
using Kind = Term::Kind;

Term range(std::uint64_t lo, std::uint64_t hi, bool strict = false) { return {Kind::Range, lo, hi, strict}; }
Term ne_term(std::uint64_t v) { return {Kind::NotEq, v, 0, false}; }
Term cube(std::uint64_t mask, std::uint64_t value) { return {Kind::Cube, mask, value & mask, false}; }

// A term that accepts every value is no constraint at all.
bool is_full(const Term& t) {
  return (t.kind == Kind::Range && t.a == 0 && t.b == kMax) || (t.kind == Kind::Cube && t.a == 0);
}

// [lo, hi] as aligned power-of-two blocks, each a cube; at most 128.
std::vector<Term> blocks(std::uint64_t lo, std::uint64_t hi) {
  std::vector<Term> out;
  for (;;) {
    // Largest block starting at lo that is aligned and stays within hi.
    int bits = lo == 0 ? 64 : std::countr_zero(lo);
    while (bits > 0) {
      std::uint64_t size_minus_1 = bits == 64 ? kMax : (std::uint64_t{1} << bits) - 1;
      if (size_minus_1 <= hi - lo) break;
      --bits;
    }
    std::uint64_t size_minus_1 = bits == 64 ? kMax : (std::uint64_t{1} << bits) - 1;
    out.push_back(cube(~size_minus_1, lo));
    if (hi - lo == size_minus_1) return out;
    lo += size_minus_1 + 1;
  }
}

// The cube minus one value in it: for each free bit, the values that first
// differ from `v` there. Disjoint pieces.
std::vector<Term> cube_minus(const Term& c, std::uint64_t v) {
  std::vector<Term> out;
  std::uint64_t fixed = c.a;
  for (int bit = 63; bit >= 0; --bit) {
    std::uint64_t b = std::uint64_t{1} << bit;
    if (c.a & b) continue;
    out.push_back(cube(fixed | b, (c.b & c.a) | (v & fixed & ~c.a) | (~v & b)));
    fixed |= b;
  }
  return out;
}

std::vector<Term> meet(const Term& x, const Term& y) {
  if (x.kind == Kind::Range && y.kind == Kind::Range) {
    std::uint64_t lo = std::max(x.a, y.a), hi = std::min(x.b, y.b);
    if (lo > hi) return {};
    const Term& hint = lo == 0 ? (x.b == hi ? x : y) : (x.a == lo ? x : y);
    return {range(lo, hi, hint.strict)};
  }
  if (x.kind == Kind::NotEq && y.kind == Kind::NotEq) {
    if (x.a == y.a) return {x};
    std::uint64_t p = std::min(x.a, y.a), q = std::max(x.a, y.a);
    std::vector<Term> out;
    if (p > 0) out.push_back(range(0, p - 1));
    if (q - p > 1) out.push_back(range(p + 1, q - 1));
    if (q < kMax) out.push_back(range(q + 1, kMax));
    return out;
  }
  if (x.kind == Kind::Range && y.kind == Kind::NotEq) {
    if (y.a < x.a || y.a > x.b) return {x};
    std::vector<Term> out;
    if (y.a > x.a) out.push_back(range(x.a, y.a - 1));
    if (y.a < x.b) out.push_back(range(y.a + 1, x.b));
    return out;
  }
  if (x.kind == Kind::NotEq) return meet(y, x);
  if (x.kind == Kind::Cube && y.kind == Kind::Cube) {
    if ((x.b ^ y.b) & x.a & y.a) return {};
    return {cube(x.a | y.a, x.b | y.b)};
  }
  if (x.kind == Kind::Cube && y.kind == Kind::NotEq) {
    if (!x.contains(y.a)) return {x};
    return cube_minus(x, y.a);
  }
  if (x.kind == Kind::Range) return meet(y, x);
  // Cube and Range: split the range into cubes.
  std::vector<Term> out;
  for (const Term& blk : blocks(y.a, y.b))
    for (const Term& t : meet(x, blk)) out.push_back(t);
  return out;
}

std::vector<Term> negate(const Term& t) {
  switch (t.kind) {
    case Kind::Range: {
      if (t.a == t.b) return {ne_term(t.a)};
      std::vector<Term> out;
      // The complement of "< 5" reads best as ">= 5": flip the strictness.
      if (t.a > 0) out.push_back(range(0, t.a - 1, !t.strict));
      if (t.b < kMax) out.push_back(range(t.b + 1, kMax, !t.strict));
      return out;
    }
    case Kind::NotEq:
      return {range(t.a, t.a)};
    case Kind::Cube: {
      std::vector<Term> out;
      std::uint64_t prefix = 0;
      for (int bit = 63; bit >= 0; --bit) {
        std::uint64_t b = std::uint64_t{1} << bit;
        if (!(t.a & b)) continue;
        out.push_back(cube(prefix | b, (t.b & prefix) | (~t.b & b)));
        prefix |= b;
      }
      return out;
    }
  }
  return {};
}

void check_size(const Region& r) {
  if (r.size() > kMaxRegionSize)
    throw RegionTooComplex("the conditions combine into more than 4096 rules for one syscall");
}

Region conj_meet(const Conj& x, const Conj& y) {
  Region out{Conj{}};
  for (std::size_t i = 0; i < 6; ++i) {
    std::vector<std::optional<Term>> choices;
    if (!x[i]) choices.push_back(y[i]);
    else if (!y[i]) choices.push_back(x[i]);
    else
      for (const Term& t : meet(*x[i], *y[i])) choices.push_back(is_full(t) ? std::nullopt : std::optional<Term>(t));
    if (choices.empty()) return {};
    Region next;
    for (const Conj& c : out)
      for (const auto& t : choices) {
        Conj n = c;
        n[i] = t;
        next.push_back(n);
      }
    out = std::move(next);
    check_size(out);
  }
  return out;
}

}  // namespace

bool Term::contains(std::uint64_t v) const {
  switch (kind) {
    case Kind::Range: return v >= a && v <= b;
    case Kind::NotEq: return v != a;
    case Kind::Cube: return (v & a) == b;
  }
  return false;
}

namespace {

// Whether every value of `x` is in `y` (false when unsure).
bool subset(const Term& x, const Term& y) {
  if (y.kind == Kind::NotEq) return x.kind == Kind::NotEq ? x.a == y.a : !x.contains(y.a);
  if (x.kind == Kind::NotEq) return false;  // y is a Range or Cube, never everything
  if (x.kind == Kind::Range && y.kind == Kind::Range) return y.a <= x.a && x.b <= y.b;
  if (x.kind == Kind::Cube && y.kind == Kind::Cube) return (y.a & ~x.a) == 0 && ((x.b ^ y.b) & y.a) == 0;
  if (x.kind == Kind::Cube && y.kind == Kind::Range) return y.a <= x.b && (x.b | ~x.a) <= y.b;
  // Range in Cube: only a single value is checked.
  return x.a == x.b && y.contains(x.a);
}

bool conj_subset(const Conj& x, const Conj& y) {
  for (std::size_t i = 0; i < 6; ++i) {
    if (!y[i]) continue;
    if (!x[i] || !subset(*x[i], *y[i])) return false;
  }
  return true;
}

}  // namespace

Region simplify(const Region& r) {
  Region out;
  for (std::size_t i = 0; i < r.size(); ++i) {
    bool covered = false;
    for (std::size_t j = 0; j < r.size() && !covered; ++j) {
      if (i == j || !conj_subset(r[i], r[j])) continue;
      // Equal conjunctions cover each other: keep the first.
      covered = !conj_subset(r[j], r[i]) || j < i;
    }
    if (!covered) out.push_back(r[i]);
  }
  return out;
}

Region any_region() { return {Conj{}}; }

Region region_of(const Condition& c) {
  Term t;
  switch (c.op) {
    case CmpOp::EQ: t = range(c.value, c.value); break;
    case CmpOp::NE: t = ne_term(c.value); break;
    case CmpOp::LT:
      if (c.value == 0) return {};
      t = range(0, c.value - 1, true);
      break;
    case CmpOp::LE: t = range(0, c.value); break;
    case CmpOp::GT:
      if (c.value == kMax) return {};
      t = range(c.value + 1, kMax, true);
      break;
    case CmpOp::GE: t = range(c.value, kMax); break;
    case CmpOp::MaskedEq:
      // As libseccomp compiles it: the value's bits outside the mask are
      // dropped, not compared (the text reader refuses them in a policy).
      t = cube(c.mask, c.value & c.mask);
      break;
  }
  Conj conj{};
  if (c.arg < 6 && !is_full(t)) conj[c.arg] = t;
  return {conj};
}

Region intersect(const Region& x, const Region& y) {
  Region out;
  for (const Conj& a : x)
    for (const Conj& b : y) {
      Region part = conj_meet(a, b);
      out.insert(out.end(), part.begin(), part.end());
      check_size(out);
    }
  return out;
}

Region complement(const Region& r) {
  Region acc = any_region();
  for (const Conj& c : r) {
    // NOT (t0 AND t1 ...) = (NOT t0) OR (NOT t1) OR ...
    Region neg;
    for (std::size_t i = 0; i < 6; ++i) {
      if (!c[i]) continue;
      for (const Term& t : negate(*c[i])) {
        Conj n{};
        if (!is_full(t)) n[i] = t;
        neg.push_back(n);
      }
    }
    acc = intersect(acc, neg);
    if (acc.empty()) break;
  }
  return acc;
}

Region unite(Region x, const Region& y) {
  x.insert(x.end(), y.begin(), y.end());
  check_size(x);
  return x;
}

bool contains(const Region& r, const std::array<std::uint64_t, 6>& args) {
  return std::any_of(r.begin(), r.end(), [&](const Conj& c) {
    for (std::size_t i = 0; i < 6; ++i)
      if (c[i] && !c[i]->contains(args[i])) return false;
    return true;
  });
}

std::vector<std::vector<Condition>> to_conditions(const Region& r) {
  std::vector<std::vector<Condition>> out;
  for (const Conj& conj : r) {
    std::vector<std::vector<Condition>> alts{{}};
    for (std::size_t i = 0; i < 6; ++i) {
      if (!conj[i]) continue;
      const Term& t = *conj[i];
      const auto arg = static_cast<std::uint8_t>(i);
      std::vector<Condition> choices;
      if (t.kind == Kind::NotEq) {
        choices.push_back({arg, CmpOp::NE, t.a, 0});
      } else if (t.kind == Kind::Cube) {
        if (t.a == kMax) choices.push_back({arg, CmpOp::EQ, t.b, 0});
        else choices.push_back({arg, CmpOp::MaskedEq, t.b, t.a});
      } else if (t.a == t.b) {
        choices.push_back({arg, CmpOp::EQ, t.a, 0});
      } else if (t.a == 0) {
        choices.push_back(t.strict ? Condition{arg, CmpOp::LT, t.b + 1, 0} : Condition{arg, CmpOp::LE, t.b, 0});
      } else if (t.b == kMax) {
        choices.push_back(t.strict ? Condition{arg, CmpOp::GT, t.a - 1, 0} : Condition{arg, CmpOp::GE, t.a, 0});
      } else {
        // Bounded on both sides: one comparison cannot say it, aligned
        // masked equalities can.
        for (const Term& blk : blocks(t.a, t.b))
          choices.push_back(blk.a == kMax ? Condition{arg, CmpOp::EQ, blk.b, 0}
                                          : Condition{arg, CmpOp::MaskedEq, blk.b, blk.a});
      }
      std::vector<std::vector<Condition>> next;
      for (const auto& a : alts)
        for (const Condition& c : choices) {
          auto n = a;
          n.push_back(c);
          next.push_back(std::move(n));
        }
      alts = std::move(next);
      if (alts.size() + out.size() > kMaxRegionSize)
        throw RegionTooComplex("the conditions combine into more than 4096 rules for one syscall");
    }
    for (auto& a : alts) out.push_back(std::move(a));
  }
  return out;
}

}  // namespace seccage::regions
