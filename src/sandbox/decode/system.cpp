// The kernel itself: bpf, keys, seccomp, reboot, syslog, clocks, modules,
// mounts through the new mount API, quotas, swap, NUMA, io_uring. These
// values are the same on every arch, except where O_CLOEXEC or O_NONBLOCK
// is part of the flags.
#include <fmt/core.h>

#include "sandbox/decode/families.hpp"

namespace seccage::sandbox::decode_detail {
namespace {

// O_CLOEXEC and O_NONBLOCK of the arch (see files.cpp), for calls whose
// flags reuse them.
struct OpenPair {
  std::uint64_t cloexec, nonblock;
};
OpenPair open_pair(Arch arch) {
  switch (family_of(arch)) {
    case Family::Mips: return {02000000, 0x80};
    case Family::Parisc: return {1 << 21, 1 << 16};
    default: return {02000000, 04000};
  }
}

}  // namespace

std::string bpf_command(std::uint64_t cmd) {
  static constexpr Named kCmds[] = {
      {0, "BPF_MAP_CREATE"},        {1, "BPF_MAP_LOOKUP_ELEM"},   {2, "BPF_MAP_UPDATE_ELEM"},
      {3, "BPF_MAP_DELETE_ELEM"},   {4, "BPF_MAP_GET_NEXT_KEY"},  {5, "BPF_PROG_LOAD"},
      {6, "BPF_OBJ_PIN"},           {7, "BPF_OBJ_GET"},           {8, "BPF_PROG_ATTACH"},
      {9, "BPF_PROG_DETACH"},       {10, "BPF_PROG_TEST_RUN"},    {11, "BPF_PROG_GET_NEXT_ID"},
      {12, "BPF_MAP_GET_NEXT_ID"},  {13, "BPF_PROG_GET_FD_BY_ID"}, {14, "BPF_MAP_GET_FD_BY_ID"},
      {15, "BPF_OBJ_GET_INFO_BY_FD"}, {16, "BPF_PROG_QUERY"},     {17, "BPF_RAW_TRACEPOINT_OPEN"},
      {18, "BPF_BTF_LOAD"},         {19, "BPF_BTF_GET_FD_BY_ID"}, {20, "BPF_TASK_FD_QUERY"},
      {21, "BPF_MAP_LOOKUP_AND_DELETE_ELEM"}, {22, "BPF_MAP_FREEZE"}, {23, "BPF_BTF_GET_NEXT_ID"},
      {24, "BPF_MAP_LOOKUP_BATCH"}, {25, "BPF_MAP_LOOKUP_AND_DELETE_BATCH"}, {26, "BPF_MAP_UPDATE_BATCH"},
      {27, "BPF_MAP_DELETE_BATCH"}, {28, "BPF_LINK_CREATE"},      {29, "BPF_LINK_UPDATE"},
      {30, "BPF_LINK_GET_FD_BY_ID"}, {31, "BPF_LINK_GET_NEXT_ID"}, {32, "BPF_ENABLE_STATS"},
      {33, "BPF_ITER_CREATE"},      {34, "BPF_LINK_DETACH"},      {35, "BPF_PROG_BIND_MAP"},
      {36, "BPF_TOKEN_CREATE"}};
  return enum_name(static_cast<std::uint32_t>(cmd), kCmds);
}

std::string keyctl_operation(std::uint64_t op) {
  static constexpr Named kOps[] = {
      {0, "KEYCTL_GET_KEYRING_ID"}, {1, "KEYCTL_JOIN_SESSION_KEYRING"}, {2, "KEYCTL_UPDATE"},
      {3, "KEYCTL_REVOKE"},         {4, "KEYCTL_CHOWN"},           {5, "KEYCTL_SETPERM"},
      {6, "KEYCTL_DESCRIBE"},       {7, "KEYCTL_CLEAR"},           {8, "KEYCTL_LINK"},
      {9, "KEYCTL_UNLINK"},         {10, "KEYCTL_SEARCH"},         {11, "KEYCTL_READ"},
      {12, "KEYCTL_INSTANTIATE"},   {13, "KEYCTL_NEGATE"},         {14, "KEYCTL_SET_REQKEY_KEYRING"},
      {15, "KEYCTL_SET_TIMEOUT"},   {16, "KEYCTL_ASSUME_AUTHORITY"}, {17, "KEYCTL_GET_SECURITY"},
      {18, "KEYCTL_SESSION_TO_PARENT"}, {19, "KEYCTL_REJECT"},     {20, "KEYCTL_INSTANTIATE_IOV"},
      {21, "KEYCTL_INVALIDATE"},    {22, "KEYCTL_GET_PERSISTENT"}, {23, "KEYCTL_DH_COMPUTE"},
      {24, "KEYCTL_PKEY_QUERY"},    {25, "KEYCTL_PKEY_ENCRYPT"},   {26, "KEYCTL_PKEY_DECRYPT"},
      {27, "KEYCTL_PKEY_SIGN"},     {28, "KEYCTL_PKEY_VERIFY"},    {29, "KEYCTL_RESTRICT_KEYRING"},
      {30, "KEYCTL_MOVE"},          {31, "KEYCTL_CAPABILITIES"},   {32, "KEYCTL_WATCH_KEY"}};
  return enum_name(static_cast<std::uint32_t>(op), kOps);
}

std::string key_serial(std::int64_t id) {
  static constexpr std::string_view kSpecial[] = {"KEY_SPEC_THREAD_KEYRING",       "KEY_SPEC_PROCESS_KEYRING",
                                                  "KEY_SPEC_SESSION_KEYRING",      "KEY_SPEC_USER_KEYRING",
                                                  "KEY_SPEC_USER_SESSION_KEYRING", "KEY_SPEC_GROUP_KEYRING",
                                                  "KEY_SPEC_REQKEY_AUTH_KEY",      "KEY_SPEC_REQUESTOR_KEYRING"};
  if (id < 0 && id >= -8) return std::string(kSpecial[static_cast<std::size_t>(-id - 1)]);
  return fmt::format("{}", id);
}

std::string seccomp_operation(std::uint64_t op) {
  static constexpr Named kOps[] = {{0, "SECCOMP_SET_MODE_STRICT"}, {1, "SECCOMP_SET_MODE_FILTER"},
                                   {2, "SECCOMP_GET_ACTION_AVAIL"}, {3, "SECCOMP_GET_NOTIF_SIZES"}};
  return enum_name(static_cast<std::uint32_t>(op), kOps);
}

std::string seccomp_flags(std::uint64_t flags) {
  static constexpr Named kFlags[] = {{1, "SECCOMP_FILTER_FLAG_TSYNC"},        {2, "SECCOMP_FILTER_FLAG_LOG"},
                                     {4, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"},   {8, "SECCOMP_FILTER_FLAG_NEW_LISTENER"},
                                     {16, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH"}, {32, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}};
  return flag_names(static_cast<std::uint32_t>(flags), kFlags);
}

std::string reboot_command(std::uint64_t cmd) {
  static constexpr Named kCmds[] = {
      {0x01234567, "LINUX_REBOOT_CMD_RESTART"},   {0xcdef0123, "LINUX_REBOOT_CMD_HALT"},
      {0x89abcdef, "LINUX_REBOOT_CMD_CAD_ON"},    {0x00000000, "LINUX_REBOOT_CMD_CAD_OFF"},
      {0x4321fedc, "LINUX_REBOOT_CMD_POWER_OFF"}, {0xa1b2c3d4, "LINUX_REBOOT_CMD_RESTART2"},
      {0xd000fce2, "LINUX_REBOOT_CMD_SW_SUSPEND"}, {0x45584543, "LINUX_REBOOT_CMD_KEXEC"}};
  if (auto n = find_name(static_cast<std::uint32_t>(cmd), kCmds)) return std::string(*n);
  return hex(cmd);
}

std::string reboot_magic(std::uint64_t magic) {
  static constexpr Named kMagic[] = {{0xfee1dead, "LINUX_REBOOT_MAGIC1"}, {0x28121969, "LINUX_REBOOT_MAGIC2"},
                                     {0x05121996, "LINUX_REBOOT_MAGIC2A"}, {0x16041998, "LINUX_REBOOT_MAGIC2B"},
                                     {0x20112000, "LINUX_REBOOT_MAGIC2C"}};
  if (auto n = find_name(static_cast<std::uint32_t>(magic), kMagic)) return std::string(*n);
  return hex(magic);
}

std::string syslog_action(std::uint64_t type) {
  static constexpr Named kTypes[] = {
      {0, "SYSLOG_ACTION_CLOSE"},       {1, "SYSLOG_ACTION_OPEN"},        {2, "SYSLOG_ACTION_READ"},
      {3, "SYSLOG_ACTION_READ_ALL"},    {4, "SYSLOG_ACTION_READ_CLEAR"},  {5, "SYSLOG_ACTION_CLEAR"},
      {6, "SYSLOG_ACTION_CONSOLE_OFF"}, {7, "SYSLOG_ACTION_CONSOLE_ON"},  {8, "SYSLOG_ACTION_CONSOLE_LEVEL"},
      {9, "SYSLOG_ACTION_SIZE_UNREAD"}, {10, "SYSLOG_ACTION_SIZE_BUFFER"}};
  return enum_name(static_cast<std::uint32_t>(type), kTypes);
}

std::string clock_id(std::int64_t id) {
  static constexpr Named kClocks[] = {
      {0, "CLOCK_REALTIME"},         {1, "CLOCK_MONOTONIC"},       {2, "CLOCK_PROCESS_CPUTIME_ID"},
      {3, "CLOCK_THREAD_CPUTIME_ID"}, {4, "CLOCK_MONOTONIC_RAW"},  {5, "CLOCK_REALTIME_COARSE"},
      {6, "CLOCK_MONOTONIC_COARSE"}, {7, "CLOCK_BOOTTIME"},        {8, "CLOCK_REALTIME_ALARM"},
      {9, "CLOCK_BOOTTIME_ALARM"},   {11, "CLOCK_TAI"}};
  // Negative ids are dynamic clocks (a process's CPU clock, a PTP device).
  if (id < 0) return fmt::format("{}", id);
  return enum_name(static_cast<std::uint64_t>(id), kClocks);
}

std::string module_flags(std::uint64_t flags) {
  static constexpr Named kFlags[] = {{1, "MODULE_INIT_IGNORE_MODVERSIONS"}, {2, "MODULE_INIT_IGNORE_VERMAGIC"},
                                     {4, "MODULE_INIT_COMPRESSED_FILE"}};
  return flag_names(static_cast<std::uint32_t>(flags), kFlags);
}

std::string perf_flags(std::uint64_t flags) {
  static constexpr Named kFlags[] = {{1, "PERF_FLAG_FD_NO_GROUP"}, {2, "PERF_FLAG_FD_OUTPUT"},
                                     {4, "PERF_FLAG_PID_CGROUP"},  {8, "PERF_FLAG_FD_CLOEXEC"}};
  return flag_names(flags, kFlags);
}

std::string userfaultfd_flags(Arch arch, std::uint64_t flags) {
  const OpenPair o = open_pair(arch);
  const Named table[] = {{o.cloexec, "O_CLOEXEC"}, {o.nonblock, "O_NONBLOCK"}, {1, "UFFD_USER_MODE_ONLY"}};
  return flag_names(static_cast<std::uint32_t>(flags), table);
}

std::string fanotify_init_flags(std::uint64_t flags) {
  static constexpr Named kClasses[] = {{0, "FAN_CLASS_NOTIF"}, {4, "FAN_CLASS_CONTENT"}, {8, "FAN_CLASS_PRE_CONTENT"}};
  static constexpr Named kFlags[] = {
      {1, "FAN_CLOEXEC"},           {2, "FAN_NONBLOCK"},         {0x10, "FAN_UNLIMITED_QUEUE"},
      {0x20, "FAN_UNLIMITED_MARKS"}, {0x40, "FAN_ENABLE_AUDIT"}, {0x80, "FAN_REPORT_PIDFD"},
      {0x100, "FAN_REPORT_TID"},    {0x200, "FAN_REPORT_FID"},  {0x400, "FAN_REPORT_DIR_FID"},
      {0x800, "FAN_REPORT_NAME"},   {0x1000, "FAN_REPORT_TARGET_FID"}};
  const auto cls = find_name(flags & 0xc, kClasses);
  return flag_names(flags & ~std::uint64_t{0xc}, kFlags, cls ? std::string(*cls) : hex(flags & 0xc));
}

std::string swap_flags(std::uint64_t flags) {
  static constexpr Named kFlags[] = {{0x10000, "SWAP_FLAG_DISCARD"}, {0x20000, "SWAP_FLAG_DISCARD_ONCE"},
                                     {0x40000, "SWAP_FLAG_DISCARD_PAGES"}};
  std::string first;
  if (flags & 0x8000) {
    first = fmt::format("SWAP_FLAG_PREFER|{}", flags & 0x7fff);  // the priority
    flags &= ~std::uint64_t{0xffff};
  }
  if (flags == 0 && !first.empty()) return first;
  return flag_names(flags, kFlags, first);
}

std::string kcmp_type(std::uint64_t type) {
  static constexpr Named kTypes[] = {{0, "KCMP_FILE"}, {1, "KCMP_VM"},      {2, "KCMP_FILES"},   {3, "KCMP_FS"},
                                     {4, "KCMP_SIGHAND"}, {5, "KCMP_IO"},  {6, "KCMP_SYSVSEM"}, {7, "KCMP_EPOLL_TFD"}};
  return enum_name(static_cast<std::uint32_t>(type), kTypes);
}

std::string mempolicy_mode(std::uint64_t mode) {
  static constexpr Named kModes[] = {{0, "MPOL_DEFAULT"}, {1, "MPOL_PREFERRED"}, {2, "MPOL_BIND"},
                                     {3, "MPOL_INTERLEAVE"}, {4, "MPOL_LOCAL"}, {5, "MPOL_PREFERRED_MANY"},
                                     {6, "MPOL_WEIGHTED_INTERLEAVE"}};
  static constexpr Named kFlags[] = {{1 << 15, "MPOL_F_STATIC_NODES"}, {1 << 14, "MPOL_F_RELATIVE_NODES"},
                                     {1 << 13, "MPOL_F_NUMA_BALANCING"}};
  const auto m = static_cast<std::uint32_t>(mode);
  const std::uint64_t base = m & 0x1fff;
  const auto name = find_name(base, kModes);
  std::string first = name ? std::string(*name) : fmt::format("{}", base);
  if ((m & ~0x1fffu) == 0) return first;
  return flag_names(m & ~0x1fffu, kFlags, first);
}

std::string open_tree_flags(Arch arch, std::uint64_t flags) {
  const Named table[] = {{1, "OPEN_TREE_CLONE"},         {open_pair(arch).cloexec, "OPEN_TREE_CLOEXEC"},
                         {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x800, "AT_NO_AUTOMOUNT"},
                         {0x1000, "AT_EMPTY_PATH"},      {0x8000, "AT_RECURSIVE"}};
  return flag_names(static_cast<std::uint32_t>(flags), table);
}

std::string fspick_flags(std::uint64_t flags) {
  static constexpr Named kFlags[] = {{1, "FSPICK_CLOEXEC"}, {2, "FSPICK_SYMLINK_NOFOLLOW"},
                                     {4, "FSPICK_NO_AUTOMOUNT"}, {8, "FSPICK_EMPTY_PATH"}};
  return flag_names(static_cast<std::uint32_t>(flags), kFlags);
}

std::string move_mount_flags(std::uint64_t flags) {
  static constexpr Named kFlags[] = {
      {1, "MOVE_MOUNT_F_SYMLINKS"},  {2, "MOVE_MOUNT_F_AUTOMOUNTS"}, {4, "MOVE_MOUNT_F_EMPTY_PATH"},
      {0x10, "MOVE_MOUNT_T_SYMLINKS"}, {0x20, "MOVE_MOUNT_T_AUTOMOUNTS"}, {0x40, "MOVE_MOUNT_T_EMPTY_PATH"},
      {0x100, "MOVE_MOUNT_SET_GROUP"}, {0x200, "MOVE_MOUNT_BENEATH"}};
  return flag_names(static_cast<std::uint32_t>(flags), kFlags);
}

std::string fsopen_flags(std::uint64_t flags) {
  static constexpr Named kFlags[] = {{1, "FSOPEN_CLOEXEC"}};
  return flag_names(static_cast<std::uint32_t>(flags), kFlags);
}

std::string fsconfig_command(std::uint64_t cmd) {
  static constexpr Named kCmds[] = {{0, "FSCONFIG_SET_FLAG"},   {1, "FSCONFIG_SET_STRING"},     {2, "FSCONFIG_SET_BINARY"},
                                    {3, "FSCONFIG_SET_PATH"},   {4, "FSCONFIG_SET_PATH_EMPTY"}, {5, "FSCONFIG_SET_FD"},
                                    {6, "FSCONFIG_CMD_CREATE"}, {7, "FSCONFIG_CMD_RECONFIGURE"}, {8, "FSCONFIG_CMD_CREATE_EXCL"}};
  return enum_name(static_cast<std::uint32_t>(cmd), kCmds);
}

std::string fsmount_flags(std::uint64_t flags) {
  static constexpr Named kFlags[] = {{1, "FSMOUNT_CLOEXEC"}};
  return flag_names(static_cast<std::uint32_t>(flags), kFlags);
}

std::string mount_attr_flags(std::uint64_t flags) {
  static constexpr Named kAtime[] = {{0x00, "MOUNT_ATTR_RELATIME"}, {0x10, "MOUNT_ATTR_NOATIME"},
                                     {0x20, "MOUNT_ATTR_STRICTATIME"}};
  static constexpr Named kFlags[] = {{1, "MOUNT_ATTR_RDONLY"},  {2, "MOUNT_ATTR_NOSUID"},
                                     {4, "MOUNT_ATTR_NODEV"},   {8, "MOUNT_ATTR_NOEXEC"},
                                     {0x80, "MOUNT_ATTR_NODIRATIME"}, {0x100000, "MOUNT_ATTR_IDMAP"},
                                     {0x200000, "MOUNT_ATTR_NOSYMFOLLOW"}};
  const auto f = static_cast<std::uint32_t>(flags);
  // The atime mode is a 3-bit field whose default, RELATIME, is 0: a zero
  // field is left unnamed, as it says nothing the caller chose.
  std::string first;
  if ((f & 0x70) != 0) {
    const auto a = find_name(f & 0x70, kAtime);
    first = a ? std::string(*a) : hex(f & 0x70);
  }
  if ((f & ~0x70u) == 0 && !first.empty()) return first;
  return flag_names(f & ~0x70u, kFlags, first);
}

std::string quotactl_command(std::uint64_t cmd) {
  // QCMD(cmd, type): the command above 8 bits, the quota type below.
  static constexpr Named kCmds[] = {{0x800001, "Q_SYNC"},    {0x800002, "Q_QUOTAON"},  {0x800003, "Q_QUOTAOFF"},
                                    {0x800004, "Q_GETFMT"},  {0x800005, "Q_GETINFO"},  {0x800006, "Q_SETINFO"},
                                    {0x800007, "Q_GETQUOTA"}, {0x800008, "Q_SETQUOTA"}, {0x800009, "Q_GETNEXTQUOTA"}};
  static constexpr Named kTypes[] = {{0, "USRQUOTA"}, {1, "GRPQUOTA"}, {2, "PRJQUOTA"}};
  const auto c = static_cast<std::uint32_t>(cmd);
  const auto name = find_name(c >> 8, kCmds);
  if (!name) return hex(cmd);
  return fmt::format("QCMD({}, {})", *name, enum_name(c & 0xff, kTypes));
}

std::string io_uring_enter_flags(std::uint64_t flags) {
  static constexpr Named kFlags[] = {{1, "IORING_ENTER_GETEVENTS"}, {2, "IORING_ENTER_SQ_WAKEUP"},
                                     {4, "IORING_ENTER_SQ_WAIT"},   {8, "IORING_ENTER_EXT_ARG"},
                                     {0x10, "IORING_ENTER_REGISTERED_RING"}};
  return flag_names(static_cast<std::uint32_t>(flags), kFlags);
}

std::string io_uring_register_opcode(std::uint64_t op) {
  static constexpr Named kOps[] = {
      {0, "IORING_REGISTER_BUFFERS"},     {1, "IORING_UNREGISTER_BUFFERS"},  {2, "IORING_REGISTER_FILES"},
      {3, "IORING_UNREGISTER_FILES"},     {4, "IORING_REGISTER_EVENTFD"},    {5, "IORING_UNREGISTER_EVENTFD"},
      {6, "IORING_REGISTER_FILES_UPDATE"}, {7, "IORING_REGISTER_EVENTFD_ASYNC"}, {8, "IORING_REGISTER_PROBE"},
      {9, "IORING_REGISTER_PERSONALITY"}, {10, "IORING_UNREGISTER_PERSONALITY"}, {11, "IORING_REGISTER_RESTRICTIONS"},
      {12, "IORING_REGISTER_ENABLE_RINGS"}};
  return enum_name(static_cast<std::uint32_t>(op), kOps);
}

std::string kexec_flags(std::uint64_t flags) {
  static constexpr Named kFlags[] = {{1, "KEXEC_ON_CRASH"}, {2, "KEXEC_PRESERVE_CONTEXT"},
                                     {4, "KEXEC_UPDATE_ELFCOREHDR"}, {8, "KEXEC_CRASH_HOTPLUG_SUPPORT"}};
  // The target arch is in the high 16 bits (KEXEC_ARCH_*): left in hex.
  return flag_names(flags, kFlags);
}

std::string kexec_file_flags(std::uint64_t flags) {
  static constexpr Named kFlags[] = {{1, "KEXEC_FILE_UNLOAD"}, {2, "KEXEC_FILE_ON_CRASH"},
                                     {4, "KEXEC_FILE_NO_INITRAMFS"}, {8, "KEXEC_FILE_DEBUG"}};
  return flag_names(flags, kFlags);
}

}  // namespace seccage::sandbox::decode_detail
