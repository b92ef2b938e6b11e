// The text policy language: parsing (with includes and `on` sections) into
// statements, then compiling the statements, in order, into a Policy.
// docs/policy-language.md is the user's account of the same rules.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <array>
#include <map>
#include <optional>
#include <sstream>

#include <fmt/core.h>

#include "profile/constants.hpp"
#include "profile/text_lexer.hpp"
#include "policy/later_wins.hpp"
#include "policy/regions.hpp"
#include "seccage/integer.hpp"
#include "seccage/error.hpp"
#include "seccage/groups.hpp"
#include "seccage/io_uring_guard.hpp"
#include "seccage/policy_text.hpp"
#include "util/did_you_mean.hpp"

namespace seccage {
namespace text_detail {
namespace {

namespace fs = std::filesystem;
using namespace regions;  // the set algebra of conditions (policy/regions.hpp)

constexpr std::size_t kMaxIncludeDepth = 32;
// Sections and parentheses are parsed recursively; a bound keeps a hostile
// file from exhausting the stack.
constexpr std::size_t kMaxNesting = 32;

struct Loc {
  std::string file;
  std::uint32_t line = 1;
  std::uint32_t col = 1;
  std::string str() const { return fmt::format("{}:{}:{}", file, line, col); }
};

std::string suffix(std::string_view word, std::span<const std::string_view> candidates) {
  if (auto s = did_you_mean(word, candidates)) return fmt::format(" (did you mean '{}'?)", *s);
  return "";
}

// A value: terms ORed together ("O_WRONLY|O_CREAT"), each a number or a name.
struct ValueAst {
  struct Part {
    Token token;
    Loc loc;
  };
  std::vector<Part> parts;
};

struct CmpAst {
  std::uint8_t arg = 0;
  // Written as argN.u64 / .u32 / .s32; nullopt: the width the kernel reads
  // the argument with (syscall_arg_width), decided per syscall.
  std::optional<ArgWidth> width;
  std::optional<ValueAst> mask;
  CmpOp op = CmpOp::EQ;
  bool negated_mask = false;  // "arg & m != v"
  ValueAst value;
  Loc loc;
};
using ConjAst = std::vector<CmpAst>;
using CondAst = std::vector<ConjAst>;  // ORed

struct ActionAst {
  bool deny = false;  // the default action, removing earlier grants
  Action action;
  Loc loc;
};

struct TargetAst {
  enum class Kind : std::uint8_t { Name, Group, Number } kind = Kind::Name;
  std::string text;
  std::uint32_t number = 0;
  Loc loc;
};

struct RuleStmt {
  ActionAst action;
  std::vector<TargetAst> targets;
  std::optional<CondAst> cond;
};

struct Parsed {
  std::optional<ActionAst> default_action;
  std::optional<std::pair<std::vector<Arch>, Loc>> arches;
  std::optional<ActionAst> foreign_arch;  // `foreign-arch ACTION`
  std::optional<Loc> flags_at;            // `flags ...`, once
  RuntimeSettings runtime;                // flags, listener, listener-metadata
  std::vector<RuleStmt> rules;
  std::vector<std::string> files;
  std::vector<std::string> errors;  // with TextPolicyOptions::all_errors
};

const std::vector<std::string_view>& errno_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (int e = 1; e < 4096; ++e)
      if (auto n = errno_name(e)) v.push_back(*n);
    return v;
  }();
  return names;
}

const std::vector<std::string_view>& arch_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const ArchInfo& a : all_arches()) v.push_back(a.name);
    return v;
  }();
  return names;
}

constexpr std::string_view kActionWords[] = {"allow", "deny",        "log",  "notify", "kill",
                                             "kill-process", "kill-thread", "trap", "trace", "errno"};
constexpr std::string_view kStatementWords[] = {"default", "arch", "include", "on", "foreign-arch", "flags", "listener",
                                                "listener-metadata", "allow",
                                                "deny",    "log",          "notify",      "kill", "kill-process",
                                                "kill-thread", "trap",     "trace",       "errno"};

bool is_action_word(std::string_view w) {
  return std::find(std::begin(kActionWords), std::end(kActionWords), w) != std::end(kActionWords);
}

// Numbers are read by the one lexer every front end shares.
std::optional<std::uint64_t> parse_number(std::string_view text) { return parse_integer(text); }

