#include "sandbox/decode/families.hpp"

#include <gtest/gtest.h>

#include "sandbox/decode/fake_memory.hpp"

namespace seccage::sandbox::decode_detail {
namespace {

using testing::FakeMemory;
using testing::value_of;

// sockaddr bytes: the family in the arch's byte order, then `rest`.
std::string sockaddr(std::uint16_t family, const std::string& rest, bool little_endian = true) {
  return FakeMemory::integer(family, 2, little_endian) + rest;
}

std::string addr_value(Arch arch, const FakeMemory& mem, std::uint64_t len) {
  return value_of(decode_call_structured(arch, "connect", {3, 0x1000, len, 0, 0, 0}, mem.reader()), "addr");
}

TEST(DecodeNet, InetAddresses) {
  FakeMemory mem;
  mem.blocks[0x1000] = sockaddr(2, std::string("\x1f\x90\x7f\x00\x00\x01", 6) + std::string(8, '\0'));
  EXPECT_EQ(decode_call(Arch::x86_64, "connect", {3, 0x1000, 16, 0, 0, 0}, mem.reader()),
            "connect(sockfd=3, addr={AF_INET, 127.0.0.1:8080}, addrlen=16)");
  // Big-endian: the family is stored the other way; the port is network order everywhere.
  mem.blocks[0x1000] = sockaddr(2, std::string("\x00\x35\x0a\x00\x00\x02", 6) + std::string(8, '\0'), false);
  EXPECT_EQ(addr_value(Arch::ppc64, mem, 16), "{AF_INET, 10.0.0.2:53}");
  std::string v6(24, '\0');
  v6[0] = '\x01';
  v6[1] = '\xbb';                 // port 443
  v6[21] = '\x01';                // ::1 in bytes 6..21
  mem.blocks[0x1000] = sockaddr(10, v6.substr(0, 22) + FakeMemory::integer(2, 4));
  EXPECT_EQ(addr_value(Arch::x86_64, mem, 28), "{AF_INET6, [::1%2]:443}");
  EXPECT_EQ(addr_value(Arch::x86_64, mem, 24), "{AF_INET6, [::1]:443}");
  // Shorter than the family's struct: shown by family and size.
  EXPECT_EQ(addr_value(Arch::x86_64, mem, 10), "{AF_INET6, 10 bytes}");
}

TEST(DecodeNet, UnixAddressesPathAbstractAndUnnamed) {
  FakeMemory mem;
  mem.blocks[0x1000] = sockaddr(1, std::string("/run/app.sock") + '\0' + std::string(50, 'x'));
  EXPECT_EQ(addr_value(Arch::x86_64, mem, 110), "{AF_UNIX, \"/run/app.sock\"}");
  // Abstract: a leading NUL, and every byte of addrlen is the name.
  mem.blocks[0x1000] = sockaddr(1, std::string("\0bus\0x", 6));
  EXPECT_EQ(addr_value(Arch::x86_64, mem, 8), "{AF_UNIX, @\"bus\\x00x\"}");
  EXPECT_EQ(addr_value(Arch::x86_64, mem, 2), "{AF_UNIX, unnamed}");
}

TEST(DecodeNet, OtherFamiliesAndBadMemory) {
  FakeMemory mem;
  mem.blocks[0x1000] = sockaddr(16, std::string(2, '\0') + FakeMemory::integer(0, 4) + FakeMemory::integer(1, 4));
  EXPECT_EQ(addr_value(Arch::x86_64, mem, 12), "{AF_NETLINK, pid=0, groups=0x1}");
  mem.blocks[0x1000] = sockaddr(31, std::string(8, '\0'));
  EXPECT_EQ(addr_value(Arch::x86_64, mem, 10), "{AF_BLUETOOTH, 10 bytes}");
  mem.blocks[0x1000] = sockaddr(0, std::string(14, '\0'));
  EXPECT_EQ(addr_value(Arch::x86_64, mem, 16), "{AF_UNSPEC}");
  // Unreadable, or a length the struct cannot have: the address.
  EXPECT_EQ(value_of(decode_call_structured(Arch::x86_64, "connect", {3, 0x9000, 16, 0, 0, 0}, mem.reader()), "addr"),
            "0x9000");
  EXPECT_EQ(addr_value(Arch::x86_64, mem, 1), "0x1000");
  EXPECT_EQ(addr_value(Arch::x86_64, mem, 0), "0x1000");
}

TEST(DecodeNet, SendtoAndSendmsgCarryTheDestination) {
  FakeMemory mem;
  mem.blocks[0x1000] = sockaddr(2, std::string("\x00\x35\x08\x08\x08\x08", 6) + std::string(8, '\0'));
  mem.blocks[0x2000] = "query";
  EXPECT_EQ(decode_call(Arch::x86_64, "sendto", {4, 0x2000, 5, 0x4000, 0x1000, 16}, mem.reader()),
            "sendto(sockfd=4, buf=\"query\", len=5, flags=MSG_NOSIGNAL, dest_addr={AF_INET, 8.8.8.8:53}, addrlen=16)");
  // struct msghdr on a 64-bit ABI: name, namelen (+pad), iov, iovlen, control, controllen, flags.
  mem.blocks[0x3000] = FakeMemory::integer(0x1000, 8) + FakeMemory::integer(16, 8) + FakeMemory::integer(0x4000, 8) +
                       FakeMemory::integer(1, 8) + FakeMemory::integer(0, 8) + FakeMemory::integer(0, 8) +
                       FakeMemory::integer(0, 8);
  EXPECT_EQ(value_of(decode_call_structured(Arch::x86_64, "sendmsg", {4, 0x3000, 0, 0, 0, 0}, mem.reader()), "msg"),
            "{name={AF_INET, 8.8.8.8:53}, iovlen=1, controllen=0, flags=0}");
  // The same on i386: 4-byte words.
  mem.blocks[0x3000] = FakeMemory::integer(0, 4) + FakeMemory::integer(0, 4) + FakeMemory::integer(0x4000, 4) +
                       FakeMemory::integer(2, 4) + FakeMemory::integer(0x5000, 4) + FakeMemory::integer(24, 4) +
                       FakeMemory::integer(0, 4);
  EXPECT_EQ(value_of(decode_call_structured(Arch::i386, "sendmsg", {4, 0x3000, 0, 0, 0, 0}, mem.reader()), "msg"),
            "{name=NULL, iovlen=2, controllen=24, flags=0}");
}

TEST(DecodeNet, SocketDomainTypeAndProtocol) {
  EXPECT_EQ(decode_call(Arch::x86_64, "socket", {10, 2 | 04000, 17, 0, 0, 0}, {}),
            "socket(domain=AF_INET6, type=SOCK_DGRAM|SOCK_NONBLOCK, protocol=IPPROTO_UDP)");
  EXPECT_EQ(decode_call(Arch::x86_64, "socket", {16, 3, 9, 0, 0, 0}, {}),
            "socket(domain=AF_NETLINK, type=SOCK_RAW, protocol=NETLINK_AUDIT)");
  EXPECT_EQ(decode_call(Arch::x86_64, "socket", {17, 3, 0x300, 0, 0, 0}, {}),
            "socket(domain=AF_PACKET, type=SOCK_RAW, protocol=htons(ETH_P_ALL))");
  // MIPS swaps SOCK_STREAM and SOCK_DGRAM, and SOCK_NONBLOCK is 0x80.
  EXPECT_EQ(socket_type(Arch::mipsel, 2 | 0x80), "SOCK_STREAM|SOCK_NONBLOCK");
  EXPECT_EQ(socket_type(Arch::mipsel, 04000), "0x800");
  EXPECT_EQ(decode_call(Arch::x86_64, "accept4", {3, 0, 0, 02000000, 0, 0}, {}),
            "accept4(sockfd=3, addr=NULL, addrlen=NULL, flags=SOCK_CLOEXEC)");
  EXPECT_EQ(socket_level(Arch::x86_64, 1), "SOL_SOCKET");
  EXPECT_EQ(socket_level(Arch::mips, 0xffff), "SOL_SOCKET");
  EXPECT_EQ(socket_level(Arch::mips, 1), "1");
}

}  // namespace
}  // namespace seccage::sandbox::decode_detail
