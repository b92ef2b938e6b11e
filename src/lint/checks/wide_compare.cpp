// `seccage check` on JSON: 64-bit comparisons on arguments the kernel reads
// as 32 bits. OCI profiles keep libseccomp's meaning (all 64 bits), so a
// program can pass a value whose low word is what a rule is about and whose
// high word makes the comparison come out the other way:
//   * a rule stricter than the default (ERRNO write if arg0 == 2 under
//     ALLOW) misses write(0x100000002), which writes to fd 2;
//   * a rule laxer than the default (ALLOW socket if arg0 != AF_VSOCK under
//     ERRNO) lets socket(0x100000028) through, which makes an AF_VSOCK socket.
// Only comparisons where such a value exists are reported, with the value,
// so masked tests within the low word, or equality on an allowed value the
// kernel reads as itself, stay quiet.
#include <algorithm>
#include <optional>
#include <set>

#include <fmt/core.h>

#include "lint/lint_internal.hpp"

namespace seccage::lint_detail {
namespace {

// The argument as the kernel reads it.
std::uint64_t kernel_view(ArgWidth w, std::uint64_t a) { return Condition{0, CmpOp::EQ, 0, 0, w}.view(a); }

// A value that makes the 64-bit test `c` and the kernel's reading of the
// argument disagree in the direction that matters: `stricter` looks for a
// value the kernel reads as matching that the filter does not match, the
// other direction for one the filter matches that the kernel reads as not.
// The candidates cover every operator: the operand's low word and its
// neighbours, the sign boundary, each with the high words that flip a test.
std::optional<std::uint64_t> bypass(const Condition& c, ArgWidth w, bool stricter) {
  const std::uint64_t v = c.op == CmpOp::MaskedEq ? c.value & c.mask : c.value;
  const auto vl = static_cast<std::uint32_t>(v), vh = static_cast<std::uint32_t>(v >> 32);
  const auto ml = static_cast<std::uint32_t>(c.mask), mh = static_cast<std::uint32_t>(c.mask >> 32);
  const std::uint32_t lows[] = {vl, vl - 1, vl + 1, 0, 1, 0x7fffffff, 0x80000000, 0xffffffff, ml, ~ml};
  const std::uint32_t highs[] = {0, 1, 0xffffffff, 0x80000000, vh, vh + 1, vh - 1, mh, ~mh};
  for (std::uint32_t lo : lows) {
    for (std::uint32_t hi : highs) {
      const std::uint64_t a = std::uint64_t{hi} << 32 | lo;
      if (a == kernel_view(w, a)) continue;  // no high-word trick in it
      const bool filter = c.matches(a);
      const bool kernel = c.matches(kernel_view(w, a));
      if (stricter ? (kernel && !filter) : (filter && !kernel)) return a;
    }
  }
  return std::nullopt;
}

std::string number(std::uint64_t v) { return v < 0x10000 ? fmt::format("{}", v) : fmt::format("{:#x}", v); }

}  // namespace

void check_wide_compares(Context& ctx) {
  const Policy& p = ctx.policy;
  std::set<std::string> seen;  // one finding per origin and argument
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const Rule& r = p.rules[i];
    const auto* name = std::get_if<std::string>(&r.syscall);
    if (name == nullptr || r.action == p.default_action) continue;
    // A smaller kind is more severe (ActionKind follows the kernel's order).
    const bool stricter = r.action.kind < p.default_action.kind ||
                          (r.action.kind == p.default_action.kind && r.action.data != p.default_action.data);
    for (const Condition& c : r.conditions) {
      if (c.width != ArgWidth::U64) continue;
      const ArgWidth w = syscall_arg_width(*name, c.arg);
      if (w == ArgWidth::U64) continue;
      const auto a = bypass(c, w, stricter);
      if (!a) continue;
      const std::string origin = rule_origin(r, i + 1);
      if (!seen.insert(fmt::format("{}#{}#{}", origin, *name, c.arg)).second) continue;
      const std::uint64_t k = kernel_view(w, *a);
      ctx.add(Severity::Warning, "wide-compare",
              fmt::format("{} arg{} is {} to the kernel, but '{}' compares all 64 bits: a program passing {} "
                          "(which the kernel reads as {}) {} this {} rule",
                          *name, c.arg, w == ArgWidth::S32 ? "an int" : "an unsigned int", c.to_string(),
                          number(*a), number(k),
                          stricter ? "is not caught by" : "is let through by", r.action.to_string()),
              ctx.locate_origin(r.origin, *name), *name);
    }
  }
}

}  // namespace seccage::lint_detail