std::string read_from_disk(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw InputError(fmt::format("cannot read '{}': it is a directory", path.string()));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("cannot read '{}': {}", path.string(), std::strerror(errno)));
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw InputError(fmt::format("cannot read '{}': {}", path.string(), std::strerror(errno)));
  return s.str();
}

fs::path normalized(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return ec ? p.lexically_normal() : c;
}

class Parser {
 public:
  Parser(const TextPolicyOptions& options, Parsed& out) : options_(options), out_(out) {}

  void parse_file(std::string_view text, const std::string& source, const fs::path& path) {
    out_.files.push_back(source);
    stack_.push_back({normalized(path), source});
    Cursor saved = cur_;
    cur_ = Cursor{tokenize(text, source), 0, source, path};
    statements(/*active=*/true, /*in_section=*/false);
    cur_ = std::move(saved);
    stack_.pop_back();
  }

  // Conditions standing alone, separated by commas and ANDed: what a rule
  // option of `seccage run` writes after its colon (`arg0>=1,arg0<=5`).
  std::vector<CondAst> condition_list(std::string_view text, const std::string& source) {
    cur_ = Cursor{tokenize(text, source), 0, source, {}};
    std::vector<CondAst> out;
    for (;;) {
      out.push_back(condition());
      if (peek().kind != Tok::Comma) break;
      next();
    }
    if (peek().kind != Tok::End) throw expected("',' and another condition, or the end of the conditions");
    return out;
  }

 private:
  struct Cursor {
    std::vector<Token> tokens;
    std::size_t pos = 0;
    std::string source;
    fs::path path;
  };
  struct Frame {
    fs::path path;
    std::string source;
  };

  const Token& peek() const { return cur_.tokens[cur_.pos]; }
  const Token& next() {
    const Token& t = cur_.tokens[cur_.pos];
    if (t.kind != Tok::End) ++cur_.pos;
    return t;
  }
  Loc loc(const Token& t) const { return Loc{cur_.source, t.line, t.col}; }
  InputError error(const Token& t, const std::string& what) const {
    return InputError(fmt::format("{}: {}", loc(t).str(), what));
  }
  InputError expected(const std::string& what) const {
    return error(peek(), fmt::format("expected {} but found {}", what, describe(peek())));
  }
  void skip_newlines() {
    while (peek().kind == Tok::Newline) next();
  }
  bool at_statement_end() const {
    Tok k = peek().kind;
    return k == Tok::Newline || k == Tok::End || k == Tok::RBrace;
  }
  void end_statement() {
    if (!at_statement_end()) throw expected("the end of the statement");
  }

  void statements(bool active, bool in_section) {
    for (;;) {
      skip_newlines();
      const Token& t = peek();
      if (t.kind == Tok::End) {
        if (in_section) throw expected("'}' closing the `on` section");
        return;
      }
      if (t.kind == Tok::RBrace) {
        if (!in_section) throw error(t, "unexpected '}' (no `on` section is open)");
        return;
      }
      if (!options_.all_errors) {
        statement(active);
        end_statement();
        continue;
      }
      try {
        statement(active);
        end_statement();
      } catch (const InputError& e) {
        out_.errors.push_back(e.what());
        // Go on after the bad statement: skip to the end of its line.
        while (peek().kind != Tok::Newline && peek().kind != Tok::End) next();
      }
    }
  }

