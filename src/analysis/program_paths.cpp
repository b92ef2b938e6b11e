#include "analysis/program_paths.hpp"

#include <algorithm>
#include <string>

#include <fmt/core.h>

#include "seccage/error.hpp"

namespace seccage::lift_detail {
namespace {

using bpf::Insn;
namespace op = bpf::op;

// Paths followed for one (arch, number) before giving up: a filter's tree
// for one syscall has a handful; only a program built to explode gets here.
constexpr std::size_t kMaxPaths = 4096;

[[noreturn]] void cannot(std::size_t pc, const std::string& what) {
  throw InputError(fmt::format("instruction {}: {}, which a policy cannot say", pc, what));
}

// A register's content: a constant, or a word of seccomp_data under a mask.
struct Value {
  bool is_word = false;
  std::uint32_t k = 0;       // the constant
  std::size_t word = 0;      // the word
  std::uint32_t mask = kFull;
};

// Follows every path of the program for one (arch, nr), splitting at each
// test of an argument word.
class PathWalker {
 public:
  // `info`: the arch whose calls these are; nullptr for a foreign one. On a
  // 32-bit arch the kernel passes each argument zero-extended, so a load of
  // a high word is the constant 0 there.
  // `stack`: the filters newest first, run as the kernel runs them.
  PathWalker(std::span<const bpf::Program> stack, const ArchInfo* info, std::uint32_t nr)
      : stack_(stack), audit_(info ? info->audit_arch : 0), nr_(nr) {
    if (info != nullptr && !info->is_64bit) {
      for (unsigned arg = 0; arg < 6; ++arg) zero_word_[word_of(bpf::arg_high_offset(arg, info->little_endian))] = true;
    }
  }

  std::vector<Case> walk() {
    start(0, Facts{}, Action::allow());
    return std::move(cases_);
  }

 private:
  Value load(std::size_t pc, std::uint32_t offset) const {
    if (offset == bpf::kOffNr) return Value{false, nr_};
    if (offset == bpf::kOffArch) return Value{false, audit_};
    if (offset >= bpf::kOffIp && offset < bpf::kSeccompDataSize && offset % 4 == 0) {
      const std::size_t word = word_of(offset);
      return zero_word_[word] ? Value{false, 0} : Value{true, 0, word, kFull};
    }
    cannot(pc, fmt::format("a load from offset {}", offset));
  }

  static std::uint32_t alu(std::uint16_t code, std::uint32_t a, std::uint32_t b) {
    switch (code & 0xf0) {
      case op::ADD: return a + b;
      case op::SUB: return a - b;
      case op::MUL: return a * b;
      case op::DIV: return b == 0 ? 0 : a / b;  // the verifier refuses a constant 0
      case op::MOD: return b == 0 ? 0 : a % b;
      case op::OR: return a | b;
      case op::AND: return a & b;
      case op::XOR: return a ^ b;
      case op::LSH: return b >= 32 ? 0 : a << b;
      case op::RSH: return b >= 32 ? 0 : a >> b;
      case op::NEG: return 0u - a;
    }
    return 0;
  }

  // Filter `filter` of the stack from its start, on a path that knows
  // `facts` and whose earlier filters decided `so_far`.
  void start(std::size_t filter, Facts facts, Action so_far) {
    filter_ = filter;
    walk_from(0, Value{}, Value{}, {}, std::move(facts), so_far);
  }

