// Architectures (ABIs) seccage knows: their AUDIT_ARCH values, byte order and
// the names people use for them (ours, Go's, OCI's), and their syscall tables.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace seccage {

// One entry per ABI a seccomp filter can see. x32 shares AUDIT_ARCH_X86_64 with
// x86_64 and is told apart by bit 30 of the syscall number.
enum class Arch : std::uint8_t {
  x86_64,
  x32,
  i386,
  aarch64,
  arm,
  riscv64,
  ppc64le,
  ppc64,
  ppc,
  s390x,
  s390,
  mips,        // o32, big-endian
  mipsel,      // o32, little-endian
  mips64,      // n64, big-endian
  mips64el,    // n64, little-endian
  mips64n32,   // n32, big-endian
  mipsel64n32, // n32, little-endian
  loongarch64,
  parisc,
  parisc64,
  m68k,
  sh,          // little-endian
  sheb,        // big-endian
};

inline constexpr std::uint32_t kX32SyscallBit = 0x40000000u;
// Syscall number -1: no syscall. A tracer sets it to skip a call; a filter
// sees it like any number (libseccomp gives it the default action).
inline constexpr std::uint32_t kNoSyscallNr = 0xffffffffu;

struct ArchInfo {
  Arch arch;
  std::string_view name;       // canonical: "x86_64", "i386", "aarch64", ...
  std::string_view go_name;    // GOARCH as Docker's includes/excludes use it: "amd64", "386", ...
  std::string_view oci_name;   // "SCMP_ARCH_X86_64", ...
  std::uint32_t audit_arch;    // AUDIT_ARCH_* as seen in seccomp_data.arch
  bool little_endian;          // decides where the low word of args[i] lies
  bool is_64bit;
  std::uint32_t nr_offset;     // added to table numbers: 0x40000000 (x32), 4000/5000/6000 (MIPS)
  std::uint32_t max_nr;        // highest syscall number in the table (offset included)
};

// Every arch, in enum order.
std::span<const ArchInfo> all_arches();
const ArchInfo& arch_info(Arch arch);
std::string_view arch_name(Arch arch);

// Accepts canonical names, aliases (x86, arm64, amd64, ...) and OCI names
// (SCMP_ARCH_X86_64), case-insensitively. nullopt when unknown.
std::optional<Arch> parse_arch(std::string_view name);
// Same, but throws InputError naming the accepted spellings.
Arch parse_arch_or_throw(std::string_view name);

// libseccomp's and OCI's SCMP_ARCH_* names, spelled exactly as runc and crun
// compare them. ArchInfo::oci_name is the one table; these look it up.
// "SCMP_ARCH_NATIVE" stands for the arch the runtime runs as, so it names no
// arch by itself: callers decide what native means for them.
inline constexpr std::string_view kScmpArchNative = "SCMP_ARCH_NATIVE";
std::string_view scmp_arch_name(Arch arch);
// Exact match; nullopt for SCMP_ARCH_NATIVE and anything else.
std::optional<Arch> arch_from_scmp_name(std::string_view name);

// The ABI this binary runs as.
Arch native_arch();

// Arches that share one AUDIT_ARCH value (x86_64 and x32).
bool shares_audit_arch(Arch a, Arch b);

// Whether a call numbered `nr` under the arch's AUDIT_ARCH value is the
// arch's: on AUDIT_ARCH_X86_64, bit 30 of the number picks x32 or x86_64
// (-1, no syscall, is both's: a rule naming it applies on either, as in
// libseccomp); every other arch owns every number under its value.
bool arch_owns_number(Arch arch, std::uint32_t nr);
// The ABI a call came from, as the kernel names it (seccomp_data.arch and
// .nr), among every arch seccage knows (-1 on AUDIT_ARCH_X86_64 is taken as
// x86_64's); nullopt for an unknown AUDIT_ARCH.
std::optional<Arch> arch_of_call(std::uint32_t audit_arch, std::uint32_t nr);

struct SyscallEntry {
  std::string_view name;
  std::uint32_t nr;  // as the filter sees it in seccomp_data.nr (offsets included)
};

// The arch's table, sorted by number.
std::span<const SyscallEntry> syscall_table(Arch arch);
std::optional<std::uint32_t> syscall_number(Arch arch, std::string_view name);
std::optional<std::string_view> syscall_name(Arch arch, std::uint32_t nr);

// Every syscall name known on any arch, sorted and unique.
std::span<const std::string_view> all_syscall_names();
// A name's position in all_syscall_names(), found by hash: a compact key for
// code that looks one name up on several arches; kNoSyscall when no arch has
// the name. (A plain integer rather than std::optional: GCC spills a returned
// optional to memory and reloads it, which costs more than the lookup.)
inline constexpr std::uint32_t kNoSyscall = 0xffffffffu;
std::uint32_t find_syscall_name_id(std::string_view name);
// One arch's numbers by name id; kNoSyscall where the arch lacks the name.
std::span<const std::uint32_t> syscall_numbers_by_id(Arch arch);

// i386 (and other arches with socketcall/ipc): the sub-calls multiplexed
// through socketcall(2) and ipc(2), by their first argument.
struct MultiplexedCall {
  std::string_view name;      // "socket", "semop", ...
  std::string_view via;       // "socketcall" or "ipc"
  std::uint32_t call;         // value of args[0]
};
std::span<const MultiplexedCall> multiplexed_calls();
std::optional<MultiplexedCall> multiplexed_call(std::string_view name);
// The same by find_syscall_name_id() (every sub-call name has one).
std::optional<MultiplexedCall> multiplexed_call_by_id(std::uint32_t name_id);

// Resolves a name or a decimal/hex number for an arch; throws InputError with
// a did-you-mean ("unknown syscall 'opnat' on x86_64 (did you mean 'openat'?)").
std::uint32_t resolve_syscall(Arch arch, std::string_view name_or_number);

}  // namespace seccage