  void statement(bool active) {
    const Token& t = peek();
    if (t.kind != Tok::Word) throw expected("a statement (default, arch, include, on, or an action such as allow)");
    const std::string word = t.text;
    if (word == "default") {
      next();
      ActionAst a = action();
      if (a.deny) throw error(t, "`default deny` says nothing: name the action, e.g. `default kill` or `default errno(EPERM)`");
      if (!active) return;
      if (out_.default_action)
        throw error(t, fmt::format("a second default action (the first is at {})", out_.default_action->loc.str()));
      a.loc = loc(t);
      out_.default_action = a;
    } else if (word == "arch") {
      Token at = next();
      std::vector<Arch> arches = arch_list();
      if (!active) return;
      if (out_.arches) throw error(at, fmt::format("a second arch statement (the first is at {})", out_.arches->second.str()));
      out_.arches = std::make_pair(std::move(arches), loc(at));
    } else if (word == "foreign-arch" || word == "flags" || word == "listener" || word == "listener-metadata") {
      runtime_statement(active);
    } else if (word == "include") {
      Token at = next();
      if (peek().kind != Tok::String) throw expected("a file name in double quotes after include");
      Token file = next();
      if (active) include(at, file);
    } else if (word == "on") {
      next();
      std::vector<Arch> arches = arch_list();
      skip_newlines();
      if (peek().kind != Tok::LBrace) throw expected("'{' opening the `on` section");
      next();
      bool here = std::find(arches.begin(), arches.end(), options_.host_arch) != arches.end();
      if (++nesting_ > kMaxNesting) throw error(t, fmt::format("`on` sections nested more than {} deep", kMaxNesting));
      statements(active && here, /*in_section=*/true);
      --nesting_;
      next();  // '}'
    } else if (is_action_word(word)) {
      RuleStmt r;
      r.action = action();
      r.targets = targets();
      if (peek().kind == Tok::Colon) {
        next();
        skip_newlines();
        r.cond = condition();
      }
      if (active) out_.rules.push_back(std::move(r));
    } else {
      std::string msg = fmt::format("expected a statement (default, arch, include, on, or an action: allow, deny, "
                                    "errno(...), kill, ...) but found '{}'",
                                    word);
      if (std::binary_search(all_syscall_names().begin(), all_syscall_names().end(), std::string_view(word)))
        msg += fmt::format("; a rule starts with its action: `allow {}`", word);
      else
        msg += suffix(word, kStatementWords);
      throw error(t, msg);
    }
  }

  // What is not a rule but travels with the filter (docs/policy-language.md):
  // the action for calls from arches the filter does not cover, and what a
  // container runtime takes from a profile (filter flags, notify listener).
  void runtime_statement(bool active) {
    const Token t = next();
    auto once = [&](bool seen) {
      if (seen) throw error(t, fmt::format("a second `{}` statement", t.text));
    };
    if (t.text == "foreign-arch") {
      ActionAst a = action();
      if (a.deny) throw error(t, "`foreign-arch deny` says nothing: name the action, e.g. `foreign-arch kill-thread`");
      if (!active) return;
      once(out_.foreign_arch.has_value());
      out_.foreign_arch = a;
    } else if (t.text == "flags") {
      std::vector<std::string> flags;
      const auto known = runtime_filter_flag_names();
      for (;;) {
        if (peek().kind != Tok::Word) throw expected("a filter flag (SECCOMP_FILTER_FLAG_LOG, ...)");
        const Token& f = next();
        if (std::find(known.begin(), known.end(), f.text) == known.end())
          throw error(f, fmt::format("unknown filter flag '{}' (runc and crun accept SECCOMP_FILTER_FLAG_TSYNC, _LOG, "
                                     "_SPEC_ALLOW, _WAIT_KILLABLE_RECV){}",
                                     f.text, suffix(f.text, known)));
        flags.push_back(f.text);
        if (peek().kind != Tok::Comma) break;
        next();
      }
      if (!active) return;
      once(out_.flags_at.has_value());
      out_.flags_at = loc(t);
      out_.runtime.flags = std::move(flags);
    } else {
      if (peek().kind != Tok::String) throw expected(fmt::format("a string in double quotes after {}", t.text));
      std::string value = next().text;
      if (!active) return;
      if (t.text == "listener") {
        once(out_.runtime.listener_path.has_value());
        out_.runtime.listener_path = std::move(value);
      } else {
        once(!out_.runtime.listener_metadata.empty());
        out_.runtime.listener_metadata = std::move(value);
      }
    }
  }

  std::vector<Arch> arch_list() {
    std::vector<Arch> out;
    for (;;) {
      if (peek().kind != Tok::Word) throw expected("an architecture name (x86_64, aarch64, i386, ...)");
      const Token& t = next();
      auto a = parse_arch(t.text);
      if (!a) throw error(t, fmt::format("unknown architecture '{}'{}", t.text, suffix(t.text, arch_names())));
      if (std::find(out.begin(), out.end(), *a) == out.end()) out.push_back(*a);
      if (peek().kind != Tok::Comma) return out;
      next();
      skip_newlines();
    }
  }

