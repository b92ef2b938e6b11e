#include "seccage/groups.hpp"

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "seccage/error.hpp"
#include "support/child.hpp"

namespace seccage {
namespace {

TEST(Groups, ExpansionMatchesTheDataFile) {
  // The data file carries systemd's own recursive expansion: ours must agree
  // for every group.
  std::ifstream in(std::string(SECCAGE_TEST_DATA_DIR) + "/data/systemd-syscall-groups.json");
  ASSERT_TRUE(in);
  const auto data = nlohmann::json::parse(in);
  std::size_t n = 0;
  for (const auto& g : data["groups"]) {
    std::vector<std::string> want = g["expanded_members"].get<std::vector<std::string>>();
    std::sort(want.begin(), want.end());
    EXPECT_EQ(expand_syscall_group(g["name"].get<std::string>()), want) << g["name"];
    ++n;
  }
  EXPECT_EQ(n, syscall_groups().size());
}

TEST(Groups, LookupAndNestedGroups) {
  ASSERT_TRUE(find_syscall_group("@system-service"));
  ASSERT_TRUE(find_syscall_group("system-service"));
  EXPECT_FALSE(find_syscall_group("@nope"));
  auto priv = expand_syscall_group("@privileged");
  // @privileged nests @chown: its members come along.
  EXPECT_TRUE(std::binary_search(priv.begin(), priv.end(), "fchownat"));
  EXPECT_TRUE(std::binary_search(priv.begin(), priv.end(), "setuid"));
  try {
    expand_syscall_group("@file-sytem");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "unknown syscall group '@file-sytem' (did you mean '@file-system'?); `seccage groups` lists them");
  }
}

TEST(Groups, GeneratedTableIsCurrent) {
  const std::string script = std::string(SECCAGE_SOURCE_DIR) + "/scripts/gen-groups.py";
  const test::CommandResult r = test::run_command({"/usr/bin/env", "python3", script, "--stdout"});
  ASSERT_EQ(r.exit_code(), 0) << script << ": " << r.err;
  const std::string& generated = r.status.output;
  std::ifstream in(std::string(SECCAGE_SOURCE_DIR) + "/src/policy/syscall_groups.inc");
  std::stringstream committed;
  committed << in.rdbuf();
  EXPECT_EQ(generated, committed.str()) << "run scripts/gen-groups.py";
}

}  // namespace
}  // namespace seccage
