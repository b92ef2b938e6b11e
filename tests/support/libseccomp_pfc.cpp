#include "support/libseccomp_pfc.hpp"

#include <charconv>
#include <optional>
#include <stdexcept>

#include <fmt/core.h>

namespace seccage::test {

namespace {

constexpr std::uint32_t kX32Bit = 0x40000000u;

struct Condition {
  enum class Field { Arch, Syscall, ArgHigh, ArgLow, Arg32 };
  enum class Op { EQ, GE, GT };
  Field field = Field::Arch;
  int arg = 0;
  Op op = Op::EQ;
  bool masked = false;
  std::uint64_t mask = ~std::uint64_t{0};
  std::uint64_t value = 0;
};

struct Line {
  int number = 0;  // 1-based, for messages
  int indent = 0;
  std::string_view text;
  std::string arch_name;  // from a preceding "# filter for arch NAME (...)"
};

[[noreturn]] void fail(const Line& line, std::string_view what) {
  throw std::runtime_error(fmt::format("PFC line {}: {}: \"{}\"", line.number, what, line.text));
}

std::uint64_t parse_number(const Line& line, std::string_view s) {
  std::uint64_t v = 0;
  int base = 10;
  if (s.starts_with("0x")) {
    s.remove_prefix(2);
    base = 16;
  }
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc{} || end != s.data() + s.size()) fail(line, "not a number");
  return v;
}

// "$syscall == 7", "$a0.hi32 > 0", "$a2 & 0x000000f0 == 16".
Condition parse_condition(const Line& line, std::string_view c) {
  Condition out;
  const auto space = c.find(' ');
  if (space == std::string_view::npos) fail(line, "a condition without an operator");
  std::string_view operand = c.substr(0, space);
  std::string_view rest = c.substr(space + 1);
  if (operand == "$arch") {
    out.field = Condition::Field::Arch;
  } else if (operand == "$syscall") {
    out.field = Condition::Field::Syscall;
  } else if (operand.size() >= 3 && operand.starts_with("$a") && operand[2] >= '0' && operand[2] <= '5') {
    out.arg = operand[2] - '0';
    std::string_view half = operand.substr(3);
    if (half.empty()) out.field = Condition::Field::Arg32;
    else if (half == ".hi32") out.field = Condition::Field::ArgHigh;
    else if (half == ".lo32") out.field = Condition::Field::ArgLow;
    else fail(line, "an unknown argument word");
  } else {
    fail(line, "an unknown operand");
  }
  if (rest.starts_with("& ")) {
    rest.remove_prefix(2);
    const auto sp = rest.find(' ');
    if (sp == std::string_view::npos) fail(line, "a mask without a comparison");
    out.masked = true;
    out.mask = parse_number(line, rest.substr(0, sp));
    rest = rest.substr(sp + 1);
  }
  if (rest.starts_with("== ")) out.op = Condition::Op::EQ;
  else if (rest.starts_with(">= ")) out.op = Condition::Op::GE;
  else if (rest.starts_with("> ")) out.op = Condition::Op::GT;
  else fail(line, "a comparison libseccomp could not print (\"???\") or an unknown one");
  rest = rest.substr(rest.find(' ') + 1);
  out.value = parse_number(line, rest);
  return out;
}

}  // namespace

struct PfcModel::Statement {
  bool is_action = false;
  std::uint32_t ret = 0;  // is_action
  Condition condition;    // !is_action
  std::string arch_name;  // the section's arch, for `$arch` tests
  std::vector<Statement> then_body, else_body;
};

std::uint32_t pfc_action_ret(std::string_view a) {
  auto with_data = [&](std::string_view name, std::uint32_t base) -> std::optional<std::uint32_t> {
    if (!a.starts_with(name) || !a.ends_with(")")) return std::nullopt;
    std::string_view data = a.substr(name.size(), a.size() - name.size() - 1);
    std::uint32_t v = 0;
    auto [end, ec] = std::from_chars(data.data(), data.data() + data.size(), v);
    if (ec != std::errc{} || end != data.data() + data.size() || v > 0xffff) return std::nullopt;
    return base | v;
  };
  if (a == "KILL_PROCESS") return 0x80000000u;
  if (a == "KILL") return 0x00000000u;  // SCMP_ACT_KILL_THREAD
  if (a == "TRAP") return 0x00030000u;
  if (a == "LOG") return 0x7ffc0000u;
  if (a == "ALLOW") return 0x7fff0000u;
  if (auto r = with_data("ERRNO(", 0x00050000u)) return *r;
  if (auto r = with_data("TRACE(", 0x7ff00000u)) return *r;
  // Actions without a name of their own (NOTIFY in 2.5.4) print as hex.
  if (a.starts_with("0x")) {
    std::uint32_t v = 0;
    auto [end, ec] = std::from_chars(a.data() + 2, a.data() + a.size(), v, 16);
    if (ec == std::errc{} && end == a.data() + a.size()) return v;
  }
  throw std::runtime_error(fmt::format("PFC: unknown action \"{}\"", a));
}

