// decode_value(): from a parameter's kind to the decoder of its family.
#include <cstring>

#include <fmt/core.h>

#include "sandbox/decode/families.hpp"
#include "sandbox/decode/signatures.hpp"

namespace seccage::sandbox::decode_detail {
namespace {

std::uint64_t aux_value(const Param& p, const Call& call) {
  return p.aux >= 0 && p.aux < 6 ? call.args[static_cast<std::size_t>(p.aux)] : 0;
}

// Bytes of a buffer whose length is another argument: only as many as are
// shown are read.
std::string buffer(const Call& call, std::uint64_t addr, std::uint64_t count) {
  if (addr == 0 || !call.reader) return pointer(addr);
  const auto shown = static_cast<std::size_t>(std::min<std::uint64_t>(count, call.options.string_limit));
  auto bytes = call.reader(addr, shown, false);
  if (!bytes) return pointer(addr);
  return quote(*bytes, count > bytes->size());
}

// A NULL-terminated array of string pointers, the first argv_limit shown.
std::string argv(const Call& call, std::uint64_t addr) {
  if (addr == 0 || !call.reader) return pointer(addr);
  const std::size_t w = call.word();
  std::string out = "[";
  for (std::size_t k = 0; k < call.options.argv_limit + 1; ++k) {
    auto raw = call.bytes(addr + k * w, w);
    if (!raw) return out + (k ? ", " : "") + "?]";
    const std::uint64_t ptr = load(*raw, 0, w, call.little_endian());
    if (ptr == 0) return out + "]";
    if (k == call.options.argv_limit) return out + ", ...]";
    if (k) out += ", ";
    out += call.string_at(ptr);
  }
  return out + "]";
}

std::optional<std::string> plain(const Param& p, const Call& call, std::size_t i) {
  const std::uint64_t v = call.args[i];
  switch (p.kind) {
    case Kind::Int: return fmt::format("{}", call.as_int(i));
    case Kind::UInt: return fmt::format("{}", static_cast<std::uint32_t>(v));
    case Kind::Long: return fmt::format("{}", call.as_long(i));
    case Kind::ULong: return fmt::format("{}", call.as_ulong(i));
    case Kind::Hex: return hex(v);
    case Kind::Ptr: return pointer(v);
    case Kind::Fd: return fmt::format("{}", call.as_int(i));
    case Kind::DirFd: return dir_fd(call.as_int(i));
    case Kind::Path: return call.string_at(v);
    case Kind::Buf: return buffer(call, v, aux_value(p, call));
    case Kind::Argv: return argv(call, v);
    case Kind::Off64: return fmt::format("{}", static_cast<std::int64_t>(v));
    case Kind::Mode: return file_mode(static_cast<std::uint32_t>(v));
    case Kind::Dev: return device_number(v);
    case Kind::Id: return user_id(v);
    default: return std::nullopt;
  }
}

std::optional<std::string> files(const Param& p, const Call& call, std::size_t i) {
  const std::uint64_t v = call.args[i];
  const auto u = static_cast<std::uint32_t>(v);
  switch (p.kind) {
    case Kind::OpenFlags: return open_flags(call.arch, u);
    case Kind::AtFlags: return at_flags(u);
    case Kind::UnlinkAtFlags: return unlinkat_flags(u);
    case Kind::AccessMode: return access_mode(u);
    case Kind::AccessAtFlags: return faccessat_flags(u);
    case Kind::RenameFlags: return rename_flags(u);
    case Kind::StatxMask: return statx_mask(u);
    case Kind::FcntlCmd: return fcntl_command(call.arch, u);
    case Kind::FcntlArg: return fcntl_argument(call, i, static_cast<std::size_t>(p.aux));
    case Kind::MountFlags: return mount_flags(call.as_ulong(i));
    case Kind::UmountFlags: return umount_flags(u);
    case Kind::MemfdFlags: return memfd_flags(u);
    case Kind::Whence: return seek_whence(u);
    case Kind::FallocMode: return fallocate_mode(u);
    case Kind::XattrFlags: return xattr_flags(u);
    case Kind::Prot: return prot_flags(call.as_ulong(i));
    case Kind::MapFlags: return map_flags(call.arch, call.as_ulong(i));
    case Kind::Madvise: return madvise_advice(call.arch, u);
    case Kind::MremapFlags: return mremap_flags(call.as_ulong(i));
    default: return std::nullopt;
  }
}

std::optional<std::string> processes(const Param& p, const Call& call, std::size_t i) {
  const std::uint64_t v = call.args[i];
  const auto u = static_cast<std::uint32_t>(v);
  switch (p.kind) {
    case Kind::Signal: return signal_name(call.arch, u);
    case Kind::CloneFlags: return clone_flags(call.arch, call.as_ulong(i), true);
    case Kind::NsFlags: return namespace_flags(u);
    case Kind::CloneArgs: return clone_args(call, v, aux_value(p, call));
    case Kind::PtraceRequest: return ptrace_request(call.arch, call.as_ulong(i));
    case Kind::PtraceData: return ptrace_data(call, i, static_cast<std::size_t>(p.aux));
    case Kind::Rlimit: return rlimit_resource(call.arch, u);
    case Kind::Rlimit64Ptr: return v == 0 ? std::string("NULL") : rlimit64_at(call, v);
    case Kind::RlimitPtr: return v == 0 ? std::string("NULL") : rlimit_at(call, v);
    case Kind::PrctlOption: return prctl_option(v);
    case Kind::PrctlArg: return prctl_argument(call, i, static_cast<std::size_t>(p.aux));
    case Kind::Personality: return personality(v);
    case Kind::WaitOptions: return wait_options(u);
    case Kind::IdType: return id_type(u);
    case Kind::Domain: return address_family(u);
    case Kind::SockType: return socket_type(call.arch, u);
    case Kind::Protocol: return socket_protocol(call, i, static_cast<std::size_t>(p.aux));
    case Kind::SockAddr: return v == 0 ? std::string("NULL") : socket_address(call, v, aux_value(p, call));
    case Kind::MsgHdr: return message_header(call, v);
    case Kind::SockLevel: return socket_level(call.arch, u);
    case Kind::MsgFlags: return message_flags(u);
    case Kind::ShutdownHow: return shutdown_how(u);
    case Kind::IoctlRequest: return ioctl_request(call.arch, v);
    case Kind::IoctlArg: return ioctl_argument(call, i, static_cast<std::size_t>(p.aux));
    default: return std::nullopt;
  }
}

std::optional<std::string> kernel(const Param& p, const Call& call, std::size_t i) {
  const std::uint64_t v = call.args[i];
  const auto u = static_cast<std::uint32_t>(v);
  switch (p.kind) {
    case Kind::BpfCmd: return bpf_command(u);
    case Kind::KeyctlOp: return keyctl_operation(u);
    case Kind::KeySerial: return key_serial(call.as_int(i));
    case Kind::SeccompOp: return seccomp_operation(u);
    case Kind::SeccompFlags: return seccomp_flags(u);
    case Kind::RebootMagic: return reboot_magic(u);
    case Kind::RebootCmd: return reboot_command(u);
    case Kind::SyslogType: return syslog_action(u);
    case Kind::ClockId: return clock_id(call.as_int(i));
    case Kind::ModuleFlags: return module_flags(u);
    case Kind::PerfFlags: return perf_flags(call.as_ulong(i));
    case Kind::UffdFlags: return userfaultfd_flags(call.arch, u);
    case Kind::FanotifyFlags: return fanotify_init_flags(u);
    case Kind::SwapFlags: return swap_flags(u);
    case Kind::KcmpType: return kcmp_type(u);
    case Kind::MempolicyMode: return mempolicy_mode(u);
    case Kind::OpenTreeFlags: return open_tree_flags(call.arch, u);
    case Kind::FspickFlags: return fspick_flags(u);
    case Kind::MoveMountFlags: return move_mount_flags(u);
    case Kind::FsopenFlags: return fsopen_flags(u);
    case Kind::FsconfigCmd: return fsconfig_command(u);
    case Kind::FsmountFlags: return fsmount_flags(u);
    case Kind::MountAttrFlags: return mount_attr_flags(u);
    case Kind::QuotactlCmd: return quotactl_command(u);
    case Kind::UringEnterFlags: return io_uring_enter_flags(u);
    case Kind::UringRegisterOp: return io_uring_register_opcode(u);
    case Kind::KexecFlags: return kexec_flags(call.as_ulong(i));
    case Kind::KexecFileFlags: return kexec_file_flags(call.as_ulong(i));
    default: return std::nullopt;
  }
}

}  // namespace

std::string decode_value(const Param& param, const Call& call, std::size_t i) {
  if (auto s = plain(param, call, i)) return *s;
  if (auto s = files(param, call, i)) return *s;
  if (auto s = processes(param, call, i)) return *s;
  if (auto s = kernel(param, call, i)) return *s;
  return hex(call.args[i]);  // SocketcallCall: decode.cpp names it
}

}  // namespace seccage::sandbox::decode_detail
