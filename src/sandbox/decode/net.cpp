// Networking: address families, socket types (per arch family), protocols,
// socket addresses and message headers read from the caller's memory.
#include <arpa/inet.h>

#include <fmt/core.h>

#include "sandbox/decode/families.hpp"

namespace seccage::sandbox::decode_detail {
namespace {

// linux/socket.h: the same on every arch.
constexpr Named kFamilies[] = {
    {0, "AF_UNSPEC"},    {1, "AF_UNIX"},      {2, "AF_INET"},       {3, "AF_AX25"},     {4, "AF_IPX"},
    {5, "AF_APPLETALK"}, {6, "AF_NETROM"},    {7, "AF_BRIDGE"},     {8, "AF_ATMPVC"},   {9, "AF_X25"},
    {10, "AF_INET6"},    {11, "AF_ROSE"},     {12, "AF_DECnet"},    {13, "AF_NETBEUI"}, {14, "AF_SECURITY"},
    {15, "AF_KEY"},      {16, "AF_NETLINK"},  {17, "AF_PACKET"},    {18, "AF_ASH"},     {19, "AF_ECONET"},
    {20, "AF_ATMSVC"},   {21, "AF_RDS"},      {22, "AF_SNA"},       {23, "AF_IRDA"},    {24, "AF_PPPOX"},
    {25, "AF_WANPIPE"},  {26, "AF_LLC"},      {27, "AF_IB"},        {28, "AF_MPLS"},    {29, "AF_CAN"},
    {30, "AF_TIPC"},     {31, "AF_BLUETOOTH"}, {32, "AF_IUCV"},     {33, "AF_RXRPC"},   {34, "AF_ISDN"},
    {35, "AF_PHONET"},   {36, "AF_IEEE802154"}, {37, "AF_CAIF"},    {38, "AF_ALG"},     {39, "AF_NFC"},
    {40, "AF_VSOCK"},    {41, "AF_KCM"},      {42, "AF_QIPCRTR"},   {43, "AF_SMC"},     {44, "AF_XDP"},
    {45, "AF_MCTP"}};

constexpr Named kIpProtocols[] = {
    {0, "IPPROTO_IP"},   {1, "IPPROTO_ICMP"},  {2, "IPPROTO_IGMP"},    {6, "IPPROTO_TCP"},  {17, "IPPROTO_UDP"},
    {41, "IPPROTO_IPV6"}, {47, "IPPROTO_GRE"}, {50, "IPPROTO_ESP"},    {51, "IPPROTO_AH"},  {58, "IPPROTO_ICMPV6"},
    {132, "IPPROTO_SCTP"}, {136, "IPPROTO_UDPLITE"}, {255, "IPPROTO_RAW"}, {262, "IPPROTO_MPTCP"}};

constexpr Named kNetlinkProtocols[] = {
    {0, "NETLINK_ROUTE"},     {2, "NETLINK_USERSOCK"},   {3, "NETLINK_FIREWALL"},   {4, "NETLINK_SOCK_DIAG"},
    {5, "NETLINK_NFLOG"},     {6, "NETLINK_XFRM"},       {7, "NETLINK_SELINUX"},    {8, "NETLINK_ISCSI"},
    {9, "NETLINK_AUDIT"},     {10, "NETLINK_FIB_LOOKUP"}, {11, "NETLINK_CONNECTOR"}, {12, "NETLINK_NETFILTER"},
    {13, "NETLINK_IP6_FW"},   {14, "NETLINK_DNRTMSG"},   {15, "NETLINK_KOBJECT_UEVENT"}, {16, "NETLINK_GENERIC"},
    {18, "NETLINK_SCSITRANSPORT"}, {19, "NETLINK_ECRYPTFS"}, {20, "NETLINK_RDMA"}, {21, "NETLINK_CRYPTO"},
    {22, "NETLINK_SMC"}};

constexpr Named kEthProtocols[] = {{0x0003, "ETH_P_ALL"}, {0x0800, "ETH_P_IP"}, {0x0806, "ETH_P_ARP"},
                                   {0x86dd, "ETH_P_IPV6"}};

std::uint16_t swap16(std::uint64_t v) {
  return static_cast<std::uint16_t>(((v & 0xff) << 8) | ((v >> 8) & 0xff));
}

std::string inet4(std::string_view a, std::size_t at) {
  auto b = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(a[at + k])); };
  return fmt::format("{}.{}.{}.{}", b(0), b(1), b(2), b(3));
}

