// The signature table (see signatures.hpp), one function per family of
// syscalls. It covers every syscall a preset denies (the test beside it
// checks that) and the common ones people meet in reports.
#include "sandbox/decode/signatures.hpp"

#include <algorithm>
#include <unordered_map>

namespace seccage::sandbox::decode_detail {
namespace {

using K = Kind;

void add_files(std::vector<Signature>& t) {
  const Param fd{"fd", K::Fd}, dirfd{"dirfd", K::DirFd}, path{"pathname", K::Path}, mode{"mode", K::Mode};
  t.insert(t.end(), {
      {"read", {fd, {"buf", K::Ptr}, {"count", K::ULong}}},
      {"write", {fd, {"buf", K::Buf, 2}, {"count", K::ULong}}},
      {"pread64", {fd, {"buf", K::Ptr}, {"count", K::ULong}, {"offset", K::Off64}}},
      {"pwrite64", {fd, {"buf", K::Buf, 2}, {"count", K::ULong}, {"offset", K::Off64}}},
      {"readv", {fd, {"iov", K::Ptr}, {"iovcnt", K::Int}}},
      {"writev", {fd, {"iov", K::Ptr}, {"iovcnt", K::Int}}},
      {"lseek", {fd, {"offset", K::Long}, {"whence", K::Whence}}},
      {"open", {path, {"flags", K::OpenFlags}, mode}},
      {"openat", {dirfd, path, {"flags", K::OpenFlags}, mode}},
      {"openat2", {dirfd, path, {"how", K::Ptr}, {"size", K::ULong}}},
      {"creat", {path, mode}},
      {"close", {fd}},
      {"dup", {{"oldfd", K::Fd}}},
      {"dup2", {{"oldfd", K::Fd}, {"newfd", K::Fd}}},
      {"dup3", {{"oldfd", K::Fd}, {"newfd", K::Fd}, {"flags", K::OpenFlags}}},
      {"fcntl", {fd, {"cmd", K::FcntlCmd}, {"arg", K::FcntlArg, 1}}},
      {"fcntl64", {fd, {"cmd", K::FcntlCmd}, {"arg", K::FcntlArg, 1}}},
      {"unlink", {path}},
      {"unlinkat", {dirfd, path, {"flags", K::UnlinkAtFlags}}},
      {"mkdir", {path, mode}},
      {"mkdirat", {dirfd, path, mode}},
      {"rmdir", {path}},
      {"mknod", {path, mode, {"dev", K::Dev}}},
      {"mknodat", {dirfd, path, mode, {"dev", K::Dev}}},
      {"rename", {{"oldpath", K::Path}, {"newpath", K::Path}}},
      {"renameat", {{"olddirfd", K::DirFd}, {"oldpath", K::Path}, {"newdirfd", K::DirFd}, {"newpath", K::Path}}},
      {"renameat2",
       {{"olddirfd", K::DirFd}, {"oldpath", K::Path}, {"newdirfd", K::DirFd}, {"newpath", K::Path},
        {"flags", K::RenameFlags}}},
      {"link", {{"oldpath", K::Path}, {"newpath", K::Path}}},
      {"linkat",
       {{"olddirfd", K::DirFd}, {"oldpath", K::Path}, {"newdirfd", K::DirFd}, {"newpath", K::Path},
        {"flags", K::AtFlags}}},
      {"symlink", {{"target", K::Path}, {"linkpath", K::Path}}},
      {"symlinkat", {{"target", K::Path}, {"newdirfd", K::DirFd}, {"linkpath", K::Path}}},
      {"readlink", {path, {"buf", K::Ptr}, {"bufsiz", K::ULong}}},
      {"readlinkat", {dirfd, path, {"buf", K::Ptr}, {"bufsiz", K::ULong}}},
      {"chmod", {path, mode}},
      {"fchmod", {fd, mode}},
      {"fchmodat", {dirfd, path, mode}},
      {"fchmodat2", {dirfd, path, mode, {"flags", K::AtFlags}}},
      {"chown", {path, {"owner", K::Id}, {"group", K::Id}}},
      {"lchown", {path, {"owner", K::Id}, {"group", K::Id}}},
      {"fchown", {fd, {"owner", K::Id}, {"group", K::Id}}},
      {"chown32", {path, {"owner", K::Id}, {"group", K::Id}}},
      {"lchown32", {path, {"owner", K::Id}, {"group", K::Id}}},
      {"fchown32", {fd, {"owner", K::Id}, {"group", K::Id}}},
      {"fchownat", {dirfd, path, {"owner", K::Id}, {"group", K::Id}, {"flags", K::AtFlags}}},
      {"truncate", {{"path", K::Path}, {"length", K::Long}}},
      {"ftruncate", {fd, {"length", K::Long}}},
      {"truncate64", {{"path", K::Path}, {"length", K::Off64}}},
      {"ftruncate64", {fd, {"length", K::Off64}}},
      {"fallocate", {fd, {"mode", K::FallocMode}, {"offset", K::Off64}, {"len", K::Off64}}},
      {"access", {path, {"mode", K::AccessMode}}},
      {"faccessat", {dirfd, path, {"mode", K::AccessMode}}},
      {"faccessat2", {dirfd, path, {"mode", K::AccessMode}, {"flags", K::AccessAtFlags}}},
      {"stat", {path, {"statbuf", K::Ptr}}},
      {"lstat", {path, {"statbuf", K::Ptr}}},
      {"fstat", {fd, {"statbuf", K::Ptr}}},
      {"stat64", {path, {"statbuf", K::Ptr}}},
      {"lstat64", {path, {"statbuf", K::Ptr}}},
      {"newfstatat", {dirfd, path, {"statbuf", K::Ptr}, {"flags", K::AtFlags}}},
      {"fstatat64", {dirfd, path, {"statbuf", K::Ptr}, {"flags", K::AtFlags}}},
      {"statx", {dirfd, path, {"flags", K::AtFlags}, {"mask", K::StatxMask}, {"statxbuf", K::Ptr}}},
      {"statfs", {{"path", K::Path}, {"buf", K::Ptr}}},
      {"fstatfs", {fd, {"buf", K::Ptr}}},
      {"statfs64", {{"path", K::Path}, {"sz", K::ULong}, {"buf", K::Ptr}}},
      {"fstatfs64", {fd, {"sz", K::ULong}, {"buf", K::Ptr}}},
      {"getdents64", {fd, {"dirp", K::Ptr}, {"count", K::UInt}}},
      {"getcwd", {{"buf", K::Ptr}, {"size", K::ULong}}},
      {"chdir", {{"path", K::Path}}},
      {"fchdir", {fd}},
      {"chroot", {{"path", K::Path}}},
      {"utime", {path, {"times", K::Ptr}}},
      {"utimes", {path, {"times", K::Ptr}}},
      {"futimesat", {dirfd, path, {"times", K::Ptr}}},
      {"utimensat", {dirfd, path, {"times", K::Ptr}, {"flags", K::AtFlags}}},
      {"utimensat_time64", {dirfd, path, {"times", K::Ptr}, {"flags", K::AtFlags}}},
      {"setxattr", {{"path", K::Path}, {"name", K::Path}, {"value", K::Buf, 3}, {"size", K::ULong}, {"flags", K::XattrFlags}}},
      {"lsetxattr", {{"path", K::Path}, {"name", K::Path}, {"value", K::Buf, 3}, {"size", K::ULong}, {"flags", K::XattrFlags}}},
      {"fsetxattr", {fd, {"name", K::Path}, {"value", K::Buf, 3}, {"size", K::ULong}, {"flags", K::XattrFlags}}},
      {"setxattrat", {dirfd, path, {"at_flags", K::AtFlags}, {"name", K::Path}, {"args", K::Ptr}, {"size", K::ULong}}},
      {"removexattr", {{"path", K::Path}, {"name", K::Path}}},
      {"lremovexattr", {{"path", K::Path}, {"name", K::Path}}},
      {"fremovexattr", {fd, {"name", K::Path}}},
      {"removexattrat", {dirfd, path, {"at_flags", K::AtFlags}, {"name", K::Path}}},
      {"file_setattr", {dirfd, path, {"attr", K::Ptr}, {"size", K::ULong}, {"at_flags", K::AtFlags}}},
      {"name_to_handle_at", {dirfd, path, {"handle", K::Ptr}, {"mount_id", K::Ptr}, {"flags", K::AtFlags}}},
      {"open_by_handle_at", {{"mount_fd", K::Fd}, {"handle", K::Ptr}, {"flags", K::OpenFlags}}},
      {"memfd_create", {{"name", K::Path}, {"flags", K::MemfdFlags}}},
      {"mq_open", {{"name", K::Path}, {"oflag", K::OpenFlags}, mode, {"attr", K::Ptr}}},
      {"mq_unlink", {{"name", K::Path}}},
      {"fanotify_init", {{"flags", K::FanotifyFlags}, {"event_f_flags", K::OpenFlags}}},
      {"ioctl", {fd, {"request", K::IoctlRequest}, {"arg", K::IoctlArg, 1}}},
      {"uselib", {{"library", K::Path}}},
      {"acct", {{"filename", K::Path}}},
      {"swapon", {{"path", K::Path}, {"swapflags", K::SwapFlags}}},
      {"swapoff", {{"path", K::Path}}},
  });
}

void add_mounts(std::vector<Signature>& t) {
  const Param dirfd{"dirfd", K::DirFd}, path{"pathname", K::Path};
  t.insert(t.end(), {
      {"mount",
       {{"source", K::Path}, {"target", K::Path}, {"filesystemtype", K::Path}, {"mountflags", K::MountFlags},
        {"data", K::Path}}},
      {"umount", {{"target", K::Path}}},
      {"umount2", {{"target", K::Path}, {"flags", K::UmountFlags}}},
      {"pivot_root", {{"new_root", K::Path}, {"put_old", K::Path}}},
      {"fsopen", {{"fsname", K::Path}, {"flags", K::FsopenFlags}}},
      {"fsconfig", {{"fd", K::Fd}, {"cmd", K::FsconfigCmd}, {"key", K::Path}, {"value", K::Ptr}, {"aux", K::Int}}},
      {"fsmount", {{"fd", K::Fd}, {"flags", K::FsmountFlags}, {"attr_flags", K::MountAttrFlags}}},
      {"fspick", {dirfd, path, {"flags", K::FspickFlags}}},
      {"move_mount",
       {{"from_dirfd", K::DirFd}, {"from_pathname", K::Path}, {"to_dirfd", K::DirFd}, {"to_pathname", K::Path},
        {"flags", K::MoveMountFlags}}},
      {"open_tree", {dirfd, path, {"flags", K::OpenTreeFlags}}},
      {"open_tree_attr", {dirfd, path, {"flags", K::OpenTreeFlags}, {"attr", K::Ptr}, {"size", K::ULong}}},
      {"mount_setattr", {dirfd, path, {"flags", K::AtFlags}, {"attr", K::Ptr}, {"size", K::ULong}}},
      {"quotactl", {{"cmd", K::QuotactlCmd}, {"special", K::Path}, {"id", K::Int}, {"addr", K::Ptr}}},
      {"quotactl_fd", {{"fd", K::Fd}, {"cmd", K::QuotactlCmd}, {"id", K::Int}, {"addr", K::Ptr}}},
      {"sysfs", {{"option", K::Int}, {"arg1", K::Hex}, {"arg2", K::Hex}}},
      {"ustat", {{"dev", K::Dev}, {"ubuf", K::Ptr}}},
      {"_sysctl", {{"args", K::Ptr}}},
      {"nfsservctl", {{"cmd", K::Int}, {"argp", K::Ptr}, {"resp", K::Ptr}}},
  });
}

void add_processes(std::vector<Signature>& t) {
  const Param pid{"pid", K::Int};
  t.insert(t.end(), {
      {"execve", {{"pathname", K::Path}, {"argv", K::Argv}, {"envp", K::Ptr}}},
      {"execveat",
       {{"dirfd", K::DirFd}, {"pathname", K::Path}, {"argv", K::Argv}, {"envp", K::Ptr}, {"flags", K::AtFlags}}},
      {"kill", {pid, {"sig", K::Signal}}},
      {"tkill", {{"tid", K::Int}, {"sig", K::Signal}}},
      {"tgkill", {{"tgid", K::Int}, {"tid", K::Int}, {"sig", K::Signal}}},
      {"pidfd_send_signal", {{"pidfd", K::Fd}, {"sig", K::Signal}, {"info", K::Ptr}, {"flags", K::Hex}}},
      {"pidfd_open", {pid, {"flags", K::Hex}}},
      {"pidfd_getfd", {{"pidfd", K::Fd}, {"targetfd", K::Fd}, {"flags", K::Hex}}},
      {"clone3", {{"cl_args", K::CloneArgs, 1}, {"size", K::ULong}}},
      {"fork", {}},
      {"vfork", {}},
      {"unshare", {{"flags", K::NsFlags}}},
      {"setns", {{"fd", K::Fd}, {"nstype", K::NsFlags}}},
      {"wait4", {pid, {"wstatus", K::Ptr}, {"options", K::WaitOptions}, {"rusage", K::Ptr}}},
      {"waitid", {{"idtype", K::IdType}, {"id", K::Int}, {"infop", K::Ptr}, {"options", K::WaitOptions}, {"rusage", K::Ptr}}},
      {"ptrace", {{"request", K::PtraceRequest}, pid, {"addr", K::Ptr}, {"data", K::PtraceData, 0}}},
      {"process_vm_readv",
       {pid, {"local_iov", K::Ptr}, {"liovcnt", K::ULong}, {"remote_iov", K::Ptr}, {"riovcnt", K::ULong}, {"flags", K::Hex}}},
      {"process_vm_writev",
       {pid, {"local_iov", K::Ptr}, {"liovcnt", K::ULong}, {"remote_iov", K::Ptr}, {"riovcnt", K::ULong}, {"flags", K::Hex}}},
      {"process_madvise", {{"pidfd", K::Fd}, {"iovec", K::Ptr}, {"vlen", K::ULong}, {"advice", K::Madvise}, {"flags", K::Hex}}},
      {"kcmp", {{"pid1", K::Int}, {"pid2", K::Int}, {"type", K::KcmpType}, {"idx1", K::ULong}, {"idx2", K::ULong}}},
      {"prlimit64", {pid, {"resource", K::Rlimit}, {"new_limit", K::Rlimit64Ptr}, {"old_limit", K::Ptr}}},
      {"setrlimit", {{"resource", K::Rlimit}, {"rlim", K::RlimitPtr}}},
      {"getrlimit", {{"resource", K::Rlimit}, {"rlim", K::Ptr}}},
      {"ugetrlimit", {{"resource", K::Rlimit}, {"rlim", K::Ptr}}},
      {"prctl", {{"option", K::PrctlOption}, {"arg2", K::PrctlArg, 0}, {"arg3", K::PrctlArg, 0},
                 {"arg4", K::PrctlArg, 0}, {"arg5", K::PrctlArg, 0}}},
      {"personality", {{"persona", K::Personality}}},
      {"setuid", {{"uid", K::Id}}},
      {"setgid", {{"gid", K::Id}}},
      {"setreuid", {{"ruid", K::Id}, {"euid", K::Id}}},
      {"setregid", {{"rgid", K::Id}, {"egid", K::Id}}},
      {"setresuid", {{"ruid", K::Id}, {"euid", K::Id}, {"suid", K::Id}}},
      {"setresgid", {{"rgid", K::Id}, {"egid", K::Id}, {"sgid", K::Id}}},
      {"setgroups", {{"size", K::Int}, {"list", K::Ptr}}},
      {"setsid", {}},
      {"setpgid", {pid, {"pgid", K::Int}}},
      {"exit", {{"status", K::Int}}},
      {"exit_group", {{"status", K::Int}}},
      {"getpid", {}},
      {"getppid", {}},
      {"gettid", {}},
      {"seccomp", {{"operation", K::SeccompOp}, {"flags", K::SeccompFlags}, {"args", K::Ptr}}},
      {"perf_event_open",
       {{"attr", K::Ptr}, pid, {"cpu", K::Int}, {"group_fd", K::Fd}, {"flags", K::PerfFlags}}},
      {"userfaultfd", {{"flags", K::UffdFlags}}},
      {"lookup_dcookie", {{"cookie", K::Off64}, {"buffer", K::Ptr}, {"len", K::ULong}}},
      {"vhangup", {}},
  });
}

void add_memory(std::vector<Signature>& t) {
  t.insert(t.end(), {
      {"mmap",
       {{"addr", K::Ptr}, {"length", K::ULong}, {"prot", K::Prot}, {"flags", K::MapFlags}, {"fd", K::Fd},
        {"offset", K::Hex}}},
      {"mmap2",
       {{"addr", K::Ptr}, {"length", K::ULong}, {"prot", K::Prot}, {"flags", K::MapFlags}, {"fd", K::Fd},
        {"pgoffset", K::Hex}}},
      {"munmap", {{"addr", K::Ptr}, {"length", K::ULong}}},
      {"mprotect", {{"addr", K::Ptr}, {"len", K::ULong}, {"prot", K::Prot}}},
      {"pkey_mprotect", {{"addr", K::Ptr}, {"len", K::ULong}, {"prot", K::Prot}, {"pkey", K::Int}}},
      {"madvise", {{"addr", K::Ptr}, {"length", K::ULong}, {"advice", K::Madvise}}},
      {"mremap",
       {{"old_address", K::Ptr}, {"old_size", K::ULong}, {"new_size", K::ULong}, {"flags", K::MremapFlags},
        {"new_address", K::Ptr}}},
      {"brk", {{"addr", K::Ptr}}},
      {"mbind",
       {{"addr", K::Ptr}, {"len", K::ULong}, {"mode", K::MempolicyMode}, {"nodemask", K::Ptr}, {"maxnode", K::ULong},
        {"flags", K::Hex}}},
      {"set_mempolicy", {{"mode", K::MempolicyMode}, {"nodemask", K::Ptr}, {"maxnode", K::ULong}}},
      {"get_mempolicy",
       {{"mode", K::Ptr}, {"nodemask", K::Ptr}, {"maxnode", K::ULong}, {"addr", K::Ptr}, {"flags", K::Hex}}},
      {"set_mempolicy_home_node", {{"start", K::Ptr}, {"len", K::ULong}, {"home_node", K::ULong}, {"flags", K::Hex}}},
      {"move_pages",
       {{"pid", K::Int}, {"count", K::ULong}, {"pages", K::Ptr}, {"nodes", K::Ptr}, {"status", K::Ptr},
        {"flags", K::Hex}}},
  });
}

void add_network(std::vector<Signature>& t) {
  const Param sockfd{"sockfd", K::Fd};
  t.insert(t.end(), {
      {"socket", {{"domain", K::Domain}, {"type", K::SockType}, {"protocol", K::Protocol, 0}}},
      {"socketpair", {{"domain", K::Domain}, {"type", K::SockType}, {"protocol", K::Protocol, 0}, {"sv", K::Ptr}}},
      {"connect", {sockfd, {"addr", K::SockAddr, 2}, {"addrlen", K::UInt}}},
      {"bind", {sockfd, {"addr", K::SockAddr, 2}, {"addrlen", K::UInt}}},
      {"listen", {sockfd, {"backlog", K::Int}}},
      {"accept", {sockfd, {"addr", K::Ptr}, {"addrlen", K::Ptr}}},
      {"accept4", {sockfd, {"addr", K::Ptr}, {"addrlen", K::Ptr}, {"flags", K::SockType}}},
      {"sendto",
       {sockfd, {"buf", K::Buf, 2}, {"len", K::ULong}, {"flags", K::MsgFlags}, {"dest_addr", K::SockAddr, 5},
        {"addrlen", K::UInt}}},
      {"recvfrom",
       {sockfd, {"buf", K::Ptr}, {"len", K::ULong}, {"flags", K::MsgFlags}, {"src_addr", K::Ptr}, {"addrlen", K::Ptr}}},
      {"sendmsg", {sockfd, {"msg", K::MsgHdr}, {"flags", K::MsgFlags}}},
      {"recvmsg", {sockfd, {"msg", K::Ptr}, {"flags", K::MsgFlags}}},
      {"sendmmsg", {sockfd, {"msgvec", K::MsgHdr}, {"vlen", K::UInt}, {"flags", K::MsgFlags}}},
      {"shutdown", {sockfd, {"how", K::ShutdownHow}}},
      {"setsockopt",
       {sockfd, {"level", K::SockLevel}, {"optname", K::Int}, {"optval", K::Ptr}, {"optlen", K::UInt}}},
      {"getsockopt", {sockfd, {"level", K::SockLevel}, {"optname", K::Int}, {"optval", K::Ptr}, {"optlen", K::Ptr}}},
      {"getsockname", {sockfd, {"addr", K::Ptr}, {"addrlen", K::Ptr}}},
      {"getpeername", {sockfd, {"addr", K::Ptr}, {"addrlen", K::Ptr}}},
      {"socketcall", {{"call", K::SocketcallCall}, {"args", K::Ptr}}},
      {"sethostname", {{"name", K::Buf, 1}, {"len", K::ULong}}},
      {"setdomainname", {{"name", K::Buf, 1}, {"len", K::ULong}}},
  });
}

void add_kernel(std::vector<Signature>& t) {
  t.insert(t.end(), {
      {"bpf", {{"cmd", K::BpfCmd}, {"attr", K::Ptr}, {"size", K::UInt}}},
      {"init_module", {{"module_image", K::Ptr}, {"len", K::ULong}, {"param_values", K::Path}}},
      {"finit_module", {{"fd", K::Fd}, {"param_values", K::Path}, {"flags", K::ModuleFlags}}},
      {"delete_module", {{"name", K::Path}, {"flags", K::Hex}}},
      {"create_module", {{"name", K::Path}, {"size", K::ULong}}},
      {"query_module", {{"name", K::Path}, {"which", K::Int}, {"buf", K::Ptr}, {"bufsize", K::ULong}, {"ret", K::Ptr}}},
      {"get_kernel_syms", {{"table", K::Ptr}}},
      {"kexec_load", {{"entry", K::Hex}, {"nr_segments", K::ULong}, {"segments", K::Ptr}, {"flags", K::KexecFlags}}},
      {"kexec_file_load",
       {{"kernel_fd", K::Fd}, {"initrd_fd", K::Fd}, {"cmdline_len", K::ULong}, {"cmdline", K::Path},
        {"flags", K::KexecFileFlags}}},
      {"add_key",
       {{"type", K::Path}, {"description", K::Path}, {"payload", K::Ptr}, {"plen", K::ULong}, {"keyring", K::KeySerial}}},
      {"request_key",
       {{"type", K::Path}, {"description", K::Path}, {"callout_info", K::Path}, {"dest_keyring", K::KeySerial}}},
      {"keyctl", {{"operation", K::KeyctlOp}, {"arg2", K::Hex}, {"arg3", K::Hex}, {"arg4", K::Hex}, {"arg5", K::Hex}}},
      {"settimeofday", {{"tv", K::Ptr}, {"tz", K::Ptr}}},
      {"stime", {{"t", K::Ptr}}},
      {"clock_settime", {{"clockid", K::ClockId}, {"tp", K::Ptr}}},
      {"clock_settime64", {{"clockid", K::ClockId}, {"tp", K::Ptr}}},
      {"clock_adjtime", {{"clockid", K::ClockId}, {"buf", K::Ptr}}},
      {"clock_adjtime64", {{"clockid", K::ClockId}, {"buf", K::Ptr}}},
      {"clock_gettime", {{"clockid", K::ClockId}, {"tp", K::Ptr}}},
      {"adjtimex", {{"buf", K::Ptr}}},
      {"reboot", {{"magic", K::RebootMagic}, {"magic2", K::RebootMagic}, {"cmd", K::RebootCmd}, {"arg", K::Ptr}}},
      {"syslog", {{"type", K::SyslogType}, {"bufp", K::Ptr}, {"len", K::Int}}},
      {"ioperm", {{"from", K::Hex}, {"num", K::ULong}, {"turn_on", K::Int}}},
      {"iopl", {{"level", K::Int}}},
      {"vm86", {{"fn", K::ULong}, {"v86", K::Ptr}}},
      {"vm86old", {{"info", K::Ptr}}},
      {"io_uring_setup", {{"entries", K::UInt}, {"p", K::Ptr}}},
      {"io_uring_enter",
       {{"fd", K::Fd}, {"to_submit", K::UInt}, {"min_complete", K::UInt}, {"flags", K::UringEnterFlags},
        {"arg", K::Ptr}, {"argsz", K::ULong}}},
      {"io_uring_register", {{"fd", K::Fd}, {"opcode", K::UringRegisterOp}, {"arg", K::Ptr}, {"nr_args", K::UInt}}},
  });
}

// clone's argument order is the arch's (kernel/fork.c: CLONE_BACKWARDS on
// i386, arm, ppc and MIPS, CLONE_BACKWARDS2 on s390); where it is not
// carried here, the arguments after the stack are left unnamed.
Signature clone_signature(Arch arch) {
  const Param flags{"flags", K::CloneFlags}, stack{"stack", K::Ptr}, ptid{"parent_tid", K::Ptr},
      ctid{"child_tid", K::Ptr}, tls{"tls", K::Hex};
  switch (arch) {
    case Arch::x86_64:
    case Arch::x32: return {"clone", {flags, stack, ptid, ctid, tls}};
    case Arch::s390:
    case Arch::s390x: return {"clone", {stack, flags, ptid, ctid, tls}};
    case Arch::i386:
    case Arch::arm:
    case Arch::ppc:
    case Arch::ppc64:
    case Arch::ppc64le:
    case Arch::mips:
    case Arch::mipsel:
    case Arch::mips64:
    case Arch::mips64el:
    case Arch::mips64n32:
    case Arch::mipsel64n32: return {"clone", {flags, stack, ptid, tls, ctid}};
    default: return {"clone", {flags, stack, {"arg2", K::Hex}, {"arg3", K::Hex}, {"arg4", K::Hex}}};
  }
}

const std::unordered_map<std::string_view, Signature>& table() {
  static const auto map = [] {
    std::vector<Signature> all;
    add_files(all);
    add_mounts(all);
    add_processes(all);
    add_memory(all);
    add_network(all);
    add_kernel(all);
    std::unordered_map<std::string_view, Signature> m;
    for (auto& s : all) m.emplace(s.syscall, std::move(s));
    return m;
  }();
  return map;
}

}  // namespace

const Signature* find_signature(Arch arch, std::string_view name) {
  static const auto clones = [] {
    std::vector<Signature> v;
    for (const ArchInfo& a : all_arches()) v.push_back(clone_signature(a.arch));
    return v;
  }();
  // i386, s390 and m68k's "mmap" is old_mmap: one pointer to the six values.
  static const Signature old_mmap{"mmap", {{"args", K::Ptr}}};
  if (name == "clone") return &clones[static_cast<std::size_t>(arch)];
  if (name == "mmap" && (arch == Arch::i386 || arch == Arch::s390 || arch == Arch::m68k)) return &old_mmap;
  const auto& t = table();
  auto it = t.find(name);
  return it == t.end() ? nullptr : &it->second;
}

std::vector<std::string_view> signature_names() {
  std::vector<std::string_view> names;
  for (const auto& [name, sig] : table()) names.push_back(name);
  names.push_back("clone");
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace seccage::sandbox::decode_detail
