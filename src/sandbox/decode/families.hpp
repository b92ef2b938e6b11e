// Value decoders by family of syscalls. Each takes the raw value (and the
// arch where the constants differ) and returns the form shown in reports;
// the ones that read memory or look at a neighbouring argument take the
// Call. Where a table is not carried for an arch they return the number.
#pragma once

#include <cstdint>
#include <string>

#include "sandbox/decode/common.hpp"

namespace seccage::sandbox::decode_detail {

// files.cpp
std::string open_flags(Arch arch, std::uint64_t flags);
std::string file_mode(std::uint64_t mode);       // "0644", "S_IFCHR|0600"
std::string dir_fd(std::int64_t fd);             // AT_FDCWD by name
std::string at_flags(std::uint64_t flags);       // AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH
std::string unlinkat_flags(std::uint64_t flags); // AT_REMOVEDIR
std::string faccessat_flags(std::uint64_t flags);// AT_EACCESS shares AT_REMOVEDIR's bit
std::string access_mode(std::uint64_t mode);     // F_OK, R_OK|W_OK
std::string rename_flags(std::uint64_t flags);
std::string statx_mask(std::uint64_t mask);
std::string fcntl_command(Arch arch, std::uint64_t cmd);
std::string fcntl_argument(const Call& call, std::size_t i, std::size_t cmd_index);
std::string mount_flags(std::uint64_t flags);
std::string umount_flags(std::uint64_t flags);
std::string memfd_flags(std::uint64_t flags);
std::string seek_whence(std::uint64_t whence);
std::string fallocate_mode(std::uint64_t mode);
std::string xattr_flags(std::uint64_t flags);
std::string device_number(std::uint64_t dev);    // makedev(major, minor)

// memory.cpp
std::string prot_flags(std::uint64_t prot);
std::string map_flags(Arch arch, std::uint64_t flags);
std::string madvise_advice(Arch arch, std::uint64_t advice);
std::string mremap_flags(std::uint64_t flags);

// process.cpp
std::string signal_name(Arch arch, std::uint64_t sig);
std::string clone_flags(Arch arch, std::uint64_t flags, bool with_exit_signal);
std::string namespace_flags(std::uint64_t flags);  // unshare, setns
std::string clone_args(const Call& call, std::uint64_t addr, std::uint64_t size);
std::string ptrace_request(Arch arch, std::uint64_t request);
std::string ptrace_data(const Call& call, std::size_t i, std::size_t request_index);
std::string rlimit_resource(Arch arch, std::uint64_t resource);
std::string rlimit64_at(const Call& call, std::uint64_t addr);  // struct rlimit64 (prlimit64)
std::string rlimit_at(const Call& call, std::uint64_t addr);    // struct rlimit of the ABI's longs
std::string prctl_option(std::uint64_t option);
std::string prctl_argument(const Call& call, std::size_t i, std::size_t option_index);
std::string personality(std::uint64_t persona);
std::string wait_options(std::uint64_t options);
std::string id_type(std::uint64_t idtype);  // waitid
std::string user_id(std::uint64_t id);      // uid_t/gid_t: -1 means "unchanged"

// net.cpp
std::string address_family(std::uint64_t family);
std::string socket_type(Arch arch, std::uint64_t type);
// The protocol is read with the domain in argument `domain_index`.
std::string socket_protocol(const Call& call, std::size_t i, std::size_t domain_index);
std::string socket_address(const Call& call, std::uint64_t addr, std::uint64_t len);
std::string message_header(const Call& call, std::uint64_t addr);  // struct msghdr (sendmsg, recvmsg)
std::string socket_level(Arch arch, std::uint64_t level);
std::string message_flags(std::uint64_t flags);
std::string shutdown_how(std::uint64_t how);

// ioctl.cpp
std::string ioctl_request(Arch arch, std::uint64_t request);
std::string ioctl_argument(const Call& call, std::size_t i, std::size_t request_index);

// system.cpp
std::string bpf_command(std::uint64_t cmd);
std::string keyctl_operation(std::uint64_t op);
std::string key_serial(std::int64_t id);
std::string seccomp_operation(std::uint64_t op);
std::string seccomp_flags(std::uint64_t flags);
std::string reboot_command(std::uint64_t cmd);
std::string syslog_action(std::uint64_t type);
std::string clock_id(std::int64_t id);
std::string module_flags(std::uint64_t flags);       // finit_module
std::string perf_flags(std::uint64_t flags);
std::string userfaultfd_flags(Arch arch, std::uint64_t flags);
std::string fanotify_init_flags(std::uint64_t flags);
std::string swap_flags(std::uint64_t flags);
std::string kcmp_type(std::uint64_t type);
std::string mempolicy_mode(std::uint64_t mode);
std::string open_tree_flags(Arch arch, std::uint64_t flags);
std::string fspick_flags(std::uint64_t flags);
std::string move_mount_flags(std::uint64_t flags);
std::string fsopen_flags(std::uint64_t flags);
std::string fsconfig_command(std::uint64_t cmd);
std::string fsmount_flags(std::uint64_t flags);
std::string mount_attr_flags(std::uint64_t flags);
std::string quotactl_command(std::uint64_t cmd);
std::string io_uring_enter_flags(std::uint64_t flags);
std::string io_uring_register_opcode(std::uint64_t op);
std::string kexec_flags(std::uint64_t flags);        // kexec_load
std::string kexec_file_flags(std::uint64_t flags);   // kexec_file_load
std::string reboot_magic(std::uint64_t magic);

}  // namespace seccage::sandbox::decode_detail
