// minijail / Chromium OS .policy files, read as libminijail's C parser
// (syscall_filter.c, what `minijail0 -S` and minijail_parse_seccomp_filters
// run) builds them, with the Python compiler's extra keywords where the two
// agree. docs/formats.md lists each construct and whose behaviour it follows.
//
// One line per syscall: `name: 1` (allow), `name: ACTION`, `name: return N`
// (errno), or `name: EXPR [; return N]`: the call is allowed when EXPR holds
// and otherwise returns errno N (or gets the kill action). EXPR is a
// disjunction (||) of conjunctions (&&) of `argN OP VALUE`; VALUE is numbers
// and named constants joined by |, each optionally ~negated or parenthesised.
// Comparisons are on the whole argument word: 64 bits on 64-bit arches, the
// low 32 bits on 32-bit ones (there the value must fit in 32 bits).
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "profile/constants.hpp"
#include "profile/suggest.hpp"
#include "policy/regions.hpp"
#include "seccage/error.hpp"
#include "seccage/formats.hpp"

namespace seccage {

namespace {

using regions::Region;

enum class Tok : std::uint8_t { Ident, Number, Path, Directive, Punct, End };

struct Token {
  Tok kind = Tok::End;
  std::string text;
  std::size_t column = 1;
};

struct Line {
  std::string text;
  std::size_t number = 1;  // of its first physical line
};

constexpr std::size_t kIncludeDepthLimit = 10;  // the Python parser's limit
constexpr std::size_t kMaxParenDepth = 64;

std::string read_from_disk(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Logical lines: a line ending in '\' continues on the next (both parsers
// join them), and '#' starts a comment.
std::vector<Line> logical_lines(std::string_view text) {
  std::vector<Line> out;
  std::size_t pos = 0, number = 0;
  std::string pending;
  std::size_t pending_start = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(pos, end - pos));
    pos = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    if (pending.empty()) pending_start = number;
    const bool continues = !line.empty() && line.back() == '\\';
    if (continues) line.pop_back();
    pending += line;
    if (continues) {
      pending += ' ';
      continue;
    }
    out.push_back({std::move(pending), pending_start});
    pending.clear();
  }
  return out;
}

class PolicyParser {
 public:
  PolicyParser(const ForeignPolicyOptions& options, ForeignPolicy& out) : options_(options), out_(out) {
    arches_ = options.arches.empty() ? std::vector<Arch>{native_arch()} : options.arches;
    for (Arch a : arches_) narrow_ = narrow_ || !arch_info(a).is_64bit;
    out_.policy.arches = arches_;
    out_.policy.default_action = kill_;
    out_.policy.bad_arch_action = kill_;
    // minijail's filter kills every number it does not list, new or not.
    out_.policy.enosys_for_unknown = false;
  }

  void parse_file(std::string_view text, const std::string& source, const std::filesystem::path& path,
                  std::size_t depth) {
    out_.files.push_back(source);
    for (const Line& line : logical_lines(text)) {
      source_ = source;
      line_ = line.number;
      tokens_ = tokenize(line.text);
      at_ = 0;
      if (peek().kind == Tok::End) continue;
      if (peek().kind == Tok::Directive) directive(path, depth);
      else statement();
      if (peek().kind != Tok::End) fail(peek(), fmt::format("unexpected '{}' after the statement", peek().text));
    }
  }

  // Rules come out once the whole file is read: @default may come last.
  void finish() {
    for (const Pending& p : pending_) {
      try {
        emit(p);
      } catch (const regions::RegionTooComplex&) {
        throw InputError(fmt::format("{}: minijail: the expression on {} needs more seccomp rules than seccage emits "
                                     "for one line; split it",
                                     p.origin.to_string(), p.name));
      }
    }
  }

 private:
  struct Pending {
    std::string name;
    RuleOrigin origin;
    std::optional<Region> expr;  // nullopt = unconditional
    std::optional<Action> action;  // unconditional action, or the fallback (nullopt = the default)
  };

  // ---- tokens ----------------------------------------------------------------