  ActionAst action() {
    if (peek().kind != Tok::Word) throw expected("an action (allow, deny, errno(EPERM), kill, ...)");
    const Token& t = next();
    ActionAst a;
    a.loc = loc(t);
    const std::string& w = t.text;
    auto data = [&](bool required, std::uint32_t max, bool errno_names_ok) -> std::uint16_t {
      if (peek().kind != Tok::LParen) {
        if (required) throw expected(fmt::format("'(' after {} (e.g. errno(EPERM))", w));
        return 0;
      }
      next();
      const Token& v = next();
      std::uint64_t value = 0;
      if (v.kind == Tok::Number) {
        auto n = parse_number(v.text);
        if (!n) throw error(v, fmt::format("'{}' is not a number", v.text));
        if (*n > max) throw error(v, fmt::format("{} is out of range for {} (0 to {})", v.text, w, max));
        value = *n;
      } else if (v.kind == Tok::Word && errno_names_ok) {
        auto e = errno_from_name(v.text);
        if (!e) throw error(v, fmt::format("unknown errno name '{}'{}", v.text, suffix(v.text, errno_names())));
        value = static_cast<std::uint64_t>(*e);
      } else {
        throw error(v, fmt::format("expected {} but found {}", errno_names_ok ? "an errno name or number" : "a number",
                                   describe(v)));
      }
      if (peek().kind != Tok::RParen) throw expected("')'");
      next();
      return static_cast<std::uint16_t>(value);
    };
    if (w == "allow") a.action = Action::allow();
    else if (w == "deny") a.deny = true;
    else if (w == "log") a.action = Action::log();
    else if (w == "notify") a.action = Action::user_notif();
    else if (w == "kill" || w == "kill-process") a.action = Action::kill_process();
    else if (w == "kill-thread") a.action = Action::kill_thread();
    else if (w == "trap") a.action = Action::trap(data(false, 0xffff, false));
    else if (w == "trace") a.action = Action::trace(data(false, 0xffff, false));
    else if (w == "errno") a.action = Action::errno_(data(true, 4095, true));
    else
      throw error(t, fmt::format("expected an action (allow, deny, errno(...), kill, kill-thread, trap, log, notify, "
                                 "trace) but found '{}'{}",
                                 w, suffix(w, kActionWords)));
    return a;
  }

  std::vector<TargetAst> targets() {
    std::vector<TargetAst> out;
    for (;;) {
      const Token& t = peek();
      TargetAst target;
      target.loc = loc(t);
      target.text = t.text;
      if (t.kind == Tok::Word) {
        target.kind = TargetAst::Kind::Name;
      } else if (t.kind == Tok::Group) {
        target.kind = TargetAst::Kind::Group;
        if (!find_syscall_group(t.text))
          throw error(t, fmt::format("unknown syscall group '{}'{}; `seccage groups` lists them", t.text,
                                     suffix(t.text, syscall_group_names())));
      } else if (t.kind == Tok::Number) {
        target.kind = TargetAst::Kind::Number;
        auto n = parse_number(t.text);
        if (!n || *n > 0xffffffffu) throw error(t, fmt::format("'{}' is not a syscall number", t.text));
        target.number = static_cast<std::uint32_t>(*n);
      } else {
        throw expected("a syscall name, number or @group");
      }
      next();
      out.push_back(std::move(target));
      if (peek().kind != Tok::Comma) return out;
      next();
      skip_newlines();
    }
  }

  CondAst condition() {
    CondAst out;
    for (;;) {
      ConjAst conj;
      for (;;) {
        conj.push_back(comparison());
        if (peek().kind != Tok::AndAnd) break;
        next();
        skip_newlines();
      }
      out.push_back(std::move(conj));
      if (peek().kind != Tok::OrOr) return out;
      next();
      skip_newlines();
    }
  }

