#include "sandbox/decode.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <cstring>
#include <map>

#include <gtest/gtest.h>

namespace seccage::sandbox {
namespace {

// A fake address space: a few strings at chosen addresses.
struct FakeMemory {
  std::map<std::uint64_t, std::string> blocks;
  MemoryReader reader() const {
    return [this](std::uint64_t addr, std::size_t max, bool cstring) -> std::optional<std::string> {
      for (const auto& [start, bytes] : blocks) {
        if (addr < start || addr >= start + bytes.size()) continue;
        std::string s = bytes.substr(addr - start, max);
        if (cstring) {
          if (auto nul = s.find('\0'); nul != std::string::npos) s.resize(nul);
        }
        return s;
      }
      return std::nullopt;
    };
  }
};

TEST(Decode, WriteShowsTheBuffer) {
  FakeMemory mem;
  mem.blocks[0x1000] = "someting to stderr\n";
  const std::string d = decode_call(native_arch(), "write", {2, 0x1000, 19, 0, 0, 0}, mem.reader());
  EXPECT_EQ(d, "write(fd=2, buf=\"someting to stderr\\n\", count=19)");
}

TEST(Decode, LongBuffersAndStringsAreCut) {
  FakeMemory mem;
  mem.blocks[0x2000] = std::string(200, 'a');
  DecodeOptions o;
  o.string_limit = 8;
  EXPECT_EQ(decode_call(native_arch(), "write", {1, 0x2000, 200, 0, 0, 0}, mem.reader(), o),
            "write(fd=1, buf=\"aaaaaaaa\"..., count=200)");
  mem.blocks[0x3000] = std::string(20, 'p') + '\0';
  EXPECT_EQ(decode_call(native_arch(), "unlink", {0x3000, 0, 0, 0, 0, 0}, mem.reader(), o), "unlink(pathname=\"pppppppp\"...)");
}

TEST(Decode, OpenatNamesFlagsAndPath) {
  FakeMemory mem;
  mem.blocks[0x4000] = std::string("/tmp/out.txt") + '\0';
  const std::uint64_t fdcwd = static_cast<std::uint64_t>(static_cast<std::int64_t>(AT_FDCWD));
  const std::string d = decode_call(native_arch(), "openat", {fdcwd, 0x4000, O_WRONLY | O_CREAT | O_TRUNC, 0644, 0, 0}, mem.reader());
  EXPECT_EQ(d, "openat(dirfd=AT_FDCWD, pathname=\"/tmp/out.txt\", flags=O_WRONLY|O_CREAT|O_TRUNC, mode=0644)");
}

TEST(Decode, UnreadableMemoryShowsTheAddress) {
  FakeMemory mem;
  EXPECT_EQ(decode_call(native_arch(), "unlink", {0xdead0, 0, 0, 0, 0, 0}, mem.reader()), "unlink(pathname=0xdead0)");
  EXPECT_EQ(decode_call(native_arch(), "unlink", {0, 0, 0, 0, 0, 0}, mem.reader()), "unlink(pathname=NULL)");
  EXPECT_EQ(decode_call(native_arch(), "unlink", {0x10, 0, 0, 0, 0, 0}, MemoryReader{}), "unlink(pathname=0x10)");
}

TEST(Decode, ExecveArgv) {
  FakeMemory mem;
  mem.blocks[0x5000] = std::string("/bin/ls") + '\0';
  mem.blocks[0x6000] = std::string("ls") + '\0';
  mem.blocks[0x6100] = std::string("-l") + '\0';
  std::string vec(24, '\0');
  const std::uint64_t ptrs[3] = {0x6000, 0x6100, 0};
  std::memcpy(vec.data(), ptrs, sizeof ptrs);
  mem.blocks[0x7000] = vec;
  EXPECT_EQ(decode_call(Arch::x86_64, "execve", {0x5000, 0x7000, 0x8000, 0, 0, 0}, mem.reader()),
            "execve(pathname=\"/bin/ls\", argv=[\"ls\", \"-l\"], envp=0x8000)");
}

TEST(Decode, FlagsAndEnums) {
  EXPECT_EQ(open_flags(O_RDONLY | O_CLOEXEC), "O_RDONLY|O_CLOEXEC");
  EXPECT_EQ(prot_flags(PROT_READ | PROT_EXEC), "PROT_READ|PROT_EXEC");
  EXPECT_EQ(prot_flags(0), "PROT_NONE");
  EXPECT_EQ(signal_name(SIGKILL), "SIGKILL");
  EXPECT_EQ(decode_call(native_arch(), "kill", {static_cast<std::uint64_t>(-1), SIGTERM, 0, 0, 0, 0}, {}),
            "kill(pid=-1, sig=SIGTERM)");
  EXPECT_EQ(decode_call(native_arch(), "socket", {2, 1 | SOCK_CLOEXEC, 0, 0, 0, 0}, {}),
            "socket(domain=AF_INET, type=SOCK_STREAM|SOCK_CLOEXEC, protocol=0)");
  EXPECT_EQ(decode_call(native_arch(), "unshare", {0x10000000, 0, 0, 0, 0, 0}, {}), "unshare(flags=CLONE_NEWUSER)");
  // Unknown signatures: six raw arguments.
  EXPECT_EQ(decode_call(native_arch(), "frobnicate", {1, 2, 3, 4, 5, 6}, {}), "frobnicate(0x1, 0x2, 0x3, 0x4, 0x5, 0x6)");
  // Quoting.
  EXPECT_EQ(quote(std::string("a\"b\\\x01", 5), true), "\"a\\\"b\\\\\\x01\"...");
}

}  // namespace
}  // namespace seccage::sandbox
