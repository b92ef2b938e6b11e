// The verifier: accepts exactly the programs seccomp(2) accepts.
//
// The kernel checks a filter in three passes, and a program must pass all:
//  1. bpf_check_classic (net/core/filter.c): opcode in the classic table,
//     no division by constant zero, constant shifts below 32, scratch slots
//     0..15, jumps inside the program, last instruction a RET, and
//     check_load_and_stores: a slot is stored on every path before a load.
//  2. seccomp_check_filter (kernel/seccomp.c): a narrower opcode list (no
//     MOD, no byte/half/indirect loads, no LDX MSH), and LD W ABS only at
//     aligned offsets inside struct seccomp_data.
//  3. seccomp_prepare_filter: 1..4096 instructions.
// The order of the checks below decides only which error is reported first;
// acceptance does not depend on it.
#include <fmt/core.h>

#include "bpf/opcode.hpp"
#include "seccage/bpf.hpp"
#include "seccage/error.hpp"

namespace seccage::bpf {
namespace {

using detail::cls;
using detail::mnemonic;
using detail::mode;
using detail::size;

constexpr std::uint32_t kMemWords = 16;  // BPF_MEMWORDS

std::string opcode_text(std::uint16_t c) {
  auto m = mnemonic(c);
  return m ? fmt::format("opcode 0x{:02x} ({})", c, *m) : fmt::format("opcode 0x{:02x}", c);
}

// Why an opcode is refused, in terms a filter author can act on.
std::string forbidden_reason(std::uint16_t c) {
  using namespace op;
  const std::string what = opcode_text(c);
  if (c <= 0xff && cls(c) == ALU && detail::alu_op(c) == MOD && mnemonic(c)) {
    return what + " is not allowed in seccomp filters: seccomp has no modulo";
  }
  if (c <= 0xff && cls(c) == LD && (mode(c) == ABS || mode(c) == IND) && mnemonic(c)) {
    if (mode(c) == IND) return what + " is not allowed in seccomp filters: indirect loads are packet-only";
    return what + " is not allowed in seccomp filters: only 32-bit loads (LD W ABS) read seccomp_data";
  }
  if (c == (LDX | B | MSH)) return what + " is not allowed in seccomp filters: LDX MSH is packet-only";
  if (mnemonic(c)) return what + " is not allowed in seccomp filters";
  return what + " is not a classic BPF instruction";
}

std::string past_end(const char* which, std::uint64_t target, std::size_t n) {
  return fmt::format("{}jump target {} is past the end (program has {} instructions)", which, target, n);
}

// Checks one instruction on its own; nullopt when fine.
std::optional<std::string> check_insn(const Program& p, std::size_t pc) {
  using namespace op;
  const Insn& in = p[pc];
  if (!detail::seccomp_opcode(in.code)) return forbidden_reason(in.code);
  const std::size_t n = p.size();
  switch (in.code) {
    case detail::code::kLdAbs:
      if (in.k >= kSeccompDataSize) {
        return fmt::format("load from offset {} is outside struct seccomp_data (64 bytes)", in.k);
      }
      if (in.k % 4 != 0) return fmt::format("load from offset {} is not 4-byte aligned", in.k);
      return std::nullopt;
    case ALU | DIV | K:
      if (in.k == 0) return std::string("division by constant zero");
      return std::nullopt;
    case ALU | LSH | K:
    case ALU | RSH | K:
      if (in.k >= 32) return fmt::format("constant shift by {} (must be below 32)", in.k);
      return std::nullopt;
    case detail::code::kLdMem:
    case detail::code::kLdxMem:
    case detail::code::kSt:
    case detail::code::kStx:
      if (in.k >= kMemWords) return fmt::format("scratch slot M[{}] does not exist (slots are M[0]..M[15])", in.k);
      return std::nullopt;
    case detail::code::kJa: {
      const std::uint64_t target = pc + 1 + std::uint64_t{in.k};
      if (target >= n) return past_end("", target, n);
      return std::nullopt;
    }
    default:
      if (detail::is_cond_jump(in.code)) {
        const std::uint64_t t = pc + 1 + in.jt, f = pc + 1 + in.jf;
        if (t >= n) return past_end("true branch: ", t, n);
        if (f >= n) return past_end("false branch: ", f, n);
      }
      return std::nullopt;
  }
}

// The kernel's check_load_and_stores, reproduced with its quirks so that we
// accept and reject the same programs: one forward pass; at each instruction
// the set of written slots is the running set ANDed with what every jump
// into it carried; after a jump the running set is reset to "all" (the next
// instruction is reached only through jumps), but after a RET it is not (the
// kernel treats RET like any other instruction here).
std::optional<VerifyError> check_scratch(const Program& p) {
  using namespace op;
  std::vector<std::uint16_t> masks(p.size(), 0xffff);
  std::uint16_t valid = 0;
  for (std::size_t pc = 0; pc < p.size(); ++pc) {
    const Insn& in = p[pc];
    valid &= masks[pc];
    switch (in.code) {
      case detail::code::kSt:
      case detail::code::kStx:
        valid = static_cast<std::uint16_t>(valid | (1u << in.k));
        break;
      case detail::code::kLdMem:
      case detail::code::kLdxMem:
        if ((valid & (1u << in.k)) == 0) {
          return VerifyError{pc, fmt::format("reads scratch slot M[{}] before a store to it on every path reaching here",
                                             in.k)};
        }
        break;
      case detail::code::kJa:
        masks[pc + 1 + in.k] &= valid;
        valid = 0xffff;
        break;
      default:
        if (detail::is_cond_jump(in.code)) {
          masks[pc + 1 + in.jt] &= valid;
          masks[pc + 1 + in.jf] &= valid;
          valid = 0xffff;
        }
        break;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string VerifyError::to_string() const {
  // Whole-program errors carry their own subject.
  if (rule.starts_with("program ")) return rule;
  return fmt::format("instruction {}: {}", index, rule);
}

std::optional<VerifyError> verify(const Program& program) {
  const std::size_t n = program.size();
  if (n == 0) return VerifyError{0, "program is empty (a filter needs 1 to 4096 instructions)"};
  if (n > kMaxInsns) {
    return VerifyError{n, fmt::format("program has {} instructions, more than the kernel's limit of {} (BPF_MAXINSNS)", n,
                                      kMaxInsns)};
  }
  for (std::size_t pc = 0; pc < n; ++pc) {
    if (auto rule = check_insn(program, pc)) return VerifyError{pc, std::move(*rule)};
  }
  const Insn& last = program.back();
  if (last.code != detail::code::kRetK && last.code != detail::code::kRetA) {
    auto m = mnemonic(last.code);
    return VerifyError{n - 1, fmt::format("the last instruction must be a RET (it is {})", m ? *m : opcode_text(last.code))};
  }
  return check_scratch(program);
}

void verify_or_throw(const Program& program) {
  if (auto err = verify(program)) throw InputError(err->to_string());
}

}  // namespace seccage::bpf
