// Classic BPF as seccomp accepts it: the program type, raw I/O, the verifier,
// the disassembler and the emulator.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "seccage/action.hpp"
#include "seccage/arch.hpp"

namespace seccage::bpf {

// Layout-identical to struct sock_filter.
struct Insn {
  std::uint16_t code = 0;
  std::uint8_t jt = 0;
  std::uint8_t jf = 0;
  std::uint32_t k = 0;
  friend bool operator==(const Insn&, const Insn&) = default;
};
static_assert(sizeof(Insn) == 8);

inline constexpr std::size_t kMaxInsns = 4096;  // BPF_MAXINSNS

// Opcode pieces (linux/filter.h values, named here so that users of this
// header need no kernel headers).
namespace op {
inline constexpr std::uint16_t LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, RET = 0x06, MISC = 0x07;
inline constexpr std::uint16_t W = 0x00, H = 0x08, B = 0x10;
inline constexpr std::uint16_t IMM = 0x00, ABS = 0x20, IND = 0x40, MEM = 0x60, LEN = 0x80, MSH = 0xa0;
inline constexpr std::uint16_t ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60, RSH = 0x70, NEG = 0x80, MOD = 0x90, XOR = 0xa0;
inline constexpr std::uint16_t JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40;
inline constexpr std::uint16_t K = 0x00, X = 0x08, A = 0x10;
inline constexpr std::uint16_t TAX = 0x00, TXA = 0x80;
}  // namespace op

inline constexpr Insn stmt(std::uint16_t code, std::uint32_t k) { return {code, 0, 0, k}; }
inline constexpr Insn jump(std::uint16_t code, std::uint32_t k, std::uint8_t jt, std::uint8_t jf) { return {code, jt, jf, k}; }

// Offsets inside struct seccomp_data.
inline constexpr std::uint32_t kOffNr = 0;
inline constexpr std::uint32_t kOffArch = 4;
inline constexpr std::uint32_t kOffIp = 8;
inline constexpr std::uint32_t kOffArgs = 16;
inline constexpr std::uint32_t kSeccompDataSize = 64;
// Where the low and high 32-bit halves of args[i] lie, by byte order.
std::uint32_t arg_low_offset(unsigned index, bool little_endian);
std::uint32_t arg_high_offset(unsigned index, bool little_endian);

using Program = std::vector<Insn>;

// Raw binary: an array of struct sock_filter in host byte order (the format of
// `bwrap --seccomp FD`, seccomp_export_bpf and PTRACE_SECCOMP_GET_FILTER).
// read_* throw InputError on a size that is not a multiple of 8, is empty, or
// passes 4096 instructions; they do not verify.
Program read_raw(std::span<const std::byte> bytes);
Program read_raw_file(const std::filesystem::path& path);
std::vector<std::byte> to_raw(const Program& program);
// Writes to a temporary file beside `path` and renames it into place, so a
// failure never leaves a half-written file.
void write_raw_file(const Program& program, const std::filesystem::path& path);

// The kernel's rules (seccomp_check_filter and bpf_check_classic).
struct VerifyError {
  std::size_t index;   // instruction index, or the program size for whole-program errors
  std::string rule;    // "jump target 4100 is past the end (program has 12 instructions)"
  std::string to_string() const;  // "instruction 3: ..."
};
std::optional<VerifyError> verify(const Program& program);
// Throws InputError with VerifyError::to_string().
void verify_or_throw(const Program& program);

struct DisasmOptions {
  // Used to name syscall numbers compared with nr; when unset, the disassembler
  // infers the arch from a preceding "A == AUDIT_ARCH_*" test where it can.
  std::optional<Arch> arch;
  bool raw_fields = true;  // show code/jt/jf/k columns
};
// One line per instruction, for example
// " 0003: 0x15 0x00 0x07 0x0000003b  if (A != 59 /* execve */) goto 0011"
std::string disassemble(const Program& program, const DisasmOptions& options = {});
std::string describe_insn(const Program& program, std::size_t index, const DisasmOptions& options = {});

// Input of a filter (struct seccomp_data).
struct SeccompData {
  std::int32_t nr = 0;
  std::uint32_t arch = 0;
  std::uint64_t instruction_pointer = 0;
  std::array<std::uint64_t, 6> args{};
};

struct EmuResult {
  std::uint32_t ret = 0;     // raw return value
  Action action;             // as the kernel reads ret
  std::vector<std::uint16_t> path;  // indexes of the instructions executed
  std::size_t executed = 0;  // == path.size()
  // True when the kernel's constant-action cache (Linux 5.11+) would cover this
  // path: only nr/arch loaded, only the operations the kernel emulates, and the
  // result is ALLOW.
  bool cacheable = false;
  // Which 32-bit words of seccomp_data the path read.
  bool read_nr = false, read_arch = false, read_ip = false, read_args = false;
};
// Runs a verified program. `little_endian` decides where args' halves lie
// (host order by default). Throws InputError if the program misbehaves in a
// way the verifier would have caught.
EmuResult emulate(const Program& program, const SeccompData& data, bool little_endian = true);

// Reading a raw program from an open descriptor (stdin for the CLI).
// Reads until EOF (at most one instruction past the 4096 limit) and decodes.
// `name` is how errors refer to the input ("file f.bpf", "stdin").
Program read_raw_fd(int fd, std::string_view name);
// The CLI's FILE argument: "-" reads standard input, anything else a file.
Program read_raw_input(std::string_view file);

}  // namespace seccage::bpf
