// ioctl requests by name: the tty ones of asm-generic/ioctls.h (TIOCSTI,
// TIOCLINUX, TCGETS, FIONREAD, ...), the file-system ones the read-only
// preset refuses, sockets, block devices and seccomp's own. Requests built
// with _IOC() are encoded per arch (direction and size bits differ on ppc
// and MIPS, and a long's size is in some numbers); unnamed ones on an arch
// whose encoding is known are shown as _IOC(...), others in hex.
#include <fmt/core.h>

#include "sandbox/decode/families.hpp"

namespace seccage::sandbox::decode_detail {
namespace {

// asm-generic/ioctls.h and asm-generic/sockios.h: plain numbers, the same
// on the arches generic_tty_ioctls() lists.
constexpr Named kTty[] = {
    {0x5401, "TCGETS"},     {0x5402, "TCSETS"},     {0x5403, "TCSETSW"},      {0x5404, "TCSETSF"},
    {0x5405, "TCGETA"},     {0x5406, "TCSETA"},     {0x5407, "TCSETAW"},      {0x5408, "TCSETAF"},
    {0x5409, "TCSBRK"},     {0x540a, "TCXONC"},     {0x540b, "TCFLSH"},       {0x540c, "TIOCEXCL"},
    {0x540d, "TIOCNXCL"},   {0x540e, "TIOCSCTTY"},  {0x540f, "TIOCGPGRP"},    {0x5410, "TIOCSPGRP"},
    {0x5411, "TIOCOUTQ"},   {0x5412, "TIOCSTI"},    {0x5413, "TIOCGWINSZ"},   {0x5414, "TIOCSWINSZ"},
    {0x5415, "TIOCMGET"},   {0x5416, "TIOCMBIS"},   {0x5417, "TIOCMBIC"},     {0x5418, "TIOCMSET"},
    {0x5419, "TIOCGSOFTCAR"}, {0x541a, "TIOCSSOFTCAR"}, {0x541b, "FIONREAD"}, {0x541c, "TIOCLINUX"},
    {0x541d, "TIOCCONS"},   {0x541e, "TIOCGSERIAL"}, {0x541f, "TIOCSSERIAL"}, {0x5420, "TIOCPKT"},
    {0x5421, "FIONBIO"},    {0x5422, "TIOCNOTTY"},  {0x5423, "TIOCSETD"},     {0x5424, "TIOCGETD"},
    {0x5425, "TCSBRKP"},    {0x5427, "TIOCSBRK"},   {0x5428, "TIOCCBRK"},     {0x5429, "TIOCGSID"},
    {0x5437, "TIOCVHANGUP"}, {0x5441, "TIOCGPTPEER"}, {0x5450, "FIONCLEX"},   {0x5451, "FIOCLEX"},
    {0x5452, "FIOASYNC"},   {0x5453, "TIOCSERCONFIG"}, {0x5454, "TIOCSERGWILD"}, {0x5455, "TIOCSERSWILD"},
    {0x5456, "TIOCGLCKTRMIOS"}, {0x5457, "TIOCSLCKTRMIOS"}, {0x5458, "TIOCSERGSTRUCT"},
    {0x5459, "TIOCSERGETLSR"}, {0x545a, "TIOCSERGETMULTI"}, {0x545b, "TIOCSERSETMULTI"},
    {0x545c, "TIOCMIWAIT"}, {0x545d, "TIOCGICOUNT"}, {0x5460, "FIOQSIZE"},
    {0x8901, "FIOSETOWN"},  {0x8902, "SIOCSPGRP"},  {0x8903, "FIOGETOWN"},    {0x8904, "SIOCGPGRP"},
    {0x8905, "SIOCATMARK"}, {0x8906, "SIOCGSTAMP_OLD"}, {0x8907, "SIOCGSTAMPNS_OLD"}};

// linux/sockios.h: the same on every arch.
constexpr Named kSockets[] = {
    {0x890b, "SIOCADDRT"},    {0x890c, "SIOCDELRT"},    {0x8910, "SIOCGIFNAME"},   {0x8912, "SIOCGIFCONF"},
    {0x8913, "SIOCGIFFLAGS"}, {0x8914, "SIOCSIFFLAGS"}, {0x8915, "SIOCGIFADDR"},   {0x8916, "SIOCSIFADDR"},
    {0x8917, "SIOCGIFDSTADDR"}, {0x8918, "SIOCSIFDSTADDR"}, {0x8919, "SIOCGIFBRDADDR"}, {0x891a, "SIOCSIFBRDADDR"},
    {0x891b, "SIOCGIFNETMASK"}, {0x891c, "SIOCSIFNETMASK"}, {0x891d, "SIOCGIFMETRIC"}, {0x891e, "SIOCSIFMETRIC"},
    {0x8921, "SIOCGIFMTU"},   {0x8922, "SIOCSIFMTU"},   {0x8923, "SIOCSIFNAME"},   {0x8924, "SIOCSIFHWADDR"},
    {0x8927, "SIOCGIFHWADDR"}, {0x8931, "SIOCADDMULTI"}, {0x8932, "SIOCDELMULTI"}, {0x8933, "SIOCGIFINDEX"},
    {0x8936, "SIOCDIFADDR"},  {0x8938, "SIOCGIFCOUNT"}, {0x8942, "SIOCGIFTXQLEN"}, {0x8943, "SIOCSIFTXQLEN"},
    {0x8946, "SIOCETHTOOL"},  {0x8953, "SIOCDARP"},     {0x8954, "SIOCGARP"},      {0x8955, "SIOCSARP"},
    {0x89a0, "SIOCBRADDBR"},  {0x89a1, "SIOCBRDELBR"},  {0x89a2, "SIOCBRADDIF"},   {0x89a3, "SIOCBRDELIF"}};

enum Dir : std::uint8_t { kNone, kRead, kWrite, kReadWrite };
constexpr std::uint32_t kLong = 0xffffffff;  // size: the ABI's long

struct Encoded {
  std::string_view name;
  Dir dir;
  std::uint8_t type;
  std::uint8_t nr;
  std::uint32_t size;
};

// _IOC() requests: the same definitions on every arch, encoded per arch.
constexpr Encoded kEncoded[] = {
    {"FS_IOC_GETFLAGS", kRead, 'f', 1, kLong},        {"FS_IOC_SETFLAGS", kWrite, 'f', 2, kLong},
    {"FS_IOC_GETVERSION", kRead, 'v', 1, kLong},      {"FS_IOC_SETVERSION", kWrite, 'v', 2, kLong},
    {"FS_IOC32_GETFLAGS", kRead, 'f', 1, 4},          {"FS_IOC32_SETFLAGS", kWrite, 'f', 2, 4},
    {"FS_IOC32_GETVERSION", kRead, 'v', 1, 4},        {"FS_IOC32_SETVERSION", kWrite, 'v', 2, 4},
    {"EXT4_IOC_GETVERSION", kRead, 'f', 3, kLong},    {"EXT4_IOC_SETVERSION", kWrite, 'f', 4, kLong},
    {"EXT4_IOC32_GETVERSION", kRead, 'f', 3, 4},      {"EXT4_IOC32_SETVERSION", kWrite, 'f', 4, 4},
    {"FS_IOC_FIEMAP", kReadWrite, 'f', 11, 32},       {"EXT4_IOC_MOVE_EXT", kReadWrite, 'f', 15, 40},
    {"EXT4_IOC_RESIZE_FS", kWrite, 'f', 16, 8},       {"EXT4_IOC_SWAP_BOOT", kNone, 'f', 17, 0},
    {"FS_IOC_SET_ENCRYPTION_POLICY", kRead, 'f', 19, 12}, {"FS_IOC_GET_ENCRYPTION_POLICY", kWrite, 'f', 21, 12},
    {"FS_IOC_ENABLE_VERITY", kWrite, 'f', 133, 128},  {"FS_IOC_MEASURE_VERITY", kReadWrite, 'f', 134, 4},
    {"FS_IOC_FSGETXATTR", kRead, 'X', 31, 28},        {"FS_IOC_FSSETXATTR", kWrite, 'X', 32, 28},
    {"FIFREEZE", kReadWrite, 'X', 119, 4},            {"FITHAW", kReadWrite, 'X', 120, 4},
    {"FITRIM", kReadWrite, 'X', 121, 24},             {"FICLONE", kWrite, 0x94, 9, 4},
    {"FICLONERANGE", kWrite, 0x94, 13, 32},           {"FIDEDUPERANGE", kReadWrite, 0x94, 54, 24},
    {"FS_IOC_GETFSLABEL", kRead, 0x94, 49, 256},      {"FS_IOC_SETFSLABEL", kWrite, 0x94, 50, 256},
    {"BTRFS_IOC_SNAP_CREATE", kWrite, 0x94, 1, 4096}, {"BTRFS_IOC_DEFRAG", kWrite, 0x94, 2, 4096},
    {"BTRFS_IOC_RESIZE", kWrite, 0x94, 3, 4096},      {"BTRFS_IOC_SCAN_DEV", kWrite, 0x94, 4, 4096},
    {"BTRFS_IOC_SYNC", kNone, 0x94, 8, 0},            {"BTRFS_IOC_ADD_DEV", kWrite, 0x94, 10, 4096},
    {"BTRFS_IOC_RM_DEV", kWrite, 0x94, 11, 4096},     {"BTRFS_IOC_BALANCE", kWrite, 0x94, 12, 4096},
    {"BTRFS_IOC_SUBVOL_CREATE", kWrite, 0x94, 14, 4096}, {"BTRFS_IOC_SNAP_DESTROY", kWrite, 0x94, 15, 4096},
    {"BTRFS_IOC_SNAP_CREATE_V2", kWrite, 0x94, 23, 4096}, {"BTRFS_IOC_SUBVOL_CREATE_V2", kWrite, 0x94, 24, 4096},
    {"BTRFS_IOC_SUBVOL_GETFLAGS", kRead, 0x94, 25, 8}, {"BTRFS_IOC_SUBVOL_SETFLAGS", kWrite, 0x94, 26, 8},
    {"BTRFS_IOC_SNAP_DESTROY_V2", kWrite, 0x94, 63, 4096},
    {"BLKROSET", kNone, 0x12, 93, 0},                 {"BLKROGET", kNone, 0x12, 94, 0},
    {"BLKGETSIZE", kNone, 0x12, 96, 0},               {"BLKFLSBUF", kNone, 0x12, 97, 0},
    {"BLKSSZGET", kNone, 0x12, 104, 0},               {"BLKGETSIZE64", kRead, 0x12, 114, kLong},
    {"BLKDISCARD", kNone, 0x12, 119, 0},
    {"SECCOMP_IOCTL_NOTIF_RECV", kReadWrite, '!', 0, 80}, {"SECCOMP_IOCTL_NOTIF_SEND", kReadWrite, '!', 1, 24},
    {"SECCOMP_IOCTL_NOTIF_ID_VALID", kWrite, '!', 2, 8},  {"SECCOMP_IOCTL_NOTIF_ADDFD", kWrite, '!', 3, 24},
    {"SECCOMP_IOCTL_NOTIF_SET_FLAGS", kWrite, '!', 4, 8},
    {"TUNSETIFF", kWrite, 'T', 202, 4},               {"TUNGETIFF", kRead, 'T', 210, 4},
};
// asm-generic/ioctls.h's _IOC() tty requests: only where kTty holds.
constexpr Encoded kTtyEncoded[] = {
    {"TCGETS2", kRead, 'T', 0x2a, 44},  {"TCSETS2", kWrite, 'T', 0x2b, 44},   {"TCSETSW2", kWrite, 'T', 0x2c, 44},
    {"TCSETSF2", kWrite, 'T', 0x2d, 44}, {"TIOCGPTN", kRead, 'T', 0x30, 4},   {"TIOCSPTLCK", kWrite, 'T', 0x31, 4},
    {"TIOCGDEV", kRead, 'T', 0x32, 4},  {"TIOCSIG", kWrite, 'T', 0x36, 4},    {"TIOCGPKT", kRead, 'T', 0x38, 4},
    {"TIOCGPTLCK", kRead, 'T', 0x39, 4}, {"TIOCGEXCL", kRead, 'T', 0x40, 4}};

// How an arch encodes _IOC(): asm-generic/ioctl.h, or the ppc/MIPS layout
// (13 size bits, 3 direction bits with NONE=1, READ=2, WRITE=4).
struct Encoding {
  unsigned size_bits;
  std::uint32_t none, read, write;
};
constexpr Encoding kGenericEncoding{14, 0, 2, 1};
constexpr Encoding kPpcMipsEncoding{13, 1, 2, 4};

std::optional<Encoding> encoding_of(Arch arch) {
  switch (family_of(arch)) {
    case Family::Ppc:
    case Family::Mips: return kPpcMipsEncoding;
    case Family::Parisc: return std::nullopt;  // not carried
    default: return kGenericEncoding;  // x86, arm, aarch64, m68k, riscv, s390, loongarch, sh
  }
}

std::uint32_t encode(const Encoding& e, const Encoded& d, std::size_t word) {
  const std::uint32_t size = d.size == kLong ? static_cast<std::uint32_t>(word) : d.size;
  std::uint32_t dir = e.none;
  if (d.dir == kRead) dir = e.read;
  if (d.dir == kWrite) dir = e.write;
  if (d.dir == kReadWrite) dir = e.read | e.write;
  return (dir << (16 + e.size_bits)) | (size << 16) | (static_cast<std::uint32_t>(d.type) << 8) | d.nr;
}

std::optional<std::string_view> encoded_name(std::span<const Encoded> table, const Encoding& e, std::uint32_t request,
                                             std::size_t word) {
  for (const Encoded& d : table)
    if (encode(e, d, word) == request) return d.name;
  return std::nullopt;
}

// "_IOR('f', 0x1, 8)": the parts of an unnamed request.
std::string ioc_parts(const Encoding& e, std::uint32_t request) {
  const std::uint32_t dir = request >> (16 + e.size_bits);
  const std::uint32_t size = (request >> 16) & ((1u << e.size_bits) - 1);
  const std::uint32_t type = (request >> 8) & 0xff;
  const std::uint32_t nr = request & 0xff;
  const std::string t = type >= 0x20 && type < 0x7f && type != '\'' && type != '\\' ? fmt::format("'{}'", static_cast<char>(type))
                                                                                  : fmt::format("{:#x}", type);
  if (dir == e.none && size == 0) return fmt::format("_IO({}, {:#x})", t, nr);
  std::string macro;
  if (dir == e.read) macro = "_IOR";
  else if (dir == e.write) macro = "_IOW";
  else if (dir == (e.read | e.write)) macro = "_IOWR";
  else return hex(request);
  return fmt::format("{}({}, {:#x}, {})", macro, t, nr, size);
}

}  // namespace

std::string ioctl_request(Arch arch, std::uint64_t request) {
  // The kernel reads the request as an unsigned int.
  const auto r = static_cast<std::uint32_t>(request);
  const bool tty = generic_tty_ioctls(arch);
  if (tty) {
    if (auto n = find_name(r, kTty)) return std::string(*n);
  }
  if (auto n = find_name(r, kSockets)) return std::string(*n);
  const auto e = encoding_of(arch);
  if (!e) return hex(request);
  const std::size_t word = arch_info(arch).is_64bit ? 8 : 4;
  if (auto n = encoded_name(kEncoded, *e, r, word)) return std::string(*n);
  if (tty) {
    if (auto n = encoded_name(kTtyEncoded, *e, r, word)) return std::string(*n);
  }
  if (request > 0xffffffffu) return hex(request);
  return ioc_parts(*e, r);
}

std::string ioctl_argument(const Call& call, std::size_t i, std::size_t request_index) {
  const std::uint64_t v = call.args[i];
  const std::string request = ioctl_request(call.arch, call.args[request_index]);
  // TIOCSTI pushes one byte into the terminal's input: show it.
  if (request == "TIOCSTI") {
    if (auto b = call.bytes(v, 1)) return quote(*b, false);
  }
  if (request == "TIOCLINUX") {
    // The subcode is the first byte (TIOCL_SETSEL 2, TIOCL_PASTESEL 3, ...).
    if (auto b = call.bytes(v, 1)) return fmt::format("{{subcode={}}}", static_cast<unsigned>(static_cast<unsigned char>((*b)[0])));
  }
  if (request == "FIONBIO" || request == "FIOASYNC" || request == "TIOCSPTLCK") {
    if (auto b = call.bytes(v, 4)) return fmt::format("[{}]", static_cast<std::int32_t>(load(*b, 0, 4, call.little_endian())));
  }
  return pointer(v);
}

}  // namespace seccage::sandbox::decode_detail
