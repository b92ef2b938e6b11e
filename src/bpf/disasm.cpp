// The disassembler: one line per instruction, in the style seccomp-tools made
// familiar ("A = arch", "if (A != AUDIT_ARCH_X86_64) goto 0011").
#include <cctype>
#include <string_view>
#include <utility>

#include <fmt/core.h>

#include "bpf/opcode.hpp"
#include "seccage/bpf.hpp"

namespace seccage::bpf {
namespace {

using detail::cls;
using detail::label;

// Spellings of the AUDIT_ARCH_* constants (linux/audit.h) by value. The
// arch's own name does not always give it: mips64el is AUDIT_ARCH_MIPSEL64,
// little-endian sh is AUDIT_ARCH_SHEL and big-endian sh is AUDIT_ARCH_SH.
constexpr std::pair<std::uint32_t, std::string_view> kAuditNames[] = {
    {0xc000003e, "X86_64"},  {0x40000003, "I386"},       {0xc00000b7, "AARCH64"},    {0x40000028, "ARM"},
    {0x00000028, "ARMEB"},   {0xc00000f3, "RISCV64"},    {0x400000f3, "RISCV32"},    {0xc0000015, "PPC64LE"},
    {0x80000015, "PPC64"},   {0x00000014, "PPC"},        {0x80000016, "S390X"},      {0x00000016, "S390"},
    {0x00000008, "MIPS"},    {0x40000008, "MIPSEL"},     {0x80000008, "MIPS64"},     {0xc0000008, "MIPSEL64"},
    {0xa0000008, "MIPS64N32"}, {0xe0000008, "MIPSEL64N32"}, {0xc0000102, "LOONGARCH64"}, {0x0000000f, "PARISC"},
    {0x8000000f, "PARISC64"}, {0x00000004, "M68K"},      {0x0000002a, "SH"},         {0x4000002a, "SHEL"},
};

// "AUDIT_ARCH_X86_64" for every audit value of an arch seccage knows.
std::optional<std::string> audit_arch_name(std::uint32_t value) {
  for (const ArchInfo& info : all_arches()) {
    if (info.audit_arch != value) continue;
    for (const auto& [v, name] : kAuditNames) {
      if (v == value) return fmt::format("AUDIT_ARCH_{}", name);
    }
    // An arch this table has not caught up with: derive from its name.
    std::string upper(info.name);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return "AUDIT_ARCH_" + upper;
  }
  return std::nullopt;
}

std::optional<Arch> arch_of_audit(std::uint32_t value) {
  for (const ArchInfo& info : all_arches()) {
    if (info.audit_arch == value) return info.arch;
  }
  return std::nullopt;
}

// Small numbers read best in decimal (syscall numbers, errnos), large ones
// in hex (masks, action values, 0x40000000).
std::string number(std::uint32_t k) { return k < 0x1000 ? fmt::format("{}", k) : fmt::format("{:#x}", k); }

// What the dataflow knows on entry to an instruction, on every path.
enum class ASource : std::uint8_t { Unknown, Nr, Arch };
struct Facts {
  bool reached = false;
  std::optional<std::uint32_t> audit;  // seccomp_data.arch, when a test pinned it
  ASource a = ASource::Unknown;        // what the accumulator holds
};

void merge_into(Facts& into, const Facts& from) {
  if (!into.reached) {
    into = from;
    return;
  }
  if (into.audit != from.audit) into.audit.reset();
  if (into.a != from.a) into.a = ASource::Unknown;
}

// Forward dataflow: jumps only go forward, so one pass in index order sees
// every predecessor of an instruction before the instruction itself.
std::vector<Facts> analyse(const Program& p) {
  using namespace op;
  std::vector<Facts> facts(p.size());
  if (p.empty()) return facts;
  facts[0].reached = true;
  auto flow = [&](std::uint64_t target, const Facts& f) {
    if (target < p.size()) merge_into(facts[target], f);
  };
  for (std::size_t pc = 0; pc < p.size(); ++pc) {
    if (!facts[pc].reached) continue;
    const Insn& in = p[pc];
    Facts out = facts[pc];
    const std::uint16_t c = in.code;
    if (c == detail::code::kLdAbs) {
      out.a = in.k == kOffNr ? ASource::Nr : in.k == kOffArch ? ASource::Arch : ASource::Unknown;
    } else if (c <= 0xff && (cls(c) == LD || cls(c) == ALU || c == detail::code::kTxa)) {
      out.a = ASource::Unknown;
    }
    if (cls(c) == RET) continue;
    if (c == detail::code::kJa) {
      flow(pc + 1 + std::uint64_t{in.k}, out);
    } else if (detail::is_cond_jump(c)) {
      Facts taken = out;
      // "A == AUDIT_ARCH_*" pins the arch on the true edge only.
      if (detail::alu_op(c) == JEQ && detail::src(c) == K && out.a == ASource::Arch) taken.audit = in.k;
      flow(pc + 1 + in.jt, taken);
      flow(pc + 1 + in.jf, out);
    } else {
      flow(pc + 1, out);
    }
  }
  return facts;
}

struct Context {
  std::optional<Arch> arch;  // from the options, or inferred here
  std::optional<std::uint32_t> audit;
  ASource a = ASource::Unknown;
};

Context context_at(const std::vector<Facts>& facts, std::size_t index, const DisasmOptions& options) {
  Context ctx;
  if (index < facts.size()) {
    ctx.a = facts[index].a;
    ctx.audit = facts[index].audit;
  }
  if (options.arch) {
    ctx.arch = options.arch;
    ctx.audit = arch_info(*options.arch).audit_arch;
  } else if (ctx.audit) {
    ctx.arch = arch_of_audit(*ctx.audit);
  }
  return ctx;
}

std::optional<std::string_view> nr_name(Arch arch, std::uint32_t nr) {
  if (auto n = syscall_name(arch, nr)) return n;
  // x86_64 and x32 share AUDIT_ARCH_X86_64: an x32 number under an x86_64
  // check is still a name worth showing.
  for (const ArchInfo& other : all_arches()) {
    if (other.arch != arch && shares_audit_arch(arch, other.arch)) {
      if (auto n = syscall_name(other.arch, nr)) return n;
    }
  }
  return std::nullopt;
}

std::string data_word(std::uint32_t k, const Context& ctx) {
  if (k == kOffNr) return "nr";
  if (k == kOffArch) return "arch";
  const bool le = ctx.arch ? arch_info(*ctx.arch).little_endian : true;
  if (k % 4 == 0 && k >= kOffIp && k < kOffArgs) {
    const bool low = (k == kOffIp) == le;
    return fmt::format("instruction_pointer ({} 32 bits)", low ? "low" : "high");
  }
  if (k % 4 == 0 && k >= kOffArgs && k < kSeccompDataSize) {
    const unsigned i = (k - kOffArgs) / 8;
    return fmt::format("args[{}] ({} 32 bits)", i, k == arg_low_offset(i, le) ? "low" : "high");
  }
  return fmt::format("*(u32 *)(data + {})", k);
}

std::string operand(const Insn& in, const Context& ctx) {
  if (detail::src(in.code) == op::X) return "X";
  const auto o = detail::alu_op(in.code);
  if (o == op::JSET) return fmt::format("{:#x}", in.k);
  if (ctx.a == ASource::Arch) {
    if (auto name = audit_arch_name(in.k)) return *name;
    return fmt::format("{:#x}", in.k);
  }
  // Names only for equality: next to a range bound ("A >= 0x40000000") a
  // syscall name would suggest a meaning the comparison does not have.
  if (ctx.a == ASource::Nr && ctx.arch && o == op::JEQ) {
    if (auto name = nr_name(*ctx.arch, in.k)) return fmt::format("{} /* {} */", number(in.k), *name);
  }
  return number(in.k);
}

std::string describe_ret(std::uint32_t k) {
  const Action action = Action::from_ret(k);
  if (action.to_ret() == k) return "return " + action.describe();
  // The kernel reads unknown actions as KILL_PROCESS, caps ERRNO data at
  // 4095 and ignores the data of actions that carry none: show both.
  constexpr std::uint32_t kActionMask = 0xffff0000u;
  if ((action.to_ret() & kActionMask) != (k & kActionMask)) {
    return fmt::format("return {:#010x} (unknown action: the kernel kills the process)", k);
  }
  return fmt::format("return {:#010x} (the kernel reads {})", k, action.describe());
}

std::string describe_cond(const Program& p, std::size_t pc, const Context& ctx) {
  const Insn& in = p[pc];
  const std::string rhs = operand(in, ctx);
  const std::uint64_t t = pc + 1 + in.jt, f = pc + 1 + in.jf;
  struct Ops {
    const char* yes;
    const char* no;
  };
  Ops ops{};
  switch (detail::alu_op(in.code)) {
    case op::JEQ: ops = {"==", "!="}; break;
    case op::JGT: ops = {">", "<="}; break;
    case op::JGE: ops = {">=", "<"}; break;
    default: ops = {"&", nullptr}; break;  // JSET
  }
  auto cond = [&](bool negate) {
    if (ops.no == nullptr) return negate ? fmt::format("!(A & {})", rhs) : fmt::format("A & {}", rhs);
    return fmt::format("A {} {}", negate ? ops.no : ops.yes, rhs);
  };
  // Name only the target that is not the next instruction, as people write it.
  if (in.jt == 0 && in.jf != 0) return fmt::format("if ({}) goto {}", cond(true), label(f));
  if (in.jf == 0) return fmt::format("if ({}) goto {}", cond(false), label(t));
  return fmt::format("if ({}) goto {} else goto {}", cond(false), label(t), label(f));
}

std::string meaning(const Program& p, std::size_t pc, const Context& ctx) {
  using namespace op;
  const Insn& in = p[pc];
  const std::uint16_t c = in.code;
  const std::string k = number(in.k);
  switch (c) {
    case detail::code::kLdAbs: return "A = " + data_word(in.k, ctx);
    case detail::code::kLdLen: return "A = 64 /* sizeof(seccomp_data) */";
    case detail::code::kLdxLen: return "X = 64 /* sizeof(seccomp_data) */";
    case detail::code::kLdImm: return "A = " + k;
    case detail::code::kLdxImm: return "X = " + k;
    case detail::code::kLdMem: return fmt::format("A = mem[{}]", in.k);
    case detail::code::kLdxMem: return fmt::format("X = mem[{}]", in.k);
    case detail::code::kSt: return fmt::format("mem[{}] = A", in.k);
    case detail::code::kStx: return fmt::format("mem[{}] = X", in.k);
    case detail::code::kTax: return "X = A";
    case detail::code::kTxa: return "A = X";
    case detail::code::kNeg: return "A = -A";
    case detail::code::kRetA: return "return A";
    case detail::code::kRetK: return describe_ret(in.k);
    case detail::code::kJa: return "goto " + label(pc + 1 + std::uint64_t{in.k});
    case LD | H | ABS: return fmt::format("A = *(u16 *)(data + {})", in.k);
    case LD | B | ABS: return fmt::format("A = *(u8 *)(data + {})", in.k);
    case LD | W | IND: return fmt::format("A = *(u32 *)(data + X + {})", in.k);
    case LD | H | IND: return fmt::format("A = *(u16 *)(data + X + {})", in.k);
    case LD | B | IND: return fmt::format("A = *(u8 *)(data + X + {})", in.k);
    case LDX | B | MSH: return fmt::format("X = 4 * (*(u8 *)(data + {}) & 0xf)", in.k);
    default: break;
  }
  if (detail::is_cond_jump(c)) return describe_cond(p, pc, ctx);
  if (c <= 0xff && cls(c) == ALU && detail::mnemonic(c)) {
    static constexpr const char* kOps[] = {"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", nullptr, "%=", "^="};
    const std::string rhs = detail::src(c) == X ? std::string("X")
                            : (detail::alu_op(c) == AND || detail::alu_op(c) == OR || detail::alu_op(c) == XOR)
                                ? fmt::format("{:#x}", in.k)
                                : k;
    return fmt::format("A {} {}", kOps[detail::alu_op(c) >> 4], rhs);
  }
  return fmt::format("unknown opcode {:#06x}", c);
}

std::string line(const Program& p, std::size_t pc, const Context& ctx, bool raw) {
  const Insn& in = p[pc];
  const std::string code = in.code <= 0xff ? fmt::format("0x{:02x}", in.code) : fmt::format("0x{:04x}", in.code);
  if (raw) {
    return fmt::format(" {}: {} 0x{:02x} 0x{:02x} 0x{:08x}  {}", label(pc), code, in.jt, in.jf, in.k,
                       meaning(p, pc, ctx));
  }
  return fmt::format(" {}: {}", label(pc), meaning(p, pc, ctx));
}

}  // namespace

std::string describe_insn(const Program& program, std::size_t index, const DisasmOptions& options) {
  if (index >= program.size()) return fmt::format(" {}: (past the end)", label(index));
  const auto facts = analyse(program);
  return line(program, index, context_at(facts, index, options), options.raw_fields);
}

std::string disassemble(const Program& program, const DisasmOptions& options) {
  const auto facts = analyse(program);
  std::string out;
  if (options.raw_fields) out += " line  CODE  JT   JF      K\n =================================\n";
  for (std::size_t pc = 0; pc < program.size(); ++pc) {
    out += line(program, pc, context_at(facts, pc, options), options.raw_fields);
    out += '\n';
  }
  return out;
}

}  // namespace seccage::bpf
