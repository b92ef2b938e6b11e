#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "seccage/bpf.hpp"
#include "support/temp_dir.hpp"
#include "seccage/error.hpp"

namespace seccage::bpf {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class BpfRawIo : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = std::make_unique<test::TempDir>("seccage-rawio");
    dir_ = tmp_->path;
  }
  void TearDown() override { tmp_.reset(); }
  void write_bytes(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  std::string message_of(const fs::path& p) {
    try {
      read_raw_file(p);
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  }
  std::unique_ptr<test::TempDir> tmp_;
  fs::path dir_;
};

const Program kSample = {
    stmt(op::LD | op::W | op::ABS, kOffArch),
    jump(op::JMP | op::JEQ | op::K, 0xc000003e, 1, 0),
    stmt(op::RET | op::K, 0x80000000u),
    stmt(op::RET | op::K, 0x7fff0000u),
};

TEST_F(BpfRawIo, RoundTripsThroughAFileInHostOrder) {
  const fs::path p = dir_ / "f.bpf";
  write_raw_file(kSample, p);
  EXPECT_EQ(fs::file_size(p), kSample.size() * 8);
  EXPECT_EQ(read_raw_file(p), kSample);
  // The byte layout is struct sock_filter's: code (u16), jt, jf, k (u32).
  const auto raw = to_raw(kSample);
  std::uint16_t code = 0;
  std::uint32_t k = 0;
  std::memcpy(&code, raw.data() + 8, 2);
  std::memcpy(&k, raw.data() + 12, 4);
  EXPECT_EQ(code, op::JMP | op::JEQ | op::K);
  EXPECT_EQ(std::to_integer<int>(raw[10]), 1);  // jt
  EXPECT_EQ(k, 0xc000003eu);
}

TEST_F(BpfRawIo, WriteReplacesAtomicallyAndLeavesNoTemporaryFile) {
  const fs::path p = dir_ / "f.bpf";
  write_bytes(p, "old contents....");
  write_raw_file(kSample, p);
  EXPECT_EQ(read_raw_file(p), kSample);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++entries;
  EXPECT_EQ(entries, 1u);
  // Readable by others like any file made with the default umask.
  struct stat st {};
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  mode_t mask = ::umask(0);
  ::umask(mask);
  EXPECT_EQ(st.st_mode & 0777, 0666 & ~mask);
}

TEST_F(BpfRawIo, WriteIntoMissingDirectoryThrowsNamingTheFile) {
  const fs::path p = dir_ / "no-such-dir" / "f.bpf";
  try {
    write_raw_file(kSample, p);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos) << e.what();
  }
}

TEST_F(BpfRawIo, SizeNotAMultipleOfEight) {
  const fs::path p = dir_ / "f.bpf";
  write_bytes(p, std::string(13, '\0'));
  EXPECT_EQ(message_of(p), "file " + p.string() + ": 13 bytes is not a multiple of 8 (struct sock_filter)");
}

TEST_F(BpfRawIo, EmptyFile) {
  const fs::path p = dir_ / "f.bpf";
  write_bytes(p, "");
  EXPECT_NE(message_of(p).find("empty program"), std::string::npos) << message_of(p);
}

TEST_F(BpfRawIo, MoreThan4096Instructions) {
  const fs::path p = dir_ / "f.bpf";
  write_raw_file(Program(4096, stmt(op::RET | op::K, 0)), p);
  EXPECT_EQ(read_raw_file(p).size(), 4096u);
  write_bytes(p, std::string(4097 * 8, '\0'));
  EXPECT_NE(message_of(p).find("32776 bytes is more than the kernel's limit of 4096 instructions"), std::string::npos)
      << message_of(p);
}

TEST_F(BpfRawIo, UnreadableFilesGiveTheOsReason) {
  EXPECT_EQ(message_of(dir_ / "missing.bpf"),
            "file " + (dir_ / "missing.bpf").string() + ": cannot open: No such file or directory");
  EXPECT_NE(message_of(dir_).find("Is a directory"), std::string::npos) << message_of(dir_);
}

TEST_F(BpfRawIo, EndlessInputStopsAtTheLimit) {
  // /dev/zero never ends; the reader must stop past 4096 instructions.
  EXPECT_NE(message_of("/dev/zero").find("more than 32768 bytes"), std::string::npos) << message_of("/dev/zero");
}

TEST(BpfRawIoBytes, ReadRawChecksSizes) {
  EXPECT_THROW(read_raw({}), InputError);
  std::vector<std::byte> nine(9);
  EXPECT_THROW(read_raw(nine), InputError);
  std::vector<std::byte> eight(8);
  EXPECT_EQ(read_raw(eight).size(), 1u);
  EXPECT_TRUE(to_raw({}).empty());
}

}  // namespace
}  // namespace seccage::bpf