  CmpAst comparison() {
    const Token& t = peek();
    CmpAst c;
    c.loc = loc(t);
    if (t.kind != Tok::Word || !t.text.starts_with("arg") || t.text.size() < 4)
      throw expected("an argument (arg0 to arg5)");
    std::string_view word = t.text;
    if (auto dot = word.find('.'); dot != std::string_view::npos) {
      const std::string_view w = word.substr(dot + 1);
      if (w == "u64") c.width = ArgWidth::U64;
      else if (w == "u32") c.width = ArgWidth::U32;
      else if (w == "s32") c.width = ArgWidth::S32;
      else throw error(t, fmt::format("unknown argument width '.{}' (.u64, .u32 or .s32)", w));
      word = word.substr(0, dot);
    }
    auto idx = parse_number(word.substr(3));
    if (!idx || word.size() < 4 || word[3] == '-' || (word.size() > 4 && word[3] == '0'))
      throw expected("an argument (arg0 to arg5)");
    if (*idx > 5) throw error(t, fmt::format("argument index {} is out of range (syscalls have arg0 to arg5)", *idx));
    c.arg = static_cast<std::uint8_t>(*idx);
    next();
    if (peek().kind == Tok::Amp) {
      next();
      c.mask = value();
    }
    const Token& op = peek();
    switch (op.kind) {
      case Tok::Eq: c.op = CmpOp::EQ; break;
      case Tok::Ne: c.op = CmpOp::NE; break;
      case Tok::Lt: c.op = CmpOp::LT; break;
      case Tok::Le: c.op = CmpOp::LE; break;
      case Tok::Gt: c.op = CmpOp::GT; break;
      case Tok::Ge: c.op = CmpOp::GE; break;
      default:
        throw expected(c.mask ? "'==' or '!=' after the mask" : "a comparison (==, !=, <, <=, >, >=, or & MASK ==)");
    }
    if (c.mask && c.op != CmpOp::EQ && c.op != CmpOp::NE)
      throw error(op, fmt::format("a masked argument can only be compared with == or != (found '{}')", op.text));
    if (c.mask) {
      c.negated_mask = c.op == CmpOp::NE;
      c.op = CmpOp::MaskedEq;
    }
    next();
    c.value = value();
    return c;
  }

  ValueAst value() {
    ValueAst v;
    if (peek().kind == Tok::LParen) {
      if (++nesting_ > kMaxNesting) throw error(peek(), fmt::format("parentheses nested more than {} deep", kMaxNesting));
      next();
      v = value();
      --nesting_;
      if (peek().kind != Tok::RParen) throw expected("')'");
      next();
      return v;
    }
    for (;;) {
      const Token& t = peek();
      if (t.kind != Tok::Number && t.kind != Tok::Word) throw expected("a number or a constant (AF_INET, O_RDONLY, ...)");
      if (t.kind == Tok::Number && !parse_number(t.text)) throw error(t, fmt::format("'{}' is not a number", t.text));
      v.parts.push_back({t, loc(t)});
      next();
      if (peek().kind != Tok::Pipe) return v;
      next();
    }
  }

  void include(const Token& at, const Token& file) {
    fs::path target = file.text;
    if (target.is_relative()) target = cur_.path.parent_path() / target;
    const fs::path key = normalized(target);
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      if (stack_[i].path != key) continue;
      std::string chain;
      for (std::size_t j = i; j < stack_.size(); ++j) chain += stack_[j].source + " -> ";
      chain += target.string();
      throw error(at, fmt::format("include cycle: {}", chain));
    }
    if (stack_.size() >= kMaxIncludeDepth)
      throw error(at, fmt::format("includes nested more than {} deep", kMaxIncludeDepth));
    std::string text;
    try {
      text = options_.read_file ? options_.read_file(target) : read_from_disk(target);
    } catch (const InputError& e) {
      throw error(at, fmt::format("cannot include \"{}\": {}", file.text, e.what()));
    }
    parse_file(text, target.string(), target);
  }

  const TextPolicyOptions& options_;
  Parsed& out_;
  Cursor cur_;
  std::vector<Frame> stack_;
  std::size_t nesting_ = 0;
};

// --- compiling the statements --------------------------------------------

// What the statements so far say about one syscall: a base action (nullopt =
// the default) and conditional layers on top, the last matching one winning.
// Per argument, how a statement's condition reads it: nullopt = not
// compared; 0 = as the kernel reads it (decided per syscall); else the
// explicit width + 1.
using WidthSpec = std::array<std::optional<int>, 6>;

struct Entry {
  regions::SyscallStatements statements;
  std::vector<WidthSpec> widths;  // of statements.layers, in order
};

