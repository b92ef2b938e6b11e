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

TEST(SandboxUnits, CountsAreNumbersAsEveryFrontEndWritesThem) {
  EXPECT_EQ(parse_count("--nofile", "64"), 64u);
  EXPECT_EQ(parse_count("--nofile", "0x40"), 64u);
  EXPECT_EQ(parse_count("--nofile", "0b1000000"), 64u);
  EXPECT_EQ(parse_count("--nofile", "0100"), 64u);  // octal, as in the text language
  EXPECT_EQ(parse_count("--nofile", "0"), 0u);
  for (const char* bad : {"", "-1", "12abc", "1e3", " 5", "99999999999999999999"}) {
    try {
      parse_count("--nofile", bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("--nofile '"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace seccage::cli