std::string inet6(std::string_view a, std::size_t at) {
  char text[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET6, a.data() + at, text, sizeof text);
  return text;
}

std::string unix_address(std::string_view raw) {
  if (raw.size() <= 2) return "{AF_UNIX, unnamed}";
  std::string_view path = raw.substr(2);
  // A leading NUL makes the name abstract: every byte of addrlen counts.
  if (path[0] == '\0') return fmt::format("{{AF_UNIX, @{}}}", quote(path.substr(1), false));
  if (auto nul = path.find('\0'); nul != std::string_view::npos) path = path.substr(0, nul);
  return fmt::format("{{AF_UNIX, {}}}", quote(path, false));
}

}  // namespace

std::string address_family(std::uint64_t family) { return enum_name(family, kFamilies); }

std::string socket_type(Arch arch, std::uint64_t type) {
  const Family family = family_of(arch);
  std::string base;
  const std::uint64_t kind = type & 0xf;
  if (family == Family::Mips && (kind == 1 || kind == 2)) {
    base = kind == 1 ? "SOCK_DGRAM" : "SOCK_STREAM";  // swapped on MIPS
  } else {
    static constexpr Named kTypes[] = {{1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"}, {3, "SOCK_RAW"},
                                       {4, "SOCK_RDM"},    {5, "SOCK_SEQPACKET"}, {6, "SOCK_DCCP"},
                                       {10, "SOCK_PACKET"}};
    base = enum_name(kind, kTypes);
  }
  type &= ~std::uint64_t{0xf};
  if (type == 0) return base;
  // SOCK_NONBLOCK and SOCK_CLOEXEC are O_NONBLOCK and O_CLOEXEC.
  std::uint64_t nonblock = 04000, cloexec = 02000000;
  if (family == Family::Mips) nonblock = 0x80;
  if (family == Family::Parisc) nonblock = 0x40000000, cloexec = 010000000;
  const Named flags[] = {{nonblock, "SOCK_NONBLOCK"}, {cloexec, "SOCK_CLOEXEC"}};
  // accept4 and socketpair's flags alone: no type to name.
  return flag_names(type, flags, kind == 0 ? std::string() : base);
}

std::string socket_protocol(const Call& call, std::size_t i, std::size_t domain_index) {
  const auto protocol = static_cast<std::uint32_t>(call.args[i]);
  switch (static_cast<std::uint32_t>(call.args[domain_index])) {
    case 2:
    case 10: return enum_name(protocol, kIpProtocols);
    case 16: return enum_name(protocol, kNetlinkProtocols);
    case 17: {
      // AF_PACKET takes the Ethernet type in network byte order.
      const std::uint16_t host = call.little_endian() ? swap16(protocol) : static_cast<std::uint16_t>(protocol);
      if (protocol > 0xffff) break;
      if (auto n = find_name(host, kEthProtocols)) return fmt::format("htons({})", *n);
      return fmt::format("htons({:#06x})", host);
    }
    default: break;
  }
  return fmt::format("{}", protocol);
}

std::string socket_address(const Call& call, std::uint64_t addr, std::uint64_t len) {
  // sockaddr_storage is 128 bytes; the kernel refuses longer addresses.
  const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(static_cast<std::uint32_t>(len), 128));
  if (wanted < 2 || !call.reader) return pointer(addr);
  // A short read (the address ends at an unmapped page) keeps what it got.
  auto raw = call.reader(addr, wanted, false);
  if (!raw || raw->size() < 2) return pointer(addr);
  const std::size_t size = raw->size();
  const bool le = call.little_endian();
  const std::uint64_t family = load(*raw, 0, 2, le);
  auto be16 = [&](std::size_t at) { return load(*raw, at, 2, false); };
  auto u32 = [&](std::size_t at) { return load(*raw, at, 4, le); };
  switch (family) {
    case 0: return "{AF_UNSPEC}";
    case 1: return unix_address(*raw);
    case 2:
      if (size < 8) break;
      return fmt::format("{{AF_INET, {}:{}}}", inet4(*raw, 4), be16(2));
    case 10: {
      if (size < 24) break;
      std::string host = inet6(*raw, 8);
      if (size >= 28 && u32(24) != 0) host += fmt::format("%{}", u32(24));
      return fmt::format("{{AF_INET6, [{}]:{}}}", host, be16(2));
    }
    case 16:
      if (size < 12) break;
      return fmt::format("{{AF_NETLINK, pid={}, groups={:#x}}}", u32(4), u32(8));
    case 17:
      if (size < 12) break;
      return fmt::format("{{AF_PACKET, protocol={:#06x}, ifindex={}}}", be16(2),
                         static_cast<std::int32_t>(u32(4)));
    case 40:
      if (size < 12) break;
      return fmt::format("{{AF_VSOCK, cid={}, port={}}}", u32(8), u32(4));
    default: break;
  }
  return fmt::format("{{{}, {} bytes}}", address_family(family), size);
}

