// Internal: classifying classic BPF opcodes, shared by the verifier, the
// disassembler and the emulator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "seccage/bpf.hpp"

namespace seccage::bpf::detail {

inline constexpr std::uint16_t cls(std::uint16_t code) { return code & 0x07; }
inline constexpr std::uint16_t size(std::uint16_t code) { return code & 0x18; }
inline constexpr std::uint16_t mode(std::uint16_t code) { return code & 0xe0; }
inline constexpr std::uint16_t alu_op(std::uint16_t code) { return code & 0xf0; }
inline constexpr std::uint16_t src(std::uint16_t code) { return code & 0x08; }
inline constexpr std::uint16_t rval(std::uint16_t code) { return code & 0x18; }
inline constexpr std::uint16_t misc_op(std::uint16_t code) { return code & 0xf8; }

// Exact opcodes seccomp accepts (the intersection of the classic checker's
// table and seccomp_check_filter's list).
namespace code {
using namespace op;
inline constexpr std::uint16_t kLdAbs = LD | W | ABS;
inline constexpr std::uint16_t kLdLen = LD | W | LEN;
inline constexpr std::uint16_t kLdxLen = LDX | W | LEN;
inline constexpr std::uint16_t kLdImm = LD | IMM;
inline constexpr std::uint16_t kLdxImm = LDX | IMM;
inline constexpr std::uint16_t kLdMem = LD | MEM;
inline constexpr std::uint16_t kLdxMem = LDX | MEM;
inline constexpr std::uint16_t kSt = ST;
inline constexpr std::uint16_t kStx = STX;
inline constexpr std::uint16_t kRetK = RET | K;
inline constexpr std::uint16_t kRetA = RET | A;
inline constexpr std::uint16_t kTax = MISC | TAX;
inline constexpr std::uint16_t kTxa = MISC | TXA;
inline constexpr std::uint16_t kJa = JMP | JA;
inline constexpr std::uint16_t kNeg = ALU | NEG;
}  // namespace code

// True for the opcodes seccomp accepts (operands aside).
bool seccomp_opcode(std::uint16_t code);
// True for conditional jumps (JEQ/JGT/JGE/JSET with K or X), valid or not.
bool is_cond_jump(std::uint16_t code);
// A short mnemonic for any opcode classic BPF defines ("LD W ABS", "ALU MOD X",
// "LDX B MSH"), or nullopt for bit patterns classic BPF never defined.
std::optional<std::string> mnemonic(std::uint16_t code);

// 4-digit instruction label as seccomp-tools prints it.
std::string label(std::uint64_t index);

}  // namespace seccage::bpf::detail
