#include <gtest/gtest.h>

#include "seccage/policy.hpp"

namespace seccage {
namespace {

TEST(ScmpCmpNames, EveryOperatorHasOneNameAndReadsBack) {
  for (CmpOp op : {CmpOp::EQ, CmpOp::NE, CmpOp::LT, CmpOp::LE, CmpOp::GT, CmpOp::GE, CmpOp::MaskedEq}) {
    const std::string_view name = scmp_cmp_name(op);
    ASSERT_FALSE(name.empty());
    EXPECT_EQ(cmp_op_from_scmp_name(name), op) << name;
  }
  EXPECT_EQ(scmp_cmp_names().size(), 7u);
}

TEST(ScmpCmpNames, SpelledAsLibseccompAndExactly) {
  EXPECT_EQ(scmp_cmp_name(CmpOp::MaskedEq), "SCMP_CMP_MASKED_EQ");
  EXPECT_EQ(scmp_cmp_name(CmpOp::GE), "SCMP_CMP_GE");
  EXPECT_EQ(scmp_cmp_names().front(), "SCMP_CMP_NE");  // libseccomp's enum order
  EXPECT_FALSE(cmp_op_from_scmp_name("scmp_cmp_eq"));
  EXPECT_FALSE(cmp_op_from_scmp_name("SCMP_CMP_EQUAL"));
}

}  // namespace
}  // namespace seccage