bool name_applies(Arch arch, std::string_view name) {
  if (syscall_number(arch, name)) return true;
  auto mux = multiplexed_call(name);
  return mux && syscall_number(arch, mux->via).has_value();
}

bool known_anywhere(std::string_view name) {
  return std::binary_search(all_syscall_names().begin(), all_syscall_names().end(), name) ||
         multiplexed_call(name).has_value();
}

// The values a condition accepts; named constants resolved for `arches`.
std::uint64_t resolve_value(const ValueAst& v, std::span<const Arch> arches) {
  std::uint64_t out = 0;
  for (const auto& p : v.parts) {
    if (p.token.kind == Tok::Number) {
      out |= *parse_number(p.token.text);
      continue;
    }
    try {
      out |= resolve_constant(p.token.text, arches);
    } catch (const InputError& e) {
      throw InputError(fmt::format("{}: {}", p.loc.str(), e.what()));
    }
  }
  return out;
}

Region condition_region(const CondAst& cond, std::span<const Arch> arches) {
  Region out;
  const Loc& where = cond.front().front().loc;
  try {
    for (const ConjAst& conj : cond) {
      Region r = any_region();
      for (const CmpAst& c : conj) {
        Condition model{c.arg, c.op, resolve_value(c.value, arches), c.mask ? resolve_value(*c.mask, arches) : 0};
        if (c.mask && (model.value & ~model.mask) != 0)
          throw InputError(fmt::format(
              "{}: the value {:#x} has bits outside the mask {:#x}: `arg{} & {:#x}` can never equal it (an OCI "
              "profile's SCMP_CMP_MASKED_EQ would compare with {:#x}, the value masked; write that if you mean it)",
              c.loc.str(), model.value, model.mask, static_cast<unsigned>(c.arg), model.mask,
              model.value & model.mask));
        Region one = region_of(model);
        if (c.negated_mask) one = complement(one);
        r = intersect(r, one);
      }
      out = unite(std::move(out), r);
    }
  } catch (const RegionTooComplex& e) {
    throw InputError(fmt::format("{}: {}", where.str(), e.what()));
  }
  return out;
}

// How each argument is read by a condition (one width per argument).
WidthSpec width_spec(const CondAst& cond) {
  WidthSpec out;
  for (const ConjAst& conj : cond) {
    for (const CmpAst& c : conj) {
      const int w = c.width ? static_cast<int>(*c.width) + 1 : 0;
      if (out[c.arg] && *out[c.arg] != w)
        throw InputError(fmt::format("{}: arg{} is compared with two widths in one statement; write it the same "
                                     "way each time (argN, or argN.u64 for all 64 bits)",
                                     c.loc.str(), static_cast<unsigned>(c.arg)));
      out[c.arg] = w;
    }
  }
  return out;
}

class Compiler {
 public:
  Compiler(const Parsed& parsed, std::string main_source, std::vector<Arch> arches_override, bool all_errors)
      : parsed_(parsed), main_(std::move(main_source)), override_(std::move(arches_override)),
        all_errors_(all_errors) {}

  TextPolicy run() {
    TextPolicy out;
    out.files = parsed_.files;
    if (!parsed_.default_action) {
      std::string all;
      for (const std::string& e : parsed_.errors) all += e + "\n";
      throw InputError(fmt::format("{}{}: no default action; add a line such as `default kill` or "
                                   "`default errno(EPERM)`",
                                   all, main_));
    }
    const Action def = parsed_.default_action->action;
    out.policy.default_action = def;
    if (parsed_.arches) out.policy.arches = parsed_.arches->first;
    if (parsed_.foreign_arch) out.policy.bad_arch_action = parsed_.foreign_arch->action;
    out.policy.runtime = parsed_.runtime;
    if (!override_.empty()) out.policy.arches = override_;
    arches_ = out.policy.effective_arches();

    std::map<SyscallRef, Entry> entries;
    std::vector<std::string> errors = parsed_.errors;
    for (const RuleStmt& r : parsed_.rules) {
      if (!all_errors_) {
        add_statement(r, def, entries, out.warnings);
        continue;
      }
      try {
        add_statement(r, def, entries, out.warnings);
      } catch (const InputError& e) {
        errors.push_back(e.what());
      }
    }
    if (!errors.empty()) {
      std::string joined;
      for (const std::string& e : errors) joined += (joined.empty() ? "" : "\n") + e;
      throw InputError(joined);
    }
    finish(def, entries, out);
    return out;
  }

