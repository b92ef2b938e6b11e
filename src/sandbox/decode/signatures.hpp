// The signature table: for each syscall, its arguments' names (the man
// pages') and kinds (how a value is shown). Kinds that need another argument
// (a buffer's length, the command an argument belongs to) name it in `aux`.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/decode/common.hpp"

namespace seccage::sandbox::decode_detail {

enum class Kind : std::uint8_t {
  // plain values
  Int, UInt, Long, ULong, Hex, Ptr, Fd, DirFd, Path, Buf, Argv, Off64, Mode, Dev, Id,
  // files
  OpenFlags, AtFlags, UnlinkAtFlags, AccessMode, AccessAtFlags, RenameFlags, StatxMask, FcntlCmd, FcntlArg,
  MountFlags, UmountFlags, MemfdFlags, Whence, FallocMode, XattrFlags,
  // memory
  Prot, MapFlags, Madvise, MremapFlags,
  // processes
  Signal, CloneFlags, NsFlags, CloneArgs, PtraceRequest, PtraceData, Rlimit, Rlimit64Ptr, RlimitPtr, PrctlOption,
  PrctlArg, Personality, WaitOptions, IdType,
  // networking
  Domain, SockType, Protocol, SockAddr, MsgHdr, SockLevel, MsgFlags, ShutdownHow,
  // ioctl
  IoctlRequest, IoctlArg,
  // the kernel
  BpfCmd, KeyctlOp, KeySerial, SeccompOp, SeccompFlags, RebootMagic, RebootCmd, SyslogType, ClockId, ModuleFlags,
  PerfFlags, UffdFlags, FanotifyFlags, SwapFlags, KcmpType, MempolicyMode, OpenTreeFlags, FspickFlags,
  MoveMountFlags, FsopenFlags, FsconfigCmd, FsmountFlags, MountAttrFlags, QuotactlCmd, UringEnterFlags,
  UringRegisterOp, KexecFlags, KexecFileFlags, SocketcallCall,
};

struct Param {
  std::string_view name;
  Kind kind;
  // Buf, SockAddr: the length; CloneArgs: the size; FcntlArg, PtraceData,
  // PrctlArg, IoctlArg: the command; Protocol: the domain.
  std::int8_t aux = -1;
};

struct Signature {
  std::string_view syscall;
  std::vector<Param> params;
};

// The signature of `name` as called on `arch` (clone's arguments and i386's
// old mmap differ by arch), or nullptr when the table has none.
const Signature* find_signature(Arch arch, std::string_view name);

// Every syscall with a signature (for tests).
std::vector<std::string_view> signature_names();

// The value of argument i shown as its kind says.
std::string decode_value(const Param& param, const Call& call, std::size_t i);

}  // namespace seccage::sandbox::decode_detail