namespace {

using Statement = PfcModel::Statement;

class Parser {
 public:
  explicit Parser(std::string_view text) {
    int number = 0;
    std::string pending_arch;
    while (!text.empty()) {
      const auto nl = text.find('\n');
      std::string_view raw = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
      ++number;
      int indent = 0;
      while (static_cast<std::size_t>(indent) < raw.size() && raw[indent] == ' ') ++indent;
      std::string_view body = raw.substr(indent);
      if (body.empty()) continue;
      if (body.front() == '#') {
        constexpr std::string_view kArch = "# filter for arch ";
        if (body.starts_with(kArch)) {
          std::string_view name = body.substr(kArch.size());
          pending_arch = std::string(name.substr(0, name.find(' ')));
        }
        continue;
      }
      // Level 2's binary search over syscall numbers annotates its else:
      // "else # ($syscall <= 6)".
      if (const auto note = body.find(" # "); note != std::string_view::npos) body = body.substr(0, note);
      lines_.push_back({number, indent, body, pending_arch});
    }
  }

  std::vector<Statement> parse() {
    std::vector<Statement> top = block(0);
    if (pos_ != lines_.size()) fail(lines_[pos_], "indented deeper than its block");
    return top;
  }

 private:
  // Statements at exactly `indent`, until a shallower line.
  std::vector<Statement> block(int indent) {
    std::vector<Statement> out;
    while (pos_ < lines_.size() && lines_[pos_].indent >= indent) {
      const Line& line = lines_[pos_];
      if (line.indent != indent) fail(line, "unexpected indentation");
      if (line.text == "else") fail(line, "an else without its if");
      ++pos_;
      Statement s;
      if (line.text.starts_with("action ") && line.text.ends_with(";")) {
        s.is_action = true;
        s.ret = pfc_action_ret(line.text.substr(7, line.text.size() - 8));
      } else if (line.text.starts_with("if (") && line.text.ends_with(")")) {
        s.condition = parse_condition(line, line.text.substr(4, line.text.size() - 5));
        s.arch_name = line.arch_name;
        if (pos_ < lines_.size() && lines_[pos_].indent > indent) s.then_body = block(lines_[pos_].indent);
        if (pos_ < lines_.size() && lines_[pos_].indent == indent && lines_[pos_].text == "else") {
          ++pos_;
          if (pos_ >= lines_.size() || lines_[pos_].indent <= indent) fail(lines_[pos_ - 1], "an empty else");
          s.else_body = block(lines_[pos_].indent);
        }
      } else {
        fail(line, "an unknown statement");
      }
      out.push_back(std::move(s));
    }
    return out;
  }

  std::vector<Line> lines_;
  std::size_t pos_ = 0;
};

struct Input {
  std::uint32_t arch;
  std::uint32_t nr;
  const std::array<std::uint64_t, 6>& args;
};

bool holds(const Statement& s, const Input& in) {
  const Condition& c = s.condition;
  std::uint64_t operand = 0;
  switch (c.field) {
    case Condition::Field::Arch:
      // The ABI split the PFC does not print (see the header).
      if (s.arch_name == "x86_64" && in.nr >= kX32Bit && in.nr != 0xffffffffu) return false;
      if (s.arch_name == "x32" && in.nr < kX32Bit) return false;
      operand = in.arch;
      break;
    case Condition::Field::Syscall: operand = in.nr; break;
    case Condition::Field::ArgHigh: operand = in.args[c.arg] >> 32; break;
    case Condition::Field::ArgLow:
    case Condition::Field::Arg32: operand = in.args[c.arg] & 0xffffffffu; break;
  }
  if (c.masked) operand &= c.mask;
  switch (c.op) {
    case Condition::Op::EQ: return operand == c.value;
    case Condition::Op::GE: return operand >= c.value;
    case Condition::Op::GT: return operand > c.value;
  }
  return false;
}

std::optional<std::uint32_t> run(const std::vector<Statement>& block, const Input& in) {
  for (const Statement& s : block) {
    if (s.is_action) return s.ret;
    const std::vector<Statement>& body = holds(s, in) ? s.then_body : s.else_body;
    if (auto r = run(body, in)) return r;
  }
  return std::nullopt;
}

std::size_t count(const std::vector<Statement>& block) {
  std::size_t n = 0;
  for (const Statement& s : block) n += 1 + count(s.then_body) + count(s.else_body);
  return n;
}

}  // namespace

PfcModel::PfcModel(std::string_view pfc_text)
    : top_(std::make_unique<std::vector<Statement>>(Parser(pfc_text).parse())) {}
PfcModel::~PfcModel() = default;
PfcModel::PfcModel(PfcModel&&) noexcept = default;
PfcModel& PfcModel::operator=(PfcModel&&) noexcept = default;

std::uint32_t PfcModel::evaluate(std::uint32_t audit_arch, std::uint32_t nr,
                                 const std::array<std::uint64_t, 6>& args) const {
  if (auto r = run(*top_, Input{audit_arch, nr, args})) return *r;
  throw std::runtime_error("PFC: the filter ends without an action");
}

std::size_t PfcModel::statement_count() const { return count(*top_); }

}  // namespace seccage::test
