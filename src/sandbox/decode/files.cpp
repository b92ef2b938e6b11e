// Files: open flags (per arch family), modes, *at() flags, fcntl, mounts.
#include <array>
#include <vector>

#include <fmt/core.h>

#include "sandbox/decode/families.hpp"

namespace seccage::sandbox::decode_detail {
namespace {

// The open(2) bits whose values differ between arch families.
struct OpenBits {
  std::uint64_t creat, excl, noctty, trunc, append, nonblock, dsync, fasync, direct, largefile, directory, nofollow,
      noatime, cloexec, sync, path, tmpfile;
};

// asm-generic/fcntl.h, and arch/{arm,arm64,m68k,powerpc,mips,parisc}/include/uapi/asm/fcntl.h
// (`sync` and `tmpfile` are the __O_SYNC and __O_TMPFILE bits).
constexpr OpenBits kGenericOpen{0100,    0200,     0400,      01000,     02000,     04000,     010000,   020000, 040000,
                                0100000, 0200000,  0400000,   01000000,  02000000,  04000000,  010000000, 020000000};
constexpr OpenBits kArmOpen{0100,    0200,    0400,      01000,     02000,     04000,    010000,   020000, 0200000,
                            0400000, 040000,  0100000,   01000000,  02000000,  04000000, 010000000, 020000000};
constexpr OpenBits kPpcOpen{0100,    0200,    0400,      01000,     02000,     04000,    010000,   020000, 0400000,
                            0200000, 040000,  0100000,   01000000,  02000000,  04000000, 010000000, 020000000};
constexpr OpenBits kMipsOpen{0x100,   0x400,   0x800,     0x200,     0x8,       0x80,     0x10,     0x1000, 0x8000,
                             0x2000,  0200000, 0400000,   01000000,  02000000,  0x4000,   010000000, 020000000};
constexpr OpenBits kPariscOpen{1 << 8,  1 << 10, 1 << 17, 01000,   1 << 3,  1 << 16, 1 << 18, 020000, 040000,
                               1 << 11, 1 << 12, 1 << 7,  1 << 20, 1 << 21, 1 << 15, 1 << 22, 1 << 23};

const OpenBits& open_bits(Arch arch) {
  switch (family_of(arch)) {
    case Family::Arm: return kArmOpen;
    case Family::Ppc: return kPpcOpen;
    case Family::Mips: return kMipsOpen;
    case Family::Parisc: return kPariscOpen;
    case Family::Generic: break;
  }
  return kGenericOpen;
}

constexpr Named kAtFlags[] = {{0x100, "AT_SYMLINK_NOFOLLOW"}, {0x400, "AT_SYMLINK_FOLLOW"},
                              {0x800, "AT_NO_AUTOMOUNT"},     {0x1000, "AT_EMPTY_PATH"},
                              {0x2000, "AT_STATX_FORCE_SYNC"}, {0x4000, "AT_STATX_DONT_SYNC"},
                              {0x8000, "AT_RECURSIVE"}};

// fcntl commands (asm-generic/fcntl.h, linux/fcntl.h); the lock and owner
// commands differ on MIPS and PA-RISC.
constexpr Named kFcntlCommon[] = {
    {0, "F_DUPFD"},          {1, "F_GETFD"},          {2, "F_SETFD"},        {3, "F_GETFL"},
    {4, "F_SETFL"},          {15, "F_SETOWN_EX"},     {16, "F_GETOWN_EX"},   {17, "F_GETOWNER_UIDS"},
    {36, "F_OFD_GETLK"},     {37, "F_OFD_SETLK"},     {38, "F_OFD_SETLKW"},  {1024, "F_SETLEASE"},
    {1025, "F_GETLEASE"},    {1026, "F_NOTIFY"},      {1027, "F_DUPFD_QUERY"}, {1028, "F_CREATED_QUERY"},
    {1029, "F_CANCELLK"},    {1030, "F_DUPFD_CLOEXEC"}, {1031, "F_SETPIPE_SZ"}, {1032, "F_GETPIPE_SZ"},
    {1033, "F_ADD_SEALS"},   {1034, "F_GET_SEALS"},   {1035, "F_GET_RW_HINT"}, {1036, "F_SET_RW_HINT"},
    {1037, "F_GET_FILE_RW_HINT"}, {1038, "F_SET_FILE_RW_HINT"},
};
constexpr Named kFcntlGeneric[] = {{5, "F_GETLK"},  {6, "F_SETLK"},   {7, "F_SETLKW"}, {8, "F_SETOWN"},
                                   {9, "F_GETOWN"}, {10, "F_SETSIG"}, {11, "F_GETSIG"}};
// Only 32-bit ABIs have the *64 lock commands (x32 uses the 64-bit fcntl).
constexpr Named kFcntlGeneric32[] = {{12, "F_GETLK64"}, {13, "F_SETLK64"}, {14, "F_SETLKW64"}};
constexpr Named kFcntlMips[] = {{14, "F_GETLK"},  {6, "F_SETLK"},   {7, "F_SETLKW"}, {24, "F_SETOWN"},
                                {23, "F_GETOWN"}, {10, "F_SETSIG"}, {11, "F_GETSIG"}};
constexpr Named kFcntlMipsO32[] = {{33, "F_GETLK64"}, {34, "F_SETLK64"}, {35, "F_SETLKW64"}};
constexpr Named kFcntlParisc[] = {{5, "F_GETLK"},     {6, "F_SETLK"},     {7, "F_SETLKW"},    {8, "F_GETLK64"},
                                  {9, "F_SETLK64"},   {10, "F_SETLKW64"}, {11, "F_GETOWN"},   {12, "F_SETOWN"},
                                  {13, "F_SETSIG"},   {14, "F_GETSIG"}};

std::optional<std::string_view> fcntl_name(Arch arch, std::uint64_t cmd) {
  if (auto n = find_name(cmd, kFcntlCommon)) return n;
  const bool abi32 = !arch_info(arch).is_64bit && arch != Arch::x32;
  switch (family_of(arch)) {
    case Family::Mips:
      if (auto n = find_name(cmd, kFcntlMips)) return n;
      if (arch == Arch::mips || arch == Arch::mipsel) return find_name(cmd, kFcntlMipsO32);
      return std::nullopt;
    case Family::Parisc: return find_name(cmd, kFcntlParisc);
    default:
      if (auto n = find_name(cmd, kFcntlGeneric)) return n;
      if (abi32) return find_name(cmd, kFcntlGeneric32);
      return std::nullopt;
  }
}

}  // namespace

std::string open_flags(Arch arch, std::uint64_t flags) {
  const OpenBits& b = open_bits(arch);
  static constexpr std::array<std::string_view, 4> kAccess = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
  std::string access(kAccess[flags & 3]);
  // O_TMPFILE and O_SYNC include other bits (O_DIRECTORY, O_DSYNC): they
  // come first so their parts are not named on their own.
  const Named table[] = {
      {b.tmpfile | b.directory, "O_TMPFILE"}, {b.sync | b.dsync, "O_SYNC"}, {b.creat, "O_CREAT"},
      {b.excl, "O_EXCL"},                     {b.noctty, "O_NOCTTY"},       {b.trunc, "O_TRUNC"},
      {b.append, "O_APPEND"},                 {b.nonblock, "O_NONBLOCK"},   {b.dsync, "O_DSYNC"},
      {b.fasync, "O_ASYNC"},                  {b.direct, "O_DIRECT"},       {b.largefile, "O_LARGEFILE"},
      {b.directory, "O_DIRECTORY"},           {b.nofollow, "O_NOFOLLOW"},   {b.noatime, "O_NOATIME"},
      {b.cloexec, "O_CLOEXEC"},               {b.path, "O_PATH"},
  };
  return flag_names(flags & ~std::uint64_t{3}, table, access);
}

std::string file_mode(std::uint64_t mode) {
  static constexpr Named kTypes[] = {{0140000, "S_IFSOCK"}, {0120000, "S_IFLNK"}, {0100000, "S_IFREG"},
                                     {0060000, "S_IFBLK"},  {0040000, "S_IFDIR"}, {0020000, "S_IFCHR"},
                                     {0010000, "S_IFIFO"}};
  const std::uint64_t perms = mode & ~std::uint64_t{0170000};
  const std::string octal = perms == 0 ? std::string("0") : fmt::format("0{:o}", perms);
  if ((mode & 0170000) == 0) return octal;
  if (auto type = find_name(mode & 0170000, kTypes)) return fmt::format("{}|{}", *type, octal);
  return fmt::format("0{:o}", mode);
}

std::string dir_fd(std::int64_t fd) { return fd == -100 ? std::string("AT_FDCWD") : fmt::format("{}", fd); }

std::string at_flags(std::uint64_t flags) { return flag_names(flags, kAtFlags); }

std::string unlinkat_flags(std::uint64_t flags) {
  static constexpr Named kUnlink[] = {{0x200, "AT_REMOVEDIR"}};
  return flag_names(flags, kUnlink);
}

std::string faccessat_flags(std::uint64_t flags) {
  static constexpr Named kAccessAt[] = {{0x200, "AT_EACCESS"}, {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x1000, "AT_EMPTY_PATH"}};
  return flag_names(flags, kAccessAt);
}

std::string access_mode(std::uint64_t mode) {
  if (mode == 0) return "F_OK";
  static constexpr Named kModes[] = {{4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}};
  return flag_names(mode, kModes);
}

std::string rename_flags(std::uint64_t flags) {
  static constexpr Named kRename[] = {{1, "RENAME_NOREPLACE"}, {2, "RENAME_EXCHANGE"}, {4, "RENAME_WHITEOUT"}};
  return flag_names(flags, kRename);
}

std::string statx_mask(std::uint64_t mask) {
  static constexpr Named kMask[] = {
      {0x7ff, "STATX_BASIC_STATS"}, {0x1, "STATX_TYPE"},       {0x2, "STATX_MODE"},     {0x4, "STATX_NLINK"},
      {0x8, "STATX_UID"},           {0x10, "STATX_GID"},       {0x20, "STATX_ATIME"},   {0x40, "STATX_MTIME"},
      {0x80, "STATX_CTIME"},        {0x100, "STATX_INO"},      {0x200, "STATX_SIZE"},   {0x400, "STATX_BLOCKS"},
      {0x800, "STATX_BTIME"},       {0x1000, "STATX_MNT_ID"},  {0x2000, "STATX_DIOALIGN"},
      {0x4000, "STATX_MNT_ID_UNIQUE"}, {0x8000, "STATX_SUBVOL"}, {0x10000, "STATX_WRITE_ATOMIC"}};
  return flag_names(mask, kMask);
}

std::string fcntl_command(Arch arch, std::uint64_t cmd) {
  if (auto n = fcntl_name(arch, cmd)) return std::string(*n);
  return fmt::format("{}", cmd);
}

std::string fcntl_argument(const Call& call, std::size_t i, std::size_t cmd_index) {
  const auto name = fcntl_name(call.arch, static_cast<std::uint32_t>(call.args[cmd_index]));
  const std::uint64_t v = call.args[i];
  if (!name) return hex(v);
  const std::string_view n = *name;
  if (n == "F_SETFL") return open_flags(call.arch, static_cast<std::uint32_t>(v));
  if (n == "F_SETFD") {
    static constexpr Named kFd[] = {{1, "FD_CLOEXEC"}};
    return flag_names(static_cast<std::uint32_t>(v), kFd);
  }
  if (n == "F_SETSIG") return signal_name(call.arch, static_cast<std::uint32_t>(v));
  if (n == "F_DUPFD" || n == "F_DUPFD_CLOEXEC" || n == "F_SETOWN" || n == "F_SETPIPE_SZ" || n == "F_DUPFD_QUERY")
    return fmt::format("{}", call.as_int(i));
  if (n == "F_ADD_SEALS") {
    static constexpr Named kSeals[] = {{1, "F_SEAL_SEAL"},  {2, "F_SEAL_SHRINK"},        {4, "F_SEAL_GROW"},
                                       {8, "F_SEAL_WRITE"}, {0x10, "F_SEAL_FUTURE_WRITE"}, {0x20, "F_SEAL_EXEC"}};
    return flag_names(static_cast<std::uint32_t>(v), kSeals);
  }
  if (n == "F_NOTIFY") {
    static constexpr Named kNotify[] = {{1, "DN_ACCESS"},    {2, "DN_MODIFY"},  {4, "DN_CREATE"},
                                        {8, "DN_DELETE"},    {0x10, "DN_RENAME"}, {0x20, "DN_ATTRIB"},
                                        {0x80000000, "DN_MULTISHOT"}};
    return flag_names(static_cast<std::uint32_t>(v), kNotify);
  }
  if (n == "F_GETFD" || n == "F_GETFL" || n == "F_GETOWN" || n == "F_GETSIG" || n == "F_GETLEASE" ||
      n == "F_GETPIPE_SZ" || n == "F_GET_SEALS")
    return hex(v);  // not read by the kernel
  return pointer(v);
}

std::string mount_flags(std::uint64_t flags) {
  static constexpr Named kMount[] = {
      {1, "MS_RDONLY"},          {2, "MS_NOSUID"},         {4, "MS_NODEV"},         {8, "MS_NOEXEC"},
      {16, "MS_SYNCHRONOUS"},    {32, "MS_REMOUNT"},       {64, "MS_MANDLOCK"},     {128, "MS_DIRSYNC"},
      {256, "MS_NOSYMFOLLOW"},   {1024, "MS_NOATIME"},     {2048, "MS_NODIRATIME"}, {4096, "MS_BIND"},
      {8192, "MS_MOVE"},         {16384, "MS_REC"},        {32768, "MS_SILENT"},    {1 << 16, "MS_POSIXACL"},
      {1 << 17, "MS_UNBINDABLE"}, {1 << 18, "MS_PRIVATE"}, {1 << 19, "MS_SLAVE"},   {1 << 20, "MS_SHARED"},
      {1 << 21, "MS_RELATIME"},  {1 << 22, "MS_KERNMOUNT"}, {1 << 23, "MS_I_VERSION"}, {1 << 24, "MS_STRICTATIME"},
      {1 << 25, "MS_LAZYTIME"}};
  // The old magic in the high half (MS_MGC_VAL) is ignored by the kernel.
  std::string first;
  if ((flags & 0xffff0000) == 0xc0ed0000) {
    first = "MS_MGC_VAL";
    flags &= ~std::uint64_t{0xffff0000};
  }
  if (flags == 0 && !first.empty()) return first;
  return flag_names(flags, kMount, first);
}

std::string umount_flags(std::uint64_t flags) {
  static constexpr Named kUmount[] = {{1, "MNT_FORCE"}, {2, "MNT_DETACH"}, {4, "MNT_EXPIRE"}, {8, "UMOUNT_NOFOLLOW"}};
  return flag_names(flags, kUmount);
}

std::string memfd_flags(std::uint64_t flags) {
  static constexpr Named kMemfd[] = {{1, "MFD_CLOEXEC"}, {2, "MFD_ALLOW_SEALING"}, {4, "MFD_HUGETLB"},
                                     {8, "MFD_NOEXEC_SEAL"}, {0x10, "MFD_EXEC"}};
  return flag_names(flags, kMemfd);
}

std::string seek_whence(std::uint64_t whence) {
  static constexpr Named kWhence[] = {{0, "SEEK_SET"}, {1, "SEEK_CUR"}, {2, "SEEK_END"}, {3, "SEEK_DATA"},
                                      {4, "SEEK_HOLE"}};
  return enum_name(whence, kWhence);
}

std::string fallocate_mode(std::uint64_t mode) {
  static constexpr Named kModes[] = {{1, "FALLOC_FL_KEEP_SIZE"},      {2, "FALLOC_FL_PUNCH_HOLE"},
                                     {4, "FALLOC_FL_NO_HIDE_STALE"},  {8, "FALLOC_FL_COLLAPSE_RANGE"},
                                     {0x10, "FALLOC_FL_ZERO_RANGE"},  {0x20, "FALLOC_FL_INSERT_RANGE"},
                                     {0x40, "FALLOC_FL_UNSHARE_RANGE"}, {0x80, "FALLOC_FL_WRITE_ZEROES"}};
  return flag_names(mode, kModes);
}

std::string xattr_flags(std::uint64_t flags) {
  static constexpr Named kXattr[] = {{1, "XATTR_CREATE"}, {2, "XATTR_REPLACE"}};
  return flag_names(flags, kXattr);
}

std::string device_number(std::uint64_t dev) {
  // mknod takes an unsigned int in the kernel's "new" encoding
  // (new_decode_dev): 12 bits of major, 20 of minor.
  const auto d = static_cast<std::uint32_t>(dev);
  const std::uint32_t major = (d & 0xfff00) >> 8;
  const std::uint32_t minor = (d & 0xff) | ((d >> 12) & 0xfff00);
  return fmt::format("makedev({}, {})", major, minor);
}

}  // namespace seccage::sandbox::decode_detail