  void walk_from(std::size_t pc, Value a, Value x, std::array<Value, 16> mem, Facts facts, Action so_far) {
    const bpf::Program& p = stack_[filter_];
    for (;;) {
      const Insn& in = p[pc];
      const std::uint16_t cls = in.code & 0x07;
      switch (cls) {
        case op::LD:
          if ((in.code & 0xe0) == op::ABS) a = load(pc, in.k);
          else if ((in.code & 0xe0) == op::IMM) a = Value{false, in.k};
          else if ((in.code & 0xe0) == op::MEM) a = mem[in.k & 15];
          else if ((in.code & 0xe0) == op::LEN) a = Value{false, bpf::kSeccompDataSize};
          else cannot(pc, "an indirect load");
          break;
        case op::LDX:
          if ((in.code & 0xe0) == op::IMM) x = Value{false, in.k};
          else if ((in.code & 0xe0) == op::MEM) x = mem[in.k & 15];
          else if ((in.code & 0xe0) == op::LEN) x = Value{false, bpf::kSeccompDataSize};
          else cannot(pc, "an indirect load into X");
          break;
        case op::ST: mem[in.k & 15] = a; break;
        case op::STX: mem[in.k & 15] = x; break;
        case op::MISC: (in.code & 0xf8) == op::TXA ? a = x : x = a; break;
        case op::ALU: {
          const bool use_x = (in.code & op::X) != 0 && (in.code & 0xf0) != op::NEG;
          const Value operand = use_x ? x : Value{false, in.k};
          if (operand.is_word) cannot(pc, "arithmetic between two words of seccomp_data");
          if (!a.is_word) {
            a.k = alu(in.code, a.k, operand.k);
          } else if ((in.code & 0xf0) == op::AND) {
            a.mask &= operand.k;
          } else {
            cannot(pc, "arithmetic other than a mask on an argument");
          }
          break;
        }
        case op::RET: {
          const std::uint32_t ret = (in.code & 0x18) == op::A ? (a.is_word ? (cannot(pc, "returning an argument"), 0u) : a.k) : in.k;
          // The kernel keeps an earlier (newer) filter's action unless this
          // one's is strictly more severe.
          const Action mine = Action::from_ret(ret);
          const Action action = filter_ == 0 || mine.outranks(so_far) ? mine : so_far;
          if (filter_ + 1 < stack_.size()) {
            const std::size_t here = filter_;
            start(here + 1, std::move(facts), action);
            filter_ = here;
            return;
          }
          cases_.push_back({std::move(facts), action});
          if (cases_.size() > kMaxPaths) cannot(pc, fmt::format("more than {} paths for one syscall", kMaxPaths));
          return;
        }
        case op::JMP: {
          if ((in.code & 0xf0) == op::JA) {
            pc += 1 + in.k;
            continue;
          }
          const Value operand = (in.code & op::X) ? x : Value{false, in.k};
          if (operand.is_word) cannot(pc, "a comparison of two words of seccomp_data");
          const std::size_t on_true = pc + 1 + in.jt, on_false = pc + 1 + in.jf;
          if (!a.is_word) {
            pc = constant_test(in.code & 0xf0, a.k, operand.k) ? on_true : on_false;
            continue;
          }
          if (a.word < 2) cannot(pc, "a test of the instruction pointer");
          Facts when_false = facts;
          const bool true_ok = narrow(pc, in.code & 0xf0, a, operand.k, true, facts.words[a.word]);
          const bool false_ok = narrow(pc, in.code & 0xf0, a, operand.k, false, when_false.words[a.word]);
          if (false_ok) {
            const std::size_t here = filter_;
            walk_from(on_false, a, x, mem, std::move(when_false), so_far);
            filter_ = here;
          }
          if (!true_ok) return;
          pc = on_true;
          continue;
        }
      }
      ++pc;
    }
  }

  static bool constant_test(std::uint16_t test, std::uint32_t a, std::uint32_t k) {
    switch (test) {
      case op::JEQ: return a == k;
      case op::JGT: return a > k;
      case op::JGE: return a >= k;
      case op::JSET: return (a & k) != 0;
    }
    return false;
  }

  // Adds to `w` what taking the branch (`taken`) of `test` says about the
  // word `a` holds; false when no value takes it.
  static bool narrow(std::size_t pc, std::uint16_t test, const Value& a, std::uint32_t k, bool taken, WordFacts& w) {
    const std::uint32_t m = a.mask;
    if (test == op::JSET) {
      const std::uint32_t bits = m & k;
      if (bits == 0) return !taken;
      (taken ? w.masked_ne : w.masked_eq).emplace_back(bits, 0u);
    } else if (test == op::JEQ && m != kFull) {
      if (taken) {
        if ((k & ~m) != 0) return false;
        w.masked_eq.emplace_back(m, k);
      } else if ((k & ~m) == 0) {
        w.masked_ne.emplace_back(m, k);
      }
    } else if (m != kFull) {
      cannot(pc, "an order comparison of a masked argument");
    } else if (test == op::JEQ) {
      if (taken) {
        w.min = std::max(w.min, k);
        w.max = std::min(w.max, k);
      } else {
        w.not_equal.push_back(k);
      }
    } else {
      // JGT k is JGE k+1; JGE 0 is always taken.
      const std::uint64_t bound = std::uint64_t{k} + (test == op::JGT ? 1 : 0);
      if (taken) {
        if (bound > kFull) return false;
        w.min = std::max<std::uint32_t>(w.min, static_cast<std::uint32_t>(bound));
      } else {
        if (bound == 0) return false;
        w.max = std::min<std::uint32_t>(w.max, static_cast<std::uint32_t>(bound - 1));
      }
    }
    return w.feasible();
  }

  std::span<const bpf::Program> stack_;
  std::size_t filter_ = 0;  // which of the stack the walk is in
  std::uint32_t audit_, nr_;
  std::array<bool, kWords> zero_word_{};
  std::vector<Case> cases_;
};

}  // namespace

std::vector<Case> program_paths(std::span<const bpf::Program> stack, const ArchInfo* arch, std::uint32_t nr) {
  return PathWalker(stack, arch, nr).walk();
}

}  // namespace seccage::lift_detail