std::string message_header(const Call& call, std::uint64_t addr) {
  // struct msghdr: name, namelen (int), iov, iovlen (size_t), control,
  // controllen (size_t), flags (int), laid out in the ABI's word size.
  const std::size_t w = call.word();
  const std::size_t size = w == 8 ? 56 : 28;
  auto raw = call.bytes(addr, size);
  if (!raw) return pointer(addr);
  const bool le = call.little_endian();
  const std::uint64_t name = load(*raw, 0, w, le);
  const std::uint64_t namelen = load(*raw, w, 4, le);
  const std::uint64_t iovlen = load(*raw, 3 * w, w, le);
  const std::uint64_t controllen = load(*raw, 5 * w, w, le);
  const std::uint64_t flags = load(*raw, 6 * w, 4, le);
  const std::string shown = name == 0 ? std::string("NULL") : socket_address(call, name, namelen);
  return fmt::format("{{name={}, iovlen={}, controllen={}, flags={}}}", shown, iovlen, controllen,
                     message_flags(flags));
}

std::string socket_level(Arch arch, std::uint64_t level) {
  const Family family = family_of(arch);
  const std::uint64_t sol_socket = family == Family::Mips || family == Family::Parisc ? 0xffff : 1;
  if (static_cast<std::uint32_t>(level) == sol_socket) return "SOL_SOCKET";
  static constexpr Named kLevels[] = {{0, "SOL_IP"},      {6, "SOL_TCP"},     {17, "SOL_UDP"},  {41, "SOL_IPV6"},
                                      {255, "SOL_RAW"},   {263, "SOL_PACKET"}, {270, "SOL_NETLINK"},
                                      {279, "SOL_ALG"},   {282, "SOL_TLS"}};
  return enum_name(static_cast<std::uint32_t>(level), kLevels);
}

std::string message_flags(std::uint64_t flags) {
  static constexpr Named kMsg[] = {
      {1, "MSG_OOB"},          {2, "MSG_PEEK"},         {4, "MSG_DONTROUTE"},    {8, "MSG_CTRUNC"},
      {0x10, "MSG_PROXY"},     {0x20, "MSG_TRUNC"},     {0x40, "MSG_DONTWAIT"},  {0x80, "MSG_EOR"},
      {0x100, "MSG_WAITALL"},  {0x200, "MSG_FIN"},      {0x400, "MSG_SYN"},      {0x800, "MSG_CONFIRM"},
      {0x1000, "MSG_RST"},     {0x2000, "MSG_ERRQUEUE"}, {0x4000, "MSG_NOSIGNAL"}, {0x8000, "MSG_MORE"},
      {0x10000, "MSG_WAITFORONE"}, {0x40000, "MSG_BATCH"}, {0x4000000, "MSG_ZEROCOPY"},
      {0x20000000, "MSG_FASTOPEN"}, {0x40000000, "MSG_CMSG_CLOEXEC"}};
  return flag_names(static_cast<std::uint32_t>(flags), kMsg);
}

std::string shutdown_how(std::uint64_t how) {
  static constexpr Named kHow[] = {{0, "SHUT_RD"}, {1, "SHUT_WR"}, {2, "SHUT_RDWR"}};
  return enum_name(static_cast<std::uint32_t>(how), kHow);
}

}  // namespace seccage::sandbox::decode_detail
