#include "seccage/accounts.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace seccage::sandbox {
namespace {

std::string write_temp(const std::string& text) {
  char path[] = "/tmp/seccage-accounts-XXXXXX";
  const int fd = ::mkstemp(path);
  EXPECT_GE(fd, 0);
  ::close(fd);
  std::ofstream(path) << text;
  return path;
}

TEST(Accounts, UsersByNameAndUid) {
  const std::string passwd = write_temp(
      "# comment\n"
      "root:x:0:0:root:/root:/bin/bash\n"
      "+nisuser::::::\n"
      "broken:x:notanumber:1:::\n"
      "short:x:5\n"
      "judge:x:1500:1600:Judge:/home/judge:/bin/sh\n"
      "judge:x:1501:1601:second entry:/:/bin/sh\n"
      "nolf:x:7:8::/:/bin/sh");
  auto judge = find_user("judge", passwd);
  ASSERT_TRUE(judge);
  EXPECT_EQ(judge->uid, 1500u);
  EXPECT_EQ(judge->gid, 1600u);  // the first entry wins, as in getpwnam
  EXPECT_EQ(find_user("root", passwd)->uid, 0u);
  EXPECT_EQ(find_user("nolf", passwd)->gid, 8u);
  EXPECT_FALSE(find_user("broken", passwd));
  EXPECT_FALSE(find_user("short", passwd));
  EXPECT_FALSE(find_user("+nisuser", passwd));
  EXPECT_FALSE(find_user("nobody", passwd));
  EXPECT_FALSE(find_user("judg", passwd));
  EXPECT_EQ(find_user_by_uid(1501, passwd)->gid, 1601u);
  EXPECT_FALSE(find_user_by_uid(4242, passwd));
  EXPECT_FALSE(find_user("root", "/nonexistent/passwd"));
  ::unlink(passwd.c_str());
}

TEST(Accounts, GroupsByName) {
  const std::string group = write_temp("root:x:0:\nwheel:x:10:root,judge\nbad:x:ten:\njudges:x:1600:\n");
  EXPECT_EQ(find_group("wheel", group), std::optional<std::uint32_t>(10));
  EXPECT_EQ(find_group("judges", group), std::optional<std::uint32_t>(1600));
  EXPECT_FALSE(find_group("bad", group));
  EXPECT_FALSE(find_group("judge", group));
  ::unlink(group.c_str());
}

// The real files: root is uid 0 and group root is gid 0 on every Debian system.
TEST(Accounts, SystemFiles) {
  auto root = find_user("root");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->uid, 0u);
  EXPECT_EQ(find_user_by_uid(0)->gid, 0u);
  EXPECT_EQ(find_group("root"), std::optional<std::uint32_t>(0));
}

}  // namespace
}  // namespace seccage::sandbox
