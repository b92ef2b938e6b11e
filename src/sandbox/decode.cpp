#include "sandbox/decode.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

#include <fmt/core.h>

namespace seccage::sandbox {
namespace {

enum class Kind : std::uint8_t {
  Int,       // signed decimal
  UInt,      // unsigned decimal
  Hex,
  Ptr,       // an address whose contents are not shown (output buffers, structs)
  Fd,        // int; AT_FDCWD by name
  Path,      // NUL-terminated string in memory
  Buf,       // bytes in memory, the count in the next argument
  Argv,      // NULL-terminated array of strings
  OFlags,
  Mode,      // octal
  Prot,
  MapFlags,
  Signal,
  Domain,
  SockType,
  CloneFlags,
};

struct Param {
  const char* name;
  Kind kind;
};

struct Signature {
  std::string_view syscall;
  std::vector<Param> params;
};

// The syscalls people meet in violation reports: file access, exec, process
// and memory control, networking, and what container profiles deny. The
// argument names are the man pages'.
const std::vector<Signature>& signatures() {
  static const std::vector<Signature> table = {
      {"read", {{"fd", Kind::Fd}, {"buf", Kind::Ptr}, {"count", Kind::UInt}}},
      {"write", {{"fd", Kind::Fd}, {"buf", Kind::Buf}, {"count", Kind::UInt}}},
      {"pread64", {{"fd", Kind::Fd}, {"buf", Kind::Ptr}, {"count", Kind::UInt}, {"offset", Kind::Int}}},
      {"pwrite64", {{"fd", Kind::Fd}, {"buf", Kind::Buf}, {"count", Kind::UInt}, {"offset", Kind::Int}}},
      {"readv", {{"fd", Kind::Fd}, {"iov", Kind::Ptr}, {"iovcnt", Kind::Int}}},
      {"writev", {{"fd", Kind::Fd}, {"iov", Kind::Ptr}, {"iovcnt", Kind::Int}}},
      {"open", {{"pathname", Kind::Path}, {"flags", Kind::OFlags}, {"mode", Kind::Mode}}},
      {"openat", {{"dirfd", Kind::Fd}, {"pathname", Kind::Path}, {"flags", Kind::OFlags}, {"mode", Kind::Mode}}},
      {"openat2", {{"dirfd", Kind::Fd}, {"pathname", Kind::Path}, {"how", Kind::Ptr}, {"size", Kind::UInt}}},
      {"creat", {{"pathname", Kind::Path}, {"mode", Kind::Mode}}},
      {"close", {{"fd", Kind::Fd}}},
      {"execve", {{"pathname", Kind::Path}, {"argv", Kind::Argv}, {"envp", Kind::Ptr}}},
      {"execveat",
       {{"dirfd", Kind::Fd}, {"pathname", Kind::Path}, {"argv", Kind::Argv}, {"envp", Kind::Ptr}, {"flags", Kind::Hex}}},
      {"unlink", {{"pathname", Kind::Path}}},
      {"unlinkat", {{"dirfd", Kind::Fd}, {"pathname", Kind::Path}, {"flags", Kind::Hex}}},
      {"mkdir", {{"pathname", Kind::Path}, {"mode", Kind::Mode}}},
      {"mkdirat", {{"dirfd", Kind::Fd}, {"pathname", Kind::Path}, {"mode", Kind::Mode}}},
      {"rmdir", {{"pathname", Kind::Path}}},
      {"rename", {{"oldpath", Kind::Path}, {"newpath", Kind::Path}}},
      {"renameat", {{"olddirfd", Kind::Fd}, {"oldpath", Kind::Path}, {"newdirfd", Kind::Fd}, {"newpath", Kind::Path}}},
      {"renameat2",
       {{"olddirfd", Kind::Fd}, {"oldpath", Kind::Path}, {"newdirfd", Kind::Fd}, {"newpath", Kind::Path}, {"flags", Kind::Hex}}},
      {"link", {{"oldpath", Kind::Path}, {"newpath", Kind::Path}}},
      {"linkat",
       {{"olddirfd", Kind::Fd}, {"oldpath", Kind::Path}, {"newdirfd", Kind::Fd}, {"newpath", Kind::Path}, {"flags", Kind::Hex}}},
      {"symlink", {{"target", Kind::Path}, {"linkpath", Kind::Path}}},
      {"symlinkat", {{"target", Kind::Path}, {"newdirfd", Kind::Fd}, {"linkpath", Kind::Path}}},
      {"chmod", {{"pathname", Kind::Path}, {"mode", Kind::Mode}}},
      {"fchmod", {{"fd", Kind::Fd}, {"mode", Kind::Mode}}},
      {"fchmodat", {{"dirfd", Kind::Fd}, {"pathname", Kind::Path}, {"mode", Kind::Mode}}},
      {"chown", {{"pathname", Kind::Path}, {"owner", Kind::Int}, {"group", Kind::Int}}},
      {"lchown", {{"pathname", Kind::Path}, {"owner", Kind::Int}, {"group", Kind::Int}}},
      {"fchownat",
       {{"dirfd", Kind::Fd}, {"pathname", Kind::Path}, {"owner", Kind::Int}, {"group", Kind::Int}, {"flags", Kind::Hex}}},
      {"truncate", {{"path", Kind::Path}, {"length", Kind::Int}}},
      {"ftruncate", {{"fd", Kind::Fd}, {"length", Kind::Int}}},
      {"access", {{"pathname", Kind::Path}, {"mode", Kind::Int}}},
      {"faccessat", {{"dirfd", Kind::Fd}, {"pathname", Kind::Path}, {"mode", Kind::Int}}},
      {"faccessat2", {{"dirfd", Kind::Fd}, {"pathname", Kind::Path}, {"mode", Kind::Int}, {"flags", Kind::Hex}}},
      {"stat", {{"pathname", Kind::Path}, {"statbuf", Kind::Ptr}}},
      {"lstat", {{"pathname", Kind::Path}, {"statbuf", Kind::Ptr}}},
      {"newfstatat", {{"dirfd", Kind::Fd}, {"pathname", Kind::Path}, {"statbuf", Kind::Ptr}, {"flags", Kind::Hex}}},
      {"statx",
       {{"dirfd", Kind::Fd}, {"pathname", Kind::Path}, {"flags", Kind::Hex}, {"mask", Kind::Hex}, {"statxbuf", Kind::Ptr}}},
      {"chdir", {{"path", Kind::Path}}},
      {"chroot", {{"path", Kind::Path}}},
      {"utimensat", {{"dirfd", Kind::Fd}, {"pathname", Kind::Path}, {"times", Kind::Ptr}, {"flags", Kind::Hex}}},
      {"socket", {{"domain", Kind::Domain}, {"type", Kind::SockType}, {"protocol", Kind::Int}}},
      {"socketpair", {{"domain", Kind::Domain}, {"type", Kind::SockType}, {"protocol", Kind::Int}, {"sv", Kind::Ptr}}},
      {"connect", {{"sockfd", Kind::Fd}, {"addr", Kind::Ptr}, {"addrlen", Kind::UInt}}},
      {"bind", {{"sockfd", Kind::Fd}, {"addr", Kind::Ptr}, {"addrlen", Kind::UInt}}},
      {"listen", {{"sockfd", Kind::Fd}, {"backlog", Kind::Int}}},
      {"accept", {{"sockfd", Kind::Fd}, {"addr", Kind::Ptr}, {"addrlen", Kind::Ptr}}},
      {"accept4", {{"sockfd", Kind::Fd}, {"addr", Kind::Ptr}, {"addrlen", Kind::Ptr}, {"flags", Kind::Hex}}},
      {"sendto",
       {{"sockfd", Kind::Fd}, {"buf", Kind::Buf}, {"len", Kind::UInt}, {"flags", Kind::Hex}, {"dest_addr", Kind::Ptr},
        {"addrlen", Kind::UInt}}},
      {"kill", {{"pid", Kind::Int}, {"sig", Kind::Signal}}},
      {"tkill", {{"tid", Kind::Int}, {"sig", Kind::Signal}}},
      {"tgkill", {{"tgid", Kind::Int}, {"tid", Kind::Int}, {"sig", Kind::Signal}}},
      {"clone", {{"flags", Kind::CloneFlags}, {"stack", Kind::Ptr}, {"parent_tid", Kind::Ptr}, {"child_tid", Kind::Ptr}, {"tls", Kind::Hex}}},
      {"clone3", {{"cl_args", Kind::Ptr}, {"size", Kind::UInt}}},
      {"fork", {}},
      {"vfork", {}},
      {"unshare", {{"flags", Kind::CloneFlags}}},
      {"setns", {{"fd", Kind::Fd}, {"nstype", Kind::CloneFlags}}},
      {"mmap",
       {{"addr", Kind::Ptr}, {"length", Kind::UInt}, {"prot", Kind::Prot}, {"flags", Kind::MapFlags}, {"fd", Kind::Fd},
        {"offset", Kind::Hex}}},
      {"mprotect", {{"addr", Kind::Ptr}, {"len", Kind::UInt}, {"prot", Kind::Prot}}},
      {"ptrace", {{"request", Kind::Int}, {"pid", Kind::Int}, {"addr", Kind::Ptr}, {"data", Kind::Ptr}}},
      {"mount",
       {{"source", Kind::Path}, {"target", Kind::Path}, {"filesystemtype", Kind::Path}, {"mountflags", Kind::Hex},
        {"data", Kind::Ptr}}},
      {"umount2", {{"target", Kind::Path}, {"flags", Kind::Hex}}},
      {"ioctl", {{"fd", Kind::Fd}, {"request", Kind::Hex}, {"arg", Kind::Hex}}},
      {"prctl", {{"option", Kind::Int}, {"arg2", Kind::Hex}, {"arg3", Kind::Hex}, {"arg4", Kind::Hex}, {"arg5", Kind::Hex}}},
      {"personality", {{"persona", Kind::Hex}}},
      {"setuid", {{"uid", Kind::Int}}},
      {"setgid", {{"gid", Kind::Int}}},
      {"memfd_create", {{"name", Kind::Path}, {"flags", Kind::Hex}}},
      {"bpf", {{"cmd", Kind::Int}, {"attr", Kind::Ptr}, {"size", Kind::UInt}}},
      {"init_module", {{"module_image", Kind::Ptr}, {"len", Kind::UInt}, {"param_values", Kind::Path}}},
      {"finit_module", {{"fd", Kind::Fd}, {"param_values", Kind::Path}, {"flags", Kind::Hex}}},
      {"reboot", {{"magic", Kind::Hex}, {"magic2", Kind::Hex}, {"cmd", Kind::Hex}, {"arg", Kind::Ptr}}},
      {"exit", {{"status", Kind::Int}}},
      {"exit_group", {{"status", Kind::Int}}},
      {"getpid", {}},
      {"getppid", {}},
  };
  return table;
}

// Flag and enum constants come from this machine's headers, so they are right
// for the native arch; x86_64, x32 and i386 share them.
bool native_constants(Arch arch) {
  const Arch native = native_arch();
  if (arch == native) return true;
  auto x86 = [](Arch a) { return a == Arch::x86_64 || a == Arch::x32 || a == Arch::i386; };
  return x86(arch) && x86(native);
}

struct FlagName {
  std::uint64_t bit;
  const char* name;
};

// Names the set bits; what no name covers is appended in hex.
std::string flag_list(std::uint64_t value, const std::vector<FlagName>& names, std::string first = {}) {
  std::string out = std::move(first);
  for (const auto& f : names) {
    if (f.bit != 0 && (value & f.bit) == f.bit) {
      if (!out.empty()) out += '|';
      out += f.name;
      value &= ~f.bit;
    }
  }
  if (value != 0 || out.empty()) {
    if (!out.empty()) out += '|';
    out += fmt::format("{:#x}", value);
  }
  return out;
}

std::string map_flags(std::uint64_t flags) {
  std::string type;
  switch (flags & 0x3) {
    case MAP_SHARED: type = "MAP_SHARED"; break;
    case MAP_PRIVATE: type = "MAP_PRIVATE"; break;
#ifdef MAP_SHARED_VALIDATE
    case MAP_SHARED_VALIDATE: type = "MAP_SHARED_VALIDATE"; break;
#endif
    default: break;
  }
  if (!type.empty()) flags &= ~std::uint64_t{0x3};
  return flag_list(flags,
                   {{MAP_FIXED, "MAP_FIXED"}, {MAP_ANONYMOUS, "MAP_ANONYMOUS"}, {MAP_GROWSDOWN, "MAP_GROWSDOWN"},
                    {MAP_DENYWRITE, "MAP_DENYWRITE"}, {MAP_EXECUTABLE, "MAP_EXECUTABLE"}, {MAP_LOCKED, "MAP_LOCKED"},
                    {MAP_NORESERVE, "MAP_NORESERVE"}, {MAP_POPULATE, "MAP_POPULATE"}, {MAP_NONBLOCK, "MAP_NONBLOCK"},
                    {MAP_STACK, "MAP_STACK"}, {MAP_HUGETLB, "MAP_HUGETLB"}, {MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"}},
                   type);
}

std::string clone_flags(std::uint64_t flags, bool with_signal) {
  std::string sig;
  if (with_signal && (flags & CSIGNAL) != 0) {
    sig = signal_name(flags & CSIGNAL);
    flags &= ~std::uint64_t{CSIGNAL};
  }
  std::string out = flag_list(
      flags, {{CLONE_VM, "CLONE_VM"}, {CLONE_FS, "CLONE_FS"}, {CLONE_FILES, "CLONE_FILES"},
              {CLONE_SIGHAND, "CLONE_SIGHAND"}, {CLONE_PIDFD, "CLONE_PIDFD"}, {CLONE_PTRACE, "CLONE_PTRACE"},
              {CLONE_VFORK, "CLONE_VFORK"}, {CLONE_PARENT, "CLONE_PARENT"}, {CLONE_THREAD, "CLONE_THREAD"},
              {CLONE_NEWNS, "CLONE_NEWNS"}, {CLONE_SYSVSEM, "CLONE_SYSVSEM"}, {CLONE_SETTLS, "CLONE_SETTLS"},
              {CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID"}, {CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID"},
              {CLONE_UNTRACED, "CLONE_UNTRACED"}, {CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID"},
              {CLONE_NEWCGROUP, "CLONE_NEWCGROUP"}, {CLONE_NEWUTS, "CLONE_NEWUTS"}, {CLONE_NEWIPC, "CLONE_NEWIPC"},
              {CLONE_NEWUSER, "CLONE_NEWUSER"}, {CLONE_NEWPID, "CLONE_NEWPID"}, {CLONE_NEWNET, "CLONE_NEWNET"},
              {CLONE_IO, "CLONE_IO"}});
  if (sig.empty()) return out;
  return out == "0x0" ? sig : out + "|" + sig;
}

std::string domain_name(std::uint64_t d) {
  switch (d) {
    case AF_UNIX: return "AF_UNIX";
    case AF_INET: return "AF_INET";
    case AF_INET6: return "AF_INET6";
    case AF_NETLINK: return "AF_NETLINK";
    case AF_PACKET: return "AF_PACKET";
    case AF_UNSPEC: return "AF_UNSPEC";
    default: return fmt::format("{}", d);
  }
}

std::string sock_type(std::uint64_t t) {
  std::string base;
  switch (t & 0xf) {
    case SOCK_STREAM: base = "SOCK_STREAM"; break;
    case SOCK_DGRAM: base = "SOCK_DGRAM"; break;
    case SOCK_RAW: base = "SOCK_RAW"; break;
    case SOCK_SEQPACKET: base = "SOCK_SEQPACKET"; break;
    default: base = fmt::format("{}", t & 0xf); break;
  }
  t &= ~std::uint64_t{0xf};
  if (t == 0) return base;
  return flag_list(t, {{SOCK_NONBLOCK, "SOCK_NONBLOCK"}, {SOCK_CLOEXEC, "SOCK_CLOEXEC"}}, base);
}

std::string decode_one(const Param& p, Arch arch, const std::array<std::uint64_t, 6>& args, std::size_t i,
                       const MemoryReader& reader, const DecodeOptions& options) {
  const std::uint64_t v = args[i];
  const bool is64 = arch_info(arch).is_64bit;
  // 32-bit ABIs pass 32-bit ints: sign-extend from 32 bits there, and from
  // 32 bits for int-typed arguments everywhere (fd, pid, signal are int).
  const auto as_int = static_cast<std::int64_t>(static_cast<std::int32_t>(static_cast<std::uint32_t>(v)));
  const bool named = native_constants(arch);
  auto address = [&] { return v == 0 ? std::string("NULL") : fmt::format("{:#x}", v); };
  auto string_at = [&](std::uint64_t addr, std::size_t max, bool cstring) -> std::string {
    if (addr == 0) return "NULL";
    if (!reader) return fmt::format("{:#x}", addr);
    // One byte more than shown tells whether the string was cut.
    auto bytes = reader(addr, max + 1, cstring);
    if (!bytes) return fmt::format("{:#x}", addr);
    const bool cut = bytes->size() > max;
    if (cut) bytes->resize(max);
    return quote(*bytes, cut);
  };
  switch (p.kind) {
    case Kind::Int: return fmt::format("{}", is64 ? static_cast<std::int64_t>(v) : as_int);
    case Kind::UInt: return fmt::format("{}", is64 ? v : static_cast<std::uint32_t>(v));
    case Kind::Hex: return fmt::format("{:#x}", v);
    case Kind::Ptr: return address();
    case Kind::Fd:
      if (as_int == AT_FDCWD) return "AT_FDCWD";
      return fmt::format("{}", as_int);
    case Kind::Path: return string_at(v, options.string_limit, true);
    case Kind::Buf: {
      // The count is the next argument; only as many bytes as shown are read.
      const std::uint64_t count = i + 1 < 6 ? args[i + 1] : 0;
      if (v == 0 || !reader) return address();
      const std::size_t shown = static_cast<std::size_t>(std::min<std::uint64_t>(count, options.string_limit));
      auto bytes = reader(v, shown, false);
      if (!bytes) return address();
      return quote(*bytes, count > bytes->size());
    }
    case Kind::Argv: {
      if (v == 0 || !reader) return address();
      const std::size_t ptr_size = is64 ? 8 : 4;
      std::string out = "[";
      for (std::size_t k = 0; k < options.argv_limit + 1; ++k) {
        auto raw = reader(v + k * ptr_size, ptr_size, false);
        if (!raw || raw->size() != ptr_size) return out + (k ? ", " : "") + "?]";
        std::uint64_t ptr = 0;
        // The reader returns the target's bytes; on a little-endian host the
        // pointer's low bytes come first (seccage runs on the host's arch).
        std::memcpy(&ptr, raw->data(), ptr_size);
        if (ptr == 0) return out + "]";
        if (k == options.argv_limit) return out + ", ...]";
        if (k) out += ", ";
        out += string_at(ptr, options.string_limit, true);
      }
      return out + "]";
    }
    case Kind::OFlags: return named ? open_flags(v) : fmt::format("{:#x}", v);
    case Kind::Mode: return fmt::format("0{:o}", v);
    case Kind::Prot: return named ? prot_flags(v) : fmt::format("{:#x}", v);
    case Kind::MapFlags: return named ? map_flags(v) : fmt::format("{:#x}", v);
    case Kind::Signal: return named ? signal_name(v) : fmt::format("{}", v);
    case Kind::Domain: return named ? domain_name(v) : fmt::format("{}", v);
    case Kind::SockType: return named ? sock_type(v) : fmt::format("{:#x}", v);
    case Kind::CloneFlags: return named ? clone_flags(v, std::string_view(p.name) == "flags") : fmt::format("{:#x}", v);
  }
  return fmt::format("{:#x}", v);
}

}  // namespace

std::string quote(std::string_view bytes, bool cut) {
  std::string out = "\"";
  for (unsigned char c : bytes) {
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default:
        if (c < 0x20 || c >= 0x7f) out += fmt::format("\\x{:02x}", c);
        else out += static_cast<char>(c);
    }
  }
  out += '"';
  if (cut) out += "...";
  return out;
}

std::string open_flags(std::uint64_t flags) {
  std::string access;
  switch (flags & O_ACCMODE) {
    case O_RDONLY: access = "O_RDONLY"; break;
    case O_WRONLY: access = "O_WRONLY"; break;
    case O_RDWR: access = "O_RDWR"; break;
    default: access = "O_ACCMODE"; break;
  }
  flags &= ~std::uint64_t{O_ACCMODE};
  // O_TMPFILE and O_SYNC include other bits (O_DIRECTORY, O_DSYNC): list
  // them first so their parts are not named on their own.
  return flag_list(flags,
                   {{O_TMPFILE, "O_TMPFILE"}, {O_SYNC, "O_SYNC"}, {O_CREAT, "O_CREAT"}, {O_EXCL, "O_EXCL"},
                    {O_NOCTTY, "O_NOCTTY"}, {O_TRUNC, "O_TRUNC"}, {O_APPEND, "O_APPEND"}, {O_NONBLOCK, "O_NONBLOCK"},
                    {O_DSYNC, "O_DSYNC"}, {O_ASYNC, "O_ASYNC"}, {O_DIRECT, "O_DIRECT"}, {O_LARGEFILE, "O_LARGEFILE"},
                    {O_DIRECTORY, "O_DIRECTORY"}, {O_NOFOLLOW, "O_NOFOLLOW"}, {O_NOATIME, "O_NOATIME"},
                    {O_CLOEXEC, "O_CLOEXEC"}, {O_PATH, "O_PATH"}},
                   access);
}

std::string prot_flags(std::uint64_t prot) {
  if (prot == 0) return "PROT_NONE";
  return flag_list(prot, {{PROT_READ, "PROT_READ"},
                          {PROT_WRITE, "PROT_WRITE"},
                          {PROT_EXEC, "PROT_EXEC"},
                          {PROT_GROWSDOWN, "PROT_GROWSDOWN"},
                          {PROT_GROWSUP, "PROT_GROWSUP"}});
}

std::string signal_name(std::uint64_t sig) {
  if (sig == 0) return "0";
  if (sig < static_cast<std::uint64_t>(SIGRTMIN) || sig > 64) {
    if (const char* abbrev = sig < 65 ? sigabbrev_np(static_cast<int>(sig)) : nullptr)
      return fmt::format("SIG{}", abbrev);
    return fmt::format("{}", sig);
  }
  return fmt::format("SIGRTMIN+{}", sig - static_cast<std::uint64_t>(SIGRTMIN));
}

std::string decode_call(Arch arch, std::string_view name, const std::array<std::uint64_t, 6>& args,
                        const MemoryReader& reader, const DecodeOptions& options) {
  for (const Signature& s : signatures()) {
    if (s.syscall != name) continue;
    std::string out = fmt::format("{}(", name);
    for (std::size_t i = 0; i < s.params.size(); ++i) {
      if (i) out += ", ";
      out += fmt::format("{}={}", s.params[i].name, decode_one(s.params[i], arch, args, i, reader, options));
    }
    return out + ")";
  }
  return fmt::format("{}({:#x}, {:#x}, {:#x}, {:#x}, {:#x}, {:#x})", name, args[0], args[1], args[2], args[3], args[4],
                     args[5]);
}

}  // namespace seccage::sandbox
