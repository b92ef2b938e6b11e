#include "sandbox/decode.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <cstring>

#include <gtest/gtest.h>

#include "sandbox/decode/fake_memory.hpp"

namespace seccage::sandbox {
namespace {

using testing::FakeMemory;

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
            "socket(domain=AF_INET, type=SOCK_STREAM|SOCK_CLOEXEC, protocol=IPPROTO_IP)");
  EXPECT_EQ(decode_call(native_arch(), "unshare", {0x10000000, 0, 0, 0, 0, 0}, {}), "unshare(flags=CLONE_NEWUSER)");
  // Unknown signatures: six raw arguments.
  EXPECT_EQ(decode_call(native_arch(), "frobnicate", {1, 2, 3, 4, 5, 6}, {}), "frobnicate(0x1, 0x2, 0x3, 0x4, 0x5, 0x6)");
  // Quoting.
  EXPECT_EQ(quote(std::string("a\"b\\\x01", 5), true), "\"a\\\"b\\\\\\x01\"...");
}

TEST(Decode, StructuredFormNamesEveryArgumentWithItsRawValue) {
  FakeMemory mem;
  mem.blocks[0x4000] = std::string("/etc/passwd") + '\0';
  const std::uint64_t fdcwd = static_cast<std::uint64_t>(std::int64_t{-100});
  const DecodedCall d =
      decode_call_structured(Arch::x86_64, "openat", {fdcwd, 0x4000, 02000000, 0, 0, 0}, mem.reader());
  EXPECT_EQ(d.syscall, "openat");
  ASSERT_EQ(d.args.size(), 4u);
  EXPECT_EQ(d.args[0].name, "dirfd");
  EXPECT_EQ(d.args[0].raw, fdcwd);
  EXPECT_EQ(d.args[0].value, "AT_FDCWD");
  EXPECT_EQ(d.args[1].name, "pathname");
  EXPECT_EQ(d.args[1].raw, 0x4000u);
  EXPECT_EQ(d.args[1].value, "\"/etc/passwd\"");
  EXPECT_EQ(d.args[2].value, "O_RDONLY|O_CLOEXEC");
  EXPECT_EQ(d.args[3].value, "0");
  EXPECT_EQ(d.line, "openat(dirfd=AT_FDCWD, pathname=\"/etc/passwd\", flags=O_RDONLY|O_CLOEXEC, mode=0)");
  EXPECT_EQ(decode_call(Arch::x86_64, "openat", {fdcwd, 0x4000, 02000000, 0, 0, 0}, mem.reader()), d.line);
}

TEST(Decode, UnknownSyscallsGetSixRawArguments) {
  const DecodedCall d = decode_call_structured(Arch::x86_64, "frobnicate", {1, 2, 3, 4, 5, ~0ull}, {});
  ASSERT_EQ(d.args.size(), 6u);
  EXPECT_EQ(d.args[5].name, "arg5");
  EXPECT_EQ(d.args[5].raw, ~0ull);
  EXPECT_EQ(d.args[5].value, "0xffffffffffffffff");
  EXPECT_FALSE(has_signature(Arch::x86_64, "frobnicate"));
  EXPECT_TRUE(has_signature(Arch::x86_64, "readlink"));
}

TEST(Decode, SplitSixtyFourBitArgumentsAreLeftRawOnThirtyTwoBitAbis) {
  // pread64's offset takes two registers on i386 (and a padding one on arm):
  // from there on the arguments are not named.
  const DecodedCall i386 = decode_call_structured(Arch::i386, "pread64", {3, 0x1000, 10, 0x20, 0x1, 0}, {});
  ASSERT_EQ(i386.args.size(), 6u);
  EXPECT_EQ(i386.args[2].name, "count");
  EXPECT_EQ(i386.args[3].name, "arg3");
  EXPECT_EQ(i386.args[3].value, "0x20");
  // x32 passes it in one 64-bit register.
  const DecodedCall x32 = decode_call_structured(Arch::x32, "pread64", {3, 0x1000, 10, 0x100000020, 0, 0}, {});
  ASSERT_EQ(x32.args.size(), 4u);
  EXPECT_EQ(x32.args[3].value, "4294967328");
}

TEST(Decode, SocketcallIsDecodedAsTheCallItCarries) {
  // i386: socketcall(SYS_CONNECT, args) with args = {fd, addr, addrlen}.
  FakeMemory mem;
  mem.blocks[0x100] = FakeMemory::integer(3, 4) + FakeMemory::integer(0x200, 4) + FakeMemory::integer(16, 4);
  mem.blocks[0x200] = std::string("\x02\x00\x00\x50\x7f\x00\x00\x01", 8) + std::string(8, '\0');
  const DecodedCall d = decode_call_structured(Arch::i386, "socketcall", {3, 0x100, 0, 0, 0, 0}, mem.reader());
  ASSERT_EQ(d.args.size(), 2u);
  EXPECT_EQ(d.args[0].value, "connect");
  EXPECT_EQ(d.args[1].value, "connect(sockfd=3, addr={AF_INET, 127.0.0.1:80}, addrlen=16)");
}

}  // namespace
}  // namespace seccage::sandbox
