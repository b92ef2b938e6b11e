#include "seccage/atomic_file.hpp"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <string>

#include <gtest/gtest.h>

#include "seccage/error.hpp"
#include "support/temp_dir.hpp"

namespace seccage {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(AtomicFile, ReplacesARegularFileWhole) {
  test::TempDir dir;
  const auto file = dir.path / "out.txt";
  std::ofstream(file) << "an older and longer content";
  write_file_atomically(file, "new");
  EXPECT_EQ(slurp(file), "new");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path), {}), 1);  // no temporary left
}

// A FIFO is written through, and is still a FIFO after.
TEST(AtomicFile, WritesThroughAFifo) {
  test::TempDir dir;
  const auto fifo = dir.path / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto reader = std::async(std::launch::async, [&] { return slurp(fifo); });
  write_file_atomically(fifo, "through the pipe");
  EXPECT_EQ(reader.get(), "through the pipe");
  struct stat st {};
  ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

// A character device (a null device made here, never the machine's own) is
// written through, not replaced by a regular file.
TEST(AtomicFile, WritesThroughADeviceWithoutReplacingIt) {
  test::TempDir dir;
  const auto null = dir.path / "null";
  if (::mknod(null.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) GTEST_SKIP() << "mknod needs root";
  write_file_atomically(null, "discarded");
  struct stat st {};
  ASSERT_EQ(::stat(null.c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(AtomicFile, ADirectoryIsAnError) {
  test::TempDir dir;
  EXPECT_THROW(write_file_atomically(dir.path, "x"), SystemError);
}

}  // namespace
}  // namespace seccage
