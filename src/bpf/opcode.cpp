#include "bpf/opcode.hpp"

#include <fmt/core.h>

namespace seccage::bpf::detail {

bool seccomp_opcode(std::uint16_t c) {
  using namespace op;
  switch (c) {
    // Loads and stores. LD W ABS is kept (and limited to seccomp_data);
    // LD/LDX W LEN become "load 64". Byte/half/indirect loads and LDX MSH are
    // in the classic checker's table but seccomp_check_filter drops them.
    case code::kLdAbs:
    case code::kLdLen:
    case code::kLdxLen:
    case code::kLdImm:
    case code::kLdxImm:
    case code::kLdMem:
    case code::kLdxMem:
    case code::kSt:
    case code::kStx:
    // ALU: everything but MOD (and the eBPF-only ops, which classic lacks).
    case ALU | ADD | K: case ALU | ADD | X:
    case ALU | SUB | K: case ALU | SUB | X:
    case ALU | MUL | K: case ALU | MUL | X:
    case ALU | DIV | K: case ALU | DIV | X:
    case ALU | AND | K: case ALU | AND | X:
    case ALU | OR | K:  case ALU | OR | X:
    case ALU | XOR | K: case ALU | XOR | X:
    case ALU | LSH | K: case ALU | LSH | X:
    case ALU | RSH | K: case ALU | RSH | X:
    case code::kNeg:
    case code::kTax:
    case code::kTxa:
    case code::kRetK:
    case code::kRetA:
    case code::kJa:
    case JMP | JEQ | K: case JMP | JEQ | X:
    case JMP | JGT | K: case JMP | JGT | X:
    case JMP | JGE | K: case JMP | JGE | X:
    case JMP | JSET | K: case JMP | JSET | X:
      return true;
    default:
      return false;
  }
}

bool is_cond_jump(std::uint16_t c) {
  if (c > 0xff || cls(c) != op::JMP) return false;
  const auto o = alu_op(c);
  return o == op::JEQ || o == op::JGT || o == op::JGE || o == op::JSET;
}

std::optional<std::string> mnemonic(std::uint16_t c) {
  using namespace op;
  if (c > 0xff) return std::nullopt;
  static constexpr const char* kSizes[] = {"W", "H", "B", "DW"};
  const char* sz = kSizes[size(c) >> 3];
  switch (cls(c)) {
    case LD:
    case LDX: {
      const char* name = cls(c) == LD ? "LD" : "LDX";
      switch (mode(c)) {
        case IMM: return size(c) == W ? fmt::format("{} IMM", name) : std::optional<std::string>{};
        case MEM: return size(c) == W ? fmt::format("{} MEM", name) : std::optional<std::string>{};
        case LEN: return size(c) == W ? fmt::format("{} W LEN", name) : std::optional<std::string>{};
        case ABS:
        case IND:
          if (cls(c) == LDX || size(c) == 0x18) return std::nullopt;
          return fmt::format("LD {} {}", sz, mode(c) == ABS ? "ABS" : "IND");
        case MSH: return c == (LDX | B | MSH) ? std::optional<std::string>{"LDX B MSH"} : std::nullopt;
        default: return std::nullopt;
      }
    }
    case ST: return c == ST ? std::optional<std::string>{"ST"} : std::nullopt;
    case STX: return c == STX ? std::optional<std::string>{"STX"} : std::nullopt;
    case ALU: {
      static constexpr const char* kOps[] = {"ADD", "SUB", "MUL", "DIV", "OR", "AND", "LSH", "RSH",
                                             "NEG", "MOD", "XOR", nullptr, nullptr, nullptr, nullptr, nullptr};
      const char* o = kOps[alu_op(c) >> 4];
      if (o == nullptr) return std::nullopt;
      if (alu_op(c) == NEG) return c == (ALU | NEG) ? std::optional<std::string>{"ALU NEG"} : std::nullopt;
      return fmt::format("ALU {} {}", o, src(c) ? "X" : "K");
    }
    case JMP: {
      if (c == (JMP | JA)) return "JMP JA";
      static constexpr const char* kOps[] = {nullptr, "JEQ", "JGT", "JGE", "JSET"};
      if (alu_op(c) > JSET || alu_op(c) == JA) return std::nullopt;
      return fmt::format("JMP {} {}", kOps[alu_op(c) >> 4], src(c) ? "X" : "K");
    }
    case RET:
      if (c == (RET | K)) return "RET K";
      if (c == (RET | A)) return "RET A";
      return std::nullopt;
    case MISC:
      if (c == (MISC | TAX)) return "MISC TAX";
      if (c == (MISC | TXA)) return "MISC TXA";
      return std::nullopt;
  }
  return std::nullopt;
}

std::string label(std::uint64_t index) { return fmt::format("{:04}", index); }

}  // namespace seccage::bpf::detail
