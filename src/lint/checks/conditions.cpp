// never-matches, always-matches, masked-value-outside-mask and
// wide-operand-on-32bit: conditions that do not say what they seem to.
#include "lint/checks/policy_checks.hpp"

#include <optional>

#include <fmt/core.h>

namespace seccage::lint_detail {

void check_conditions(Context& ctx, PolicyFacts& /*facts*/) {
  const Policy& p = ctx.policy;
  std::vector<Arch> narrow;
  for (Arch a : p.effective_arches())
    if (!arch_info(a).is_64bit) narrow.push_back(a);
  constexpr std::uint64_t kMax = ~std::uint64_t{0};
  for (const Rule& r : p.rules) {
    const std::string subject = to_string(r.syscall);
    for (const Condition& c : r.conditions) {
      const std::string cond = c.to_string();
      std::optional<std::string> never, always;
      switch (c.op) {
        case CmpOp::MaskedEq:
          // libseccomp (and so runc, crun and seccage) compares with the
          // value masked: bits outside the mask are dropped, not compared.
          if ((c.value & ~c.mask) != 0)
            ctx.add(Severity::Warning, "masked-value-outside-mask",
                    fmt::format("{}: condition `{}`: the value {:#x} has bits outside the mask {:#x}; they are "
                                "dropped, so the rule applies when the masked argument is {:#x}; write that value",
                                subject, cond, c.value, c.mask, c.value & c.mask),
                    ctx.locate_origin(r.origin, subject), subject);
          if (c.mask == 0) always = "the mask is 0, so the masked argument is always 0";
          break;
        case CmpOp::LT:
          if (c.value == 0) never = "no unsigned value is below 0";
          break;
        case CmpOp::GT:
          if (c.value == kMax) never = "no 64-bit value is above 0xffffffffffffffff";
          break;
        case CmpOp::GE:
          if (c.value == 0) always = "every unsigned value is >= 0";
          break;
        case CmpOp::LE:
          if (c.value == kMax) always = "every 64-bit value is <= 0xffffffffffffffff";
          break;
        default: break;
      }
      if (never) {
        ctx.add(Severity::Warning, "never-matches",
                fmt::format("{}: condition `{}` can never match: {}; the rule never applies", subject, cond, *never),
                ctx.locate_origin(r.origin, subject), subject);
      } else if (always) {
        ctx.add(Severity::Info, "always-matches",
                fmt::format("{}: condition `{}` always holds ({}); write the rule without it", subject, cond,
                            *always),
                ctx.locate_origin(r.origin, subject), subject);
      }
      // libseccomp compares only the low 32 bits on 32-bit ABIs: a larger
      // operand silently means something else there.
      const std::uint64_t operand = c.op == CmpOp::MaskedEq ? (c.value | c.mask) : c.value;
      if (!narrow.empty() && operand > 0xffffffffu && !never) {
        ctx.add(Severity::Warning, "wide-operand-on-32bit",
                fmt::format("{}: condition `{}` uses a value wider than 32 bits, but on {} only the low 32 bits of "
                            "arguments are compared, so there it means the low word alone",
                            subject, cond, arch_list(narrow)),
                ctx.locate_origin(r.origin, subject), subject);
      }
    }
  }
}

}  // namespace seccage::lint_detail
