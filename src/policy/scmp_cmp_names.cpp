// The SCMP_CMP_* names of the comparison operators (see policy.hpp).
#include <array>

#include "seccage/policy.hpp"

namespace seccage {
namespace {

struct ScmpCmp {
  std::string_view name;
  CmpOp op;
};

constexpr std::array<ScmpCmp, 7> kScmpCmps{{
    {"SCMP_CMP_NE", CmpOp::NE},
    {"SCMP_CMP_LT", CmpOp::LT},
    {"SCMP_CMP_LE", CmpOp::LE},
    {"SCMP_CMP_EQ", CmpOp::EQ},
    {"SCMP_CMP_GE", CmpOp::GE},
    {"SCMP_CMP_GT", CmpOp::GT},
    {"SCMP_CMP_MASKED_EQ", CmpOp::MaskedEq},
}};

// The names alone, for did-you-mean lists.
constexpr std::array<std::string_view, kScmpCmps.size()> kNames = [] {
  std::array<std::string_view, kScmpCmps.size()> out{};
  for (std::size_t i = 0; i < kScmpCmps.size(); ++i) out[i] = kScmpCmps[i].name;
  return out;
}();

}  // namespace

std::span<const std::string_view> scmp_cmp_names() { return kNames; }

std::string_view scmp_cmp_name(CmpOp op) {
  for (const ScmpCmp& c : kScmpCmps)
    if (c.op == op) return c.name;
  return {};
}

std::optional<CmpOp> cmp_op_from_scmp_name(std::string_view name) {
  for (const ScmpCmp& c : kScmpCmps)
    if (c.name == name) return c.op;
  return std::nullopt;
}

}  // namespace seccage