  [[noreturn]] void fail(std::size_t column, const std::string& message) const {
    throw InputError(fmt::format("{}:{}:{}: minijail: {}", source_, line_, column, message));
  }
  [[noreturn]] void fail(const Token& t, const std::string& message) const { fail(t.column, message); }
  void warn(const Token& t, const std::string& message) {
    out_.warnings.push_back(fmt::format("{}:{}:{}: minijail: {}", source_, line_, t.column, message));
  }

  std::vector<Token> tokenize(const std::string& s) const {
    std::vector<Token> out;
    std::size_t i = 0;
    auto is_ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '@'; };
    while (i < s.size()) {
      const char c = s[i];
      const std::size_t col = i + 1;
      if (c == ' ' || c == '\t' || c == '\r') {
        ++i;
      } else if (!out.empty() && out.back().kind == Tok::Directive && out.size() == 1 &&
                 (out[0].text == "@include" || out[0].text == "@frequency")) {
        // The path is one word whatever it holds; whether it is explicit
        // enough is the directive's business.
        std::size_t j = i;
        while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
        out.push_back({Tok::Path, s.substr(i, j - i), col});
        i = j;
      } else if (c == '@') {
        std::size_t j = i + 1;
        while (j < s.size() && is_ident(s[j])) ++j;
        out.push_back({Tok::Directive, s.substr(i, j - i), col});
        i = j;
      } else if (c == '/' || (c == '.' && i + 1 < s.size() && s[i + 1] == '/')) {
        std::size_t j = i;
        while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
        out.push_back({Tok::Path, s.substr(i, j - i), col});
        i = j;
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 (c == '-' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
        std::size_t j = i + 1;
        while (j < s.size() && std::isalnum(static_cast<unsigned char>(s[j]))) ++j;
        out.push_back({Tok::Number, s.substr(i, j - i), col});
        i = j;
      } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        std::size_t j = i + 1;
        while (j < s.size() && is_ident(s[j])) ++j;
        out.push_back({Tok::Ident, s.substr(i, j - i), col});
        i = j;
      } else {
        static constexpr std::string_view two[] = {"||", "&&", "==", "!=", "<=", ">="};
        std::string p(1, c);
        for (std::string_view t : two)
          if (s.compare(i, 2, t) == 0) p = std::string(t);
        if (std::string_view(":;,~()|&<>{}[]!=").find(c) == std::string_view::npos)
          fail(col, fmt::format("unexpected character '{}'", c));
        out.push_back({Tok::Punct, p, col});
        i += p.size();
      }
    }
    out.push_back({Tok::End, "end of line", s.size() + 1});
    return out;
  }

  const Token& peek() const { return tokens_[at_]; }
  Token next() { return tokens_[at_ < tokens_.size() - 1 ? at_++ : at_]; }
  bool accept(std::string_view punct) {
    if (peek().kind != Tok::Punct || peek().text != punct) return false;
    ++at_;
    return true;
  }
  Token expect_punct(std::string_view punct, std::string_view what) {
    if (peek().kind != Tok::Punct || peek().text != punct)
      fail(peek(), fmt::format("expected {} but found '{}'", what, peek().text));
    return next();
  }

  // ---- statements --------------------------------------------------------------

  void directive(const std::filesystem::path& path, std::size_t depth) {
    const Token d = next();
    if (d.text == "@frequency") {
      // Only the order of the compiled search tree depends on it.
      if (peek().kind != Tok::Path) fail(peek(), "@frequency needs a path");
      next();
      warn(d, "@frequency only tunes minijail's code layout; ignored");
      return;
    }
    if (d.text == "@default") {
      out_.policy.default_action = action_after(next(), true);
      return;
    }
    if (d.text == "@denylist")
      fail(d, "@denylist policies (minijail's Python compiler with --denylist) are not supported");
    if (d.text != "@include") fail(d, fmt::format("unknown statement '{}'", d.text));
    const Token p = next();
    if (p.kind != Tok::Path || !(p.text.starts_with("/") || p.text.starts_with("./")))
      fail(p, fmt::format("@include needs a path starting with '/' or './'; '{}' is an implicit relative path, which "
                          "minijail refuses",
                          p.text));
    if (depth + 1 >= kIncludeDepthLimit) fail(p, "@include statement nested too deep");
    const std::filesystem::path target = (path.parent_path() / p.text).lexically_normal();
    if (std::find(stack_.begin(), stack_.end(), target) != stack_.end())
      fail(p, fmt::format("@include cycle: {} includes itself", target.string()));
    std::string text;
    try {
      text = options_.read_file ? options_.read_file(target) : read_from_disk(target);
    } catch (const InputError& e) {
      fail(p, fmt::format("cannot @include {}: {}", target.string(), e.what()));
    }
    const std::string saved_source = source_;
    const std::size_t saved_line = line_;
    auto saved_tokens = std::move(tokens_);
    const std::size_t saved_at = at_;
    stack_.push_back(target);
    parse_file(text, target.string(), target, depth + 1);
    stack_.pop_back();
    source_ = saved_source;
    line_ = saved_line;
    tokens_ = std::move(saved_tokens);
    at_ = saved_at;
  }