 private:
  void add_statement(const RuleStmt& r, const Action& def, std::map<SyscallRef, Entry>& entries,
                     std::vector<std::string>& warnings) const {
    {
      if (r.action.deny && !def.denies())
        throw InputError(fmt::format("{}: `deny` means the default action, which is {} here; name the action "
                                     "instead (kill, errno(EPERM), ...)",
                                     r.action.loc.str(), def.to_string()));
      std::optional<Action> action;
      if (!r.action.deny) action = r.action.action;
      std::optional<Region> region;
      WidthSpec widths;
      if (r.cond) {
        region = condition_region(*r.cond);
        widths = width_spec(*r.cond);
      }
      for (const TargetAst& t : r.targets) {
        for (const SyscallRef& ref : resolve_target(t, warnings)) {
          Entry& e = entries[ref];
          // Unconditional: replaces everything said before about it.
          if (!region) e.widths.clear();
          else e.widths.push_back(widths);
          e.statements.add(action, region ? *region : any_region(), t.loc.str());
        }
      }
    }
  }

  void finish(const Action& def, const std::map<SyscallRef, Entry>& entries, TextPolicy& out) const {
    for (const auto& [ref, e] : entries) emit(ref, e, def, out.policy.rules);
    // io_uring would do what the policy denies out of the filter's sight
    // (docs/semantics.md, "io_uring"): unless a statement allows
    // io_uring_setup by name (a group is not enough), it is denied too.
    guard_io_uring(out.policy, names_io_uring_setup() && allows_io_uring_by_name(out.policy));
    validate(out.policy);
  }

 private:
  // A statement that allows or logs io_uring_setup by its name or number.
  bool names_io_uring_setup() const {
    for (const RuleStmt& r : parsed_.rules) {
      if (r.action.deny || (r.action.action.kind != ActionKind::Allow && r.action.action.kind != ActionKind::Log))
        continue;
      for (const TargetAst& t : r.targets) {
        if (t.kind == TargetAst::Kind::Name && t.text == "io_uring_setup") return true;
        if (t.kind == TargetAst::Kind::Number &&
            std::any_of(arches_.begin(), arches_.end(),
                        [&](Arch a) { return syscall_number(a, "io_uring_setup") == t.number; }))
          return true;
      }
    }
    return false;
  }

  std::vector<SyscallRef> resolve_target(const TargetAst& t, std::vector<std::string>& warnings) const {
    auto applies = [&](std::string_view n) {
      return std::any_of(arches_.begin(), arches_.end(), [&](Arch a) { return name_applies(a, n); });
    };
    switch (t.kind) {
      case TargetAst::Kind::Number:
        return {SyscallRef{t.number}};
      case TargetAst::Kind::Group: {
        // Members no arch of the policy has (chown32 on x86_64) are left out
        // quietly: groups are written for every arch.
        std::vector<SyscallRef> out;
        for (const std::string& n : expand_syscall_group(t.text))
          if (applies(n)) out.emplace_back(n);
        return out;
      }
      case TargetAst::Kind::Name:
        break;
    }
    if (!known_anywhere(t.text)) {
      throw InputError(fmt::format("{}: unknown syscall '{}'{}", t.loc.str(), t.text,
                                   suffix(t.text, all_syscall_names())));
    }
    if (!applies(t.text)) {
      std::string list;
      for (Arch a : arches_) list += (list.empty() ? "" : ", ") + std::string(arch_name(a));
      warnings.push_back(fmt::format("{}: '{}' does not exist on {}; ignored", t.loc.str(), t.text, list));
      return {};
    }
    return {SyscallRef{t.text}};
  }

  Region condition_region(const CondAst& cond) const { return text_detail::condition_region(cond, arches_); }

