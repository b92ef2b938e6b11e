#include <gtest/gtest.h>

#include "seccage/error.hpp"
#include "syntax/units.hpp"

namespace seccage::cli {
namespace {

TEST(SandboxUnits, Durations) {
  EXPECT_DOUBLE_EQ(parse_duration("1.5"), 1.5);
  EXPECT_DOUBLE_EQ(parse_duration("500ms"), 0.5);
  EXPECT_DOUBLE_EQ(parse_duration("2s"), 2.0);
  EXPECT_DOUBLE_EQ(parse_duration("1m"), 60.0);
  EXPECT_DOUBLE_EQ(parse_duration("1h"), 3600.0);
  for (const char* bad : {"", "abc", "-1", "0", "1x", "1.2.3", "ms"}) EXPECT_THROW(parse_duration(bad), InputError) << bad;
  try {
    parse_duration("3 fortnights");
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unit"), std::string::npos) << e.what();
  }
}

TEST(SandboxUnits, Sizes) {
  EXPECT_EQ(parse_size("4096"), 4096u);
  EXPECT_EQ(parse_size("64K"), 64u * 1024);
  EXPECT_EQ(parse_size("64M"), 64u * 1024 * 1024);
  EXPECT_EQ(parse_size("64MiB"), 64u * 1024 * 1024);
  EXPECT_EQ(parse_size("64MB"), 64u * 1024 * 1024);
  EXPECT_EQ(parse_size("1G"), 1024ull * 1024 * 1024);
  EXPECT_EQ(parse_size("1.5K"), 1536u);
  for (const char* bad : {"", "K", "-5", "0", "12Q", "99999999999T"}) EXPECT_THROW(parse_size(bad), InputError) << bad;
}

}  // namespace
}  // namespace seccage::cli