  void statement() {
    std::vector<Token> names;
    if (accept("{")) {
      do names.push_back(syscall_name()); while (accept(","));
      expect_punct("}", "'}' closing the syscall list");
    } else {
      names.push_back(syscall_name());
    }
    if (peek().kind == Tok::Punct && peek().text == "[")
      fail(peek(), "per-arch metadata ([arch=...], minijail's Python compiler) is not supported; keep one policy "
                   "file per arch");
    expect_punct(":", "':' after the syscall name");
    Pending p;
    p.origin = RuleOrigin::in_text(source_, static_cast<unsigned>(line_), static_cast<unsigned>(names.front().column));
    try {
      filter(p);
    } catch (const regions::RegionTooComplex&) {
      fail(names.front(), "the expression needs more seccomp rules than seccage emits for one line; split it");
    }
    for (const Token& n : names) {
      if (auto prev = seen_.find(n.text); prev != seen_.end())
        fail(n, fmt::format("'{}' already has a filter at {}; minijail refuses a syscall defined twice", n.text,
                            prev->second));
      seen_.emplace(n.text, fmt::format("{}:{}", source_, line_));
      p.name = n.text;
      pending_.push_back(p);
    }
  }

  Token syscall_name() {
    const Token t = next();
    if (t.kind != Tok::Ident) fail(t, fmt::format("expected a syscall name but found '{}'", t.text));
    if (t.text.find('@') != std::string::npos)
      fail(t, fmt::format("syscall groups ('{}', minijail's Python compiler) are not supported; list the syscalls", t.text));
    for (Arch a : arches_)
      if (syscall_number(a, t.text)) return t;
    if (auto m = multiplexed_call(t.text))
      for (Arch a : arches_)
        if (syscall_number(a, m->via)) return t;
    std::vector<std::string> arch_names;
    for (Arch a : arches_) arch_names.emplace_back(arch_name(a));
    // A name another arch has is not a typo: no did-you-mean for it.
    const auto everywhere = all_syscall_names();
    const bool elsewhere = std::binary_search(everywhere.begin(), everywhere.end(), std::string_view(t.text));
    fail(t, fmt::format("nonexistent syscall '{}' on {}{}", t.text, fmt::join(arch_names, ", "),
                        elsewhere ? " (it exists on other arches; minijail policies are written per arch)"
                                  : profile_detail::suggestion_suffix(t.text, everywhere)));
  }

  void filter(Pending& p) {
    const Token& t = peek();
    if (t.kind == Tok::Punct && t.text == "{")
      fail(t, "filter lists ('{ ... }', minijail's Python compiler) are not supported");
    if (t.kind == Tok::Punct && t.text == "!")
      fail(t, "'!' (minijail's --denylist policies) is not supported");
    if (t.kind == Tok::Ident && t.text.starts_with("arg")) {
      p.expr = expression();
      if (accept(";")) {
        const Token r = next();
        // libminijail's C parser accepts only `return N` here; its Python
        // compiler reads `EXPR; ACTION` the other way round (ACTION when EXPR
        // holds), so other actions would be ambiguous.
        if (r.text != "return")
          fail(r, fmt::format("after ';' minijail expects 'return ERRNO', found '{}'", r.text));
        p.action = errno_action(next());
      }
      return;
    }
    p.action = action_after(next(), false);
  }