  // The width of each argument of one syscall's conditions. The "later
  // statements win" algebra works on values; it stays exact under a width
  // only if every statement reads the argument the same way (then it is the
  // same algebra on the extended low words), so mixing is an error.
  static std::array<ArgWidth, 6> widths_of(const SyscallRef& ref, const Entry& e) {
    std::array<ArgWidth, 6> out{};
    std::array<const regions::Statement*, 6> first{};
    const auto* name = std::get_if<std::string>(&ref);
    for (std::size_t i = 0; i < e.statements.layers.size(); ++i) {
      const regions::Statement& l = e.statements.layers[i];
      for (unsigned a = 0; a < 6; ++a) {
        if (!e.widths[i][a]) continue;
        const int spec = *e.widths[i][a];
        ArgWidth w = spec > 0 ? static_cast<ArgWidth>(spec - 1) : name ? syscall_arg_width(*name, a) : ArgWidth::U64;
        if (first[a] && out[a] != w)
          throw InputError(fmt::format("{}: arg{} of {} is compared on {} here but on {} at {}; use one width for an "
                                       "argument of a syscall",
                                       l.origin, a, to_string(ref), width_text(w), width_text(out[a]),
                                       first[a]->origin));
        out[a] = w;
        first[a] = &l;
      }
    }
    return out;
  }

  static const char* width_text(ArgWidth w) {
    switch (w) {
      case ArgWidth::U64: return "all 64 bits";
      case ArgWidth::U32: return "the low 32 bits (unsigned)";
      case ArgWidth::S32: return "the low 32 bits (signed)";
    }
    return "?";
  }

  void emit(const SyscallRef& ref, const Entry& e, const Action& def, std::vector<Rule>& rules) const {
    std::vector<Rule> mine = regions::resolve_later_wins(ref, e.statements, def);
    const std::array<ArgWidth, 6> widths = widths_of(ref, e);
    for (Rule& r : mine) {
      for (Condition& c : r.conditions) c.width = widths[c.arg];
      rules.push_back(std::move(r));
    }
  }

  const Parsed& parsed_;
  std::string main_;
  std::vector<Arch> override_;
  bool all_errors_ = false;
  std::vector<Arch> arches_;
};

TextPolicy compile_text(std::string_view text, const std::string& source, const fs::path& path,
                        const TextPolicyOptions& options) {
  Parsed parsed;
  Parser parser(options, parsed);
  parser.parse_file(text, source, path);
  return Compiler(parsed, source, options.arches, options.all_errors).run();
}

}  // namespace
}  // namespace text_detail

TextPolicy read_text_policy(const std::filesystem::path& path, const TextPolicyOptions& options) {
  std::string text = options.read_file ? options.read_file(path) : text_detail::read_from_disk(path);
  return text_detail::compile_text(text, path.string(), path, options);
}

TextPolicy read_text_policy_text(std::string_view text, std::string_view source_name,
                                 const TextPolicyOptions& options) {
  return text_detail::compile_text(text, std::string(source_name), std::filesystem::path(source_name), options);
}

std::vector<std::vector<Condition>> parse_text_conditions(std::string_view text, std::string_view source,
                                                         const SyscallRef& syscall, std::span<const Arch> arches) {
  using namespace text_detail;
  const TextPolicyOptions options;
  Parsed unused;
  Parser parser(options, unused);
  const std::vector<CondAst> parts = parser.condition_list(text, std::string(source));
  Region region = any_region();
  WidthSpec spec;
  try {
    for (const CondAst& part : parts) {
      region = intersect(region, condition_region(part, arches));
      const WidthSpec mine = width_spec(part);
      for (unsigned a = 0; a < 6; ++a) {
        if (!mine[a]) continue;
        if (spec[a] && *spec[a] != *mine[a])
          throw InputError(fmt::format("{}: arg{} is compared with two widths; write it the same way each time "
                                       "(argN, or argN.u64 for all 64 bits)",
                                       source, a));
        spec[a] = mine[a];
      }
    }
  } catch (const RegionTooComplex& e) {
    throw InputError(fmt::format("{}: {}", source, e.what()));
  }
  const auto* name = std::get_if<std::string>(&syscall);
  std::vector<std::vector<Condition>> out = to_conditions(simplify(region));
  for (auto& conds : out) {
    for (Condition& c : conds) {
      const int w = spec[c.arg].value_or(0);
      c.width = w > 0 ? static_cast<ArgWidth>(w - 1) : name ? syscall_arg_width(*name, c.arg) : ArgWidth::U64;
    }
  }
  return out;
}

bool looks_like_text_policy(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c != '{';
  }
  return true;
}

}  // namespace seccage
