// The emulator: runs a program on one struct seccomp_data the way the kernel
// runs it (the classic program is translated to eBPF and JIT-compiled, so
// "the way the kernel runs it" means the eBPF semantics of that translation).
#include <array>
#include <cstring>

#include <fmt/core.h>

#include "bpf/opcode.hpp"
#include "seccage/bpf.hpp"
#include "seccage/error.hpp"

namespace seccage::bpf {
namespace {

constexpr std::uint32_t kRetAllow = 0x7fff0000u;  // SECCOMP_RET_ALLOW

// struct seccomp_data as the filter sees it: 16 native-order 32-bit words.
std::array<std::uint32_t, kSeccompDataSize / 4> words_of(const SeccompData& d, bool little_endian) {
  std::array<std::uint32_t, kSeccompDataSize / 4> w{};
  w[0] = static_cast<std::uint32_t>(d.nr);
  w[1] = d.arch;
  auto put64 = [&](std::size_t at, std::uint64_t v) {
    const auto lo = static_cast<std::uint32_t>(v), hi = static_cast<std::uint32_t>(v >> 32);
    w[at] = little_endian ? lo : hi;
    w[at + 1] = little_endian ? hi : lo;
  };
  put64(kOffIp / 4, d.instruction_pointer);
  for (unsigned i = 0; i < d.args.size(); ++i) put64((kOffArgs + 8 * i) / 4, d.args[i]);
  return w;
}

// The instructions seccomp_is_const_allow (kernel/seccomp.c, 5.11+) can
// follow when it precomputes the action cache; anything else on the path
// makes it give up for that syscall.
bool cache_emulates(const Insn& in) {
  using namespace op;
  switch (in.code) {
    case detail::code::kLdAbs: return in.k == kOffNr || in.k == kOffArch;
    case JMP | JEQ | K:
    case JMP | JGE | K:
    case JMP | JGT | K:
    case JMP | JSET | K:
    case detail::code::kJa:
    case ALU | AND | K:
    case detail::code::kRetK:
      return true;
    default:
      return false;
  }
}

}  // namespace

EmuResult emulate(const Program& program, const SeccompData& data, bool little_endian) {
  // The kernel never runs a program it refused, so neither do we; this also
  // guarantees every jump lands inside the program and every path ends in RET.
  verify_or_throw(program);

  using namespace op;
  const auto words = words_of(data, little_endian);
  std::uint32_t a = 0, x = 0;
  std::array<std::uint32_t, 16> mem{};
  EmuResult r;
  bool cacheable = true;
  std::size_t pc = 0;

  auto finish = [&](std::uint32_t ret) {
    r.ret = ret;
    r.action = Action::from_ret(ret);
    r.executed = r.path.size();
    // The kernel compares with SECCOMP_RET_ALLOW exactly: ALLOW with data
    // bits set still allows, but is never cached.
    r.cacheable = cacheable && ret == kRetAllow;
    return r;
  };

  for (;;) {
    // The verifier guarantees pc stays inside: jumps are checked and the
    // last instruction is a RET.
    const Insn& in = program[pc];
    r.path.push_back(static_cast<std::uint16_t>(pc));
    if (!cache_emulates(in)) cacheable = false;
    std::size_t next = pc + 1;
    switch (in.code) {
      case detail::code::kLdAbs: {
        a = words[in.k / 4];
        if (in.k == kOffNr) r.read_nr = true;
        else if (in.k == kOffArch) r.read_arch = true;
        else if (in.k < kOffArgs) r.read_ip = true;
        else r.read_args = true;
        break;
      }
      // seccomp_check_filter rewrites both LEN loads into "load 64".
      case detail::code::kLdLen: a = kSeccompDataSize; break;
      case detail::code::kLdxLen: x = kSeccompDataSize; break;
      case detail::code::kLdImm: a = in.k; break;
      case detail::code::kLdxImm: x = in.k; break;
      case detail::code::kLdMem: a = mem[in.k]; break;
      case detail::code::kLdxMem: x = mem[in.k]; break;
      case detail::code::kSt: mem[in.k] = a; break;
      case detail::code::kStx: mem[in.k] = x; break;
      case detail::code::kTax: x = a; break;
      case detail::code::kTxa: a = x; break;
      case detail::code::kNeg: a = 0u - a; break;
      case detail::code::kRetK: return finish(in.k);
      case detail::code::kRetA: return finish(a);
      case detail::code::kJa: next = pc + 1 + in.k; break;
      default: {
        const std::uint16_t c = in.code;
        const std::uint32_t operand = detail::src(c) == X ? x : in.k;
        if (detail::is_cond_jump(c)) {
          bool taken = false;
          switch (detail::alu_op(c)) {
            case JEQ: taken = a == operand; break;
            case JGT: taken = a > operand; break;
            case JGE: taken = a >= operand; break;
            default: taken = (a & operand) != 0; break;  // JSET
          }
          next = pc + 1 + (taken ? in.jt : in.jf);
          break;
        }
        switch (detail::alu_op(c)) {
          case ADD: a += operand; break;
          case SUB: a -= operand; break;
          case MUL: a *= operand; break;
          case DIV:
            // The classic-to-eBPF translation guards DIV X with
            // "if (X == 0) return 0": the filter returns 0, which seccomp
            // reads as KILL_THREAD. (DIV K by zero never gets this far.)
            if (operand == 0) return finish(0);
            a /= operand;
            break;
          case AND: a &= operand; break;
          case OR: a |= operand; break;
          case XOR: a ^= operand; break;
          // 32-bit eBPF shifts use the low 5 bits of the count (interpreter
          // and JITs agree), so A << 33 is A << 1. Constant counts are
          // below 32 already (the verifier insists).
          case LSH: a <<= (operand & 31u); break;
          case RSH: a >>= (operand & 31u); break;
          default:
            throw InputError(fmt::format("instruction {}: cannot emulate opcode {:#x}", pc, c));
        }
        break;
      }
    }
    pc = next;
  }
}

}  // namespace seccage::bpf