  // ---- actions -------------------------------------------------------------------

  Action errno_action(const Token& t) {
    if (t.kind == Tok::End) fail(t, "expected an errno after 'return'");
    const std::uint64_t v = single_constant(t);
    if (v > 4095) fail(t, fmt::format("errno {} is out of range (0 to 4095)", v));
    return Action::errno_(static_cast<std::uint16_t>(v));
  }

  Action action_after(const Token& t, bool is_default) {
    if (t.kind == Tok::Ident && t.text == "return" && !is_default) return errno_action(next());
    if (t.kind == Tok::Number && t.text == "1" && !is_default) return Action::allow();
    static const std::map<std::string, Action, std::less<>> actions = {
        {"allow", Action::allow()},           {"kill", Action::kill_process()},
        {"kill-process", Action::kill_process()}, {"kill-thread", Action::kill_thread()},
        {"trap", Action::trap()},             {"trace", Action::trace(0)},
        {"log", Action::log()},               {"user-notify", Action::user_notif()},
    };
    auto it = t.kind == Tok::Ident ? actions.find(t.text) : actions.end();
    if (it == actions.end())
      fail(t, fmt::format("expected an action (1, allow, kill, kill-process, kill-thread, trap, trace, log, "
                          "user-notify, return ERRNO) or an argument expression, found '{}'",
                          t.text));
    if (is_default && (it->second == Action::allow() || it->second.kind == ActionKind::Log ||
                       it->second.kind == ActionKind::Trace))
      fail(t, fmt::format("'{}' cannot be the default action (minijail allows kill, kill-process, kill-thread, "
                          "trap and user-notify)",
                          t.text));
    return it->second;
  }

  // ---- expressions ---------------------------------------------------------------

  Region expression() {
    Region r;
    do r = regions::unite(std::move(r), clause()); while (accept("||"));
    return r;
  }

  Region clause() {
    Region r = regions::any_region();
    do r = regions::intersect(r, atom()); while (accept("&&"));
    return r;
  }

  Region atom() {
    const Token a = next();
    if (a.kind != Tok::Ident || a.text.size() != 4 || !a.text.starts_with("arg") || a.text[3] < '0' || a.text[3] > '5')
      fail(a, fmt::format("expected an argument arg0 to arg5 but found '{}'", a.text));
    const auto index = static_cast<std::uint8_t>(a.text[3] - '0');
    const Token op = next();
    const std::uint64_t v = value();
    using regions::region_of;
    if (op.kind == Tok::Ident && op.text == "in")  // no bit outside the mask
      return region_of(Condition{index, CmpOp::MaskedEq, 0, ~v, ArgWidth::U64});
    if (op.kind == Tok::Punct && op.text == "&")  // some bit of the mask set
      return regions::complement(region_of(Condition{index, CmpOp::MaskedEq, 0, v, ArgWidth::U64}));
    static const std::map<std::string, CmpOp, std::less<>> ops = {
        {"==", CmpOp::EQ}, {"!=", CmpOp::NE}, {"<", CmpOp::LT}, {"<=", CmpOp::LE}, {">", CmpOp::GT}, {">=", CmpOp::GE}};
    auto it = op.kind == Tok::Punct ? ops.find(op.text) : ops.end();
    if (it == ops.end())
      fail(op, fmt::format("expected an operator (==, !=, <, <=, >, >=, &, in) but found '{}'", op.text));
    return region_of(Condition{index, it->second, v, 0, ArgWidth::U64});
  }

  std::uint64_t value() {
    std::uint64_t v = 0;
    do v |= constant(); while (accept("|"));
    return v;
  }

  // A 32-bit arch compares 32-bit words: minijail truncates ~ to the word and
  // refuses wider values; a 64-bit result is the same bits once the filter
  // drops the high word there (docs/formats.md).
  std::uint64_t constant() {
    const bool negate = accept("~");
    std::uint64_t v = 0;
    if (peek().kind == Tok::Punct && peek().text == "(") {
      // Bounded, so a hostile file cannot exhaust the stack.
      if (++depth_ > kMaxParenDepth) fail(peek(), "parentheses nested too deep");
      next();
      v = value();
      expect_punct(")", "')'");
      --depth_;
    } else {
      v = single_constant(next());
    }
    return negate ? ~v : v;
  }

