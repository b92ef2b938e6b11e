#include <gtest/gtest.h>

#include "seccage/action.hpp"

namespace seccage {
namespace {

TEST(ScmpActionNames, EveryKindHasAWritersNameThatReadsBack) {
  for (ActionKind k : {ActionKind::KillProcess, ActionKind::KillThread, ActionKind::Trap, ActionKind::Errno,
                       ActionKind::UserNotif, ActionKind::Trace, ActionKind::Log, ActionKind::Allow}) {
    const std::string_view name = scmp_action_name(k);
    ASSERT_FALSE(name.empty());
    EXPECT_EQ(action_kind_from_scmp_name(name), k) << name;
  }
}

TEST(ScmpActionNames, KillIsKillThreadButIsNeverWritten) {
  EXPECT_EQ(action_kind_from_scmp_name("SCMP_ACT_KILL"), ActionKind::KillThread);
  EXPECT_EQ(scmp_action_name(ActionKind::KillThread), "SCMP_ACT_KILL_THREAD");
  EXPECT_EQ(scmp_action_name(ActionKind::UserNotif), "SCMP_ACT_NOTIFY");
}

TEST(ScmpActionNames, ExactLookupButParseActionIgnoresCase) {
  EXPECT_FALSE(action_kind_from_scmp_name("scmp_act_allow"));
  EXPECT_FALSE(action_kind_from_scmp_name("SCMP_ACT_ALLOWED"));
  EXPECT_EQ(parse_action("scmp_act_allow"), Action::allow());
  EXPECT_EQ(parse_action("SCMP_ACT_KILL"), Action::kill_thread());
  EXPECT_EQ(parse_action("kill"), Action::kill_process());
  EXPECT_EQ(parse_action("SCMP_ACT_ERRNO(EACCES)"), Action::errno_(13));
  EXPECT_EQ(parse_action("errno"), Action::errno_(1));
  EXPECT_EQ(parse_action("trace(7)"), Action::trace(7));
  EXPECT_FALSE(parse_action("allow(1)"));
  EXPECT_FALSE(parse_action("errno(5000)"));
}

TEST(ScmpActionNames, OnlyErrnoAndTraceTakeData) {
  EXPECT_TRUE(scmp_action_takes_data(ActionKind::Errno));
  EXPECT_TRUE(scmp_action_takes_data(ActionKind::Trace));
  EXPECT_FALSE(scmp_action_takes_data(ActionKind::Trap));
  EXPECT_FALSE(scmp_action_takes_data(ActionKind::Allow));
}

}  // namespace
}  // namespace seccage
