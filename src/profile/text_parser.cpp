// The text policy language, step one: tokens -> syntax tree (text_syntax.hpp),
// with includes and `on` sections. The lowering into a Policy is
// text_lowering.cpp; docs/policy-language.md is the user's account of both.
#include "profile/text_syntax.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/core.h>

#include "seccage/error.hpp"
#include "seccage/groups.hpp"
#include "seccage/integer.hpp"
#include "seccage/policy_text.hpp"
#include "util/did_you_mean.hpp"

namespace seccage {
namespace text_detail {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxIncludeDepth = 32;
// Sections and parentheses are parsed recursively; a bound keeps a hostile
// file from exhausting the stack.
constexpr std::size_t kMaxNesting = 32;

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
constexpr std::string_view kStatementWords[] = {"default", "arch", "include", "on", "foreign-arch", "unknown-syscalls", "flags", "listener",
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
    } else if (word == "foreign-arch" || word == "unknown-syscalls" || word == "flags" || word == "listener" ||
               word == "listener-metadata") {
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
    } else if (t.text == "unknown-syscalls") {
      if (peek().kind != Tok::Word || (peek().text != "enosys" && peek().text != "default"))
        throw expected("`enosys` or `default` after unknown-syscalls");
      const bool enosys = next().text == "enosys";
      if (!active) return;
      once(out_.unknown_enosys.has_value());
      out_.unknown_enosys = enosys;
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

}  // namespace

std::string suffix(std::string_view word, std::span<const std::string_view> candidates) {
  if (auto s = did_you_mean(word, candidates)) return fmt::format(" (did you mean '{}'?)", *s);
  return "";
}

std::string read_text_file(const fs::path& path) { return read_from_disk(path); }

Parsed parse_text_policy_file(std::string_view text, const std::string& source, const fs::path& path,
                              const TextPolicyOptions& options) {
  Parsed out;
  Parser(options, out).parse_file(text, source, path);
  return out;
}

std::vector<CondAst> parse_text_condition_list(std::string_view text, const std::string& source) {
  const TextPolicyOptions options;
  Parsed unused;
  return Parser(options, unused).condition_list(text, source);
}

}  // namespace text_detail
}  // namespace seccage