  std::uint64_t single_constant(const Token& t) {
    if (t.kind == Tok::Ident) {
      try {
        return text_detail::resolve_constant(t.text, arches_);
      } catch (const InputError& e) {
        fail(t, e.what());
      }
    }
    if (t.kind != Tok::Number) fail(t, fmt::format("expected a number or a named constant but found '{}'", t.text));
    std::string_view s = t.text;
    const bool negative = s.starts_with('-');
    if (negative) s.remove_prefix(1);
    unsigned base = 10;
    if (s.size() > 2 && (s.starts_with("0x") || s.starts_with("0X"))) base = 16, s.remove_prefix(2);
    else if (s.size() > 1 && s.front() == '0') base = 8, s.remove_prefix(1);
    std::uint64_t v = 0;
    for (char c : s) {
      const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                    : std::isxdigit(static_cast<unsigned char>(c)) ? std::tolower(c) - 'a' + 10 : 99;
      if (d >= static_cast<int>(base)) fail(t, fmt::format("'{}' is not a number", t.text));
      if (v > (~std::uint64_t{0} - static_cast<unsigned>(d)) / base) fail(t, fmt::format("{} does not fit in 64 bits", t.text));
      v = v * base + static_cast<unsigned>(d);
    }
    const std::uint64_t limit = narrow_ ? 0xffffffffu : ~std::uint64_t{0};
    if (!negative && v > limit) fail(t, fmt::format("{} does not fit in a 32-bit arch's word", t.text));
    if (negative && v > (narrow_ ? std::uint64_t{0x80000000u} : std::uint64_t{1} << 63))
      fail(t, fmt::format("{} is below the word's smallest signed value", t.text));
    return negative ? 0 - v : v;
  }

  // ---- rules -----------------------------------------------------------------------

  void add(const Pending& p, const Region& where, Action action) {
    if (action == out_.policy.default_action) return;
    std::vector<std::vector<Condition>> alternatives;
    try {
      alternatives = regions::to_conditions(regions::simplify(where));
    } catch (const regions::RegionTooComplex&) {
      throw InputError(
          fmt::format("{}: minijail: the expression on {} needs too many seccomp rules", p.origin.to_string(), p.name));
    }
    for (auto& conds : alternatives) out_.policy.rules.push_back(Rule{p.name, action, std::move(conds), p.origin});
  }

  void emit(const Pending& p) {
    if (!p.expr) {
      add(p, regions::any_region(), *p.action);
      return;
    }
    // The expression allows; everything else gets the fallback. Both parts
    // are written as disjoint rules, so no precedence question arises.
    add(p, *p.expr, Action::allow());
    add(p, regions::complement(*p.expr), p.action.value_or(out_.policy.default_action));
  }

  const ForeignPolicyOptions& options_;
  ForeignPolicy& out_;
  std::vector<Arch> arches_;
  bool narrow_ = false;
  const Action kill_ = Action::kill_process();
  std::string source_;
  std::size_t line_ = 0;
  std::vector<Token> tokens_;
  std::size_t at_ = 0;
  std::vector<Pending> pending_;
  std::map<std::string, std::string> seen_;
  std::vector<std::filesystem::path> stack_;
  std::size_t depth_ = 0;
};

}  // namespace

ForeignPolicy read_minijail_policy_text(std::string_view text, std::string_view source_name,
                                        const ForeignPolicyOptions& options) {
  ForeignPolicy out;
  PolicyParser parser(options, out);
  parser.parse_file(text, std::string(source_name), std::filesystem::path(source_name), 0);
  parser.finish();
  return out;
}

ForeignPolicy read_minijail_policy(const std::filesystem::path& path, const ForeignPolicyOptions& options) {
  std::string text = options.read_file ? options.read_file(path) : read_from_disk(path);
  return read_minijail_policy_text(text, path.string(), options);
}

}  // namespace seccage
