// The rule options of `seccage run`: --allow/--deny/--kill NAME[:COND,...].
//
// The syntax is the smallest one that writes the seed examples on one line
// and reads like Condition::to_string() (and so like the text language):
// `write:arg0!=1` is the rule that `seccage explain` prints as
// `write: arg0 != 1`. Spaces around operators are allowed.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include <fmt/core.h>

#include "seccage/error.hpp"
#include "seccage/groups.hpp"
#include "seccage/io_uring_guard.hpp"
#include "seccage/sandbox.hpp"

namespace seccage::sandbox {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

// Decimal, 0x hex or 0-prefixed octal, as in C and in the text language.
std::optional<std::uint64_t> parse_number(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8;
    s.remove_prefix(1);
  }
  std::uint64_t v = 0;
  auto res = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

[[noreturn]] void bad_condition(std::string_view option, std::string_view text, std::string_view cond,
                                std::string_view why) {
  throw InputError(fmt::format("{} '{}': invalid condition '{}': {} (expected argN OP VALUE with N in 0..5 and "
                               "OP one of == != < <= > >=, or argN&MASK==VALUE; for example arg0!=1, arg2&0x4==0)",
                               option, text, cond, why));
}

Condition parse_condition(std::string_view option, std::string_view text, std::string_view raw) {
  std::string_view s = trim(raw);
  if (s.size() < 4 || s.substr(0, 3) != "arg" || s[3] < '0' || s[3] > '5')
    bad_condition(option, text, raw, "it must start with arg0 .. arg5");
  Condition c;
  c.arg = static_cast<std::uint8_t>(s[3] - '0');
  s = trim(s.substr(4));
  std::optional<std::uint64_t> mask;
  if (!s.empty() && s[0] == '&') {
    // The mask runs up to the operator, which must then be ==.
    const std::size_t eq = s.find("==");
    if (eq == std::string_view::npos) bad_condition(option, text, raw, "a masked test needs == (argN&MASK==VALUE)");
    mask = parse_number(s.substr(1, eq - 1));
    if (!mask) bad_condition(option, text, raw, fmt::format("'{}' is not a number", trim(s.substr(1, eq - 1))));
    s = s.substr(eq);
  }
  struct OpName {
    std::string_view text;
    CmpOp op;
  };
  // Two-character operators first, so "<=" is not read as "<".
  static constexpr OpName kOps[] = {{"==", CmpOp::EQ}, {"!=", CmpOp::NE}, {"<=", CmpOp::LE},
                                    {">=", CmpOp::GE}, {"<", CmpOp::LT},  {">", CmpOp::GT}};
  const OpName* found = nullptr;
  for (const auto& o : kOps) {
    if (s.substr(0, o.text.size()) == o.text) {
      found = &o;
      break;
    }
  }
  if (!found) bad_condition(option, text, raw, "no comparison operator after the argument");
  if (mask && found->op != CmpOp::EQ) bad_condition(option, text, raw, "a masked test compares with == only");
  const std::string_view value_text = s.substr(found->text.size());
  auto value = parse_number(value_text);
  if (!value) bad_condition(option, text, raw, fmt::format("'{}' is not a number", trim(value_text)));
  c.value = *value;
  if (mask) {
    c.op = CmpOp::MaskedEq;
    c.mask = *mask;
  } else {
    c.op = found->op;
  }
  return c;
}

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; });
}

// A rule names a syscall by name, or by number when the text is all digits.
SyscallRef syscall_ref(std::string_view name) {
  if (auto n = parse_number(name); n && std::isdigit(static_cast<unsigned char>(name[0])) && *n <= 0xffffffffu)
    return static_cast<std::uint32_t>(*n);
  return std::string(name);
}

}  // namespace

std::vector<Rule> parse_rule_option(std::string_view option, std::string_view text, Action action) {
  const std::size_t colon = text.find(':');
  const std::string_view names_part = text.substr(0, colon);
  std::vector<Condition> conditions;
  if (colon != std::string_view::npos) {
    const std::string_view conds = text.substr(colon + 1);
    if (trim(conds).empty()) throw InputError(fmt::format("{} '{}': nothing after ':' (expected conditions such as arg0!=1)", option, text));
    for (std::string_view c : split(conds, ',')) conditions.push_back(parse_condition(option, text, c));
  }
  std::vector<Rule> rules;
  std::vector<std::string> names;
  for (std::string_view raw : split(names_part, ',')) {
    const std::string_view name = trim(raw);
    // A group (@network-io) stands for its members, as in the text language.
    if (name.starts_with('@')) {
      if (!find_syscall_group(name))
        throw InputError(fmt::format("{} '{}': unknown group '{}' (`seccage groups` lists them)", option, text, name));
      for (std::string& member : expand_syscall_group(name)) names.push_back(std::move(member));
      continue;
    }
    names.emplace_back(name);
  }
  for (const std::string& name : names) {
    if (!valid_name(name))
      throw InputError(fmt::format("{} '{}': '{}' is not a syscall name or number (expected NAME[,NAME...] or "
                                   "NAME:CONDITION[,CONDITION...])",
                                   option, text, name));
    rules.push_back(Rule{syscall_ref(name), action, conditions, fmt::format("{} {}", option, text)});
    // Decide on what the kernel uses: write:arg0==2 also catches 0x100000002.
    apply_kernel_widths(rules.back());
  }
  return rules;
}

std::vector<Rule> parse_deny_option(std::string_view text) {
  // The errno, when given, is the last colon-separated part and is not a
  // condition (conditions all start with "arg").
  Action action = Action::errno_(1);
  std::string_view rest = text;
  const std::size_t colon = text.rfind(':');
  if (colon != std::string_view::npos) {
    const std::string_view last = trim(text.substr(colon + 1));
    if (!last.empty() && last.substr(0, 3) != "arg") {
      std::optional<int> err = errno_from_name(last);
      if (!err) {
        if (auto n = parse_number(last)) err = static_cast<int>(std::min<std::uint64_t>(*n, 100000));
      }
      if (!err || *err < 1 || *err > 4095)
        throw InputError(fmt::format("--deny '{}': '{}' is not an errno (expected a name such as EPERM or EACCES, "
                                     "or a number from 1 to 4095)",
                                     text, last));
      action = Action::errno_(static_cast<std::uint16_t>(*err));
      rest = text.substr(0, colon);
    }
  }
  auto rules = parse_rule_option("--deny", rest, action);
  for (Rule& r : rules) r.origin = fmt::format("--deny {}", text);
  return rules;
}

Action parse_default_action(std::string_view text) {
  if (auto a = parse_action(text)) return *a;
  throw InputError(fmt::format("--default '{}': unknown action (expected allow, kill, kill-thread, trap, log, "
                               "errno(EPERM) or an errno name such as EPERM)",
                               text));
}

}  // namespace seccage::sandbox

namespace seccage::sandbox {
namespace {

std::optional<Condition> negate(const Condition& c) {
  Condition n = c;
  switch (c.op) {
    case CmpOp::EQ: n.op = CmpOp::NE; break;
    case CmpOp::NE: n.op = CmpOp::EQ; break;
    case CmpOp::LT: n.op = CmpOp::GE; break;
    case CmpOp::GE: n.op = CmpOp::LT; break;
    case CmpOp::LE: n.op = CmpOp::GT; break;
    case CmpOp::GT: n.op = CmpOp::LE; break;
    case CmpOp::MaskedEq: return std::nullopt;  // seccomp has no masked "not equal"
  }
  return n;
}

}  // namespace

void overlay_rules(Policy& policy, const std::vector<Rule>& added) {
  if (added.empty()) return;
  // Two options on the same syscall and the same conditions with different
  // actions contradict each other: say so rather than let one win silently.
  for (std::size_t i = 0; i < added.size(); ++i)
    for (std::size_t j = i + 1; j < added.size(); ++j)
      if (added[i].syscall == added[j].syscall && added[i].conditions == added[j].conditions &&
          added[i].action != added[j].action)
        throw InputError(fmt::format("{} and {} contradict each other on '{}': give one action per syscall and "
                                     "conditions",
                                     added[i].origin, added[j].origin, seccage::to_string(added[i].syscall)));
  // Group the added rules by the syscall they name.
  std::vector<SyscallRef> touched;
  for (const Rule& r : added)
    if (std::find(touched.begin(), touched.end(), r.syscall) == touched.end()) touched.push_back(r.syscall);

  std::vector<Rule> complements;
  for (const SyscallRef& ref : touched) {
    std::vector<const Rule*> mine;
    for (const Rule& r : added)
      if (r.syscall == ref) mine.push_back(&r);
    // What the policy did with this syscall when no condition was involved.
    std::optional<Action> before;
    bool conditional_before = false;
    for (const Rule& r : policy.rules) {
      if (!(r.syscall == ref)) continue;
      if (r.conditions.empty()) before = r.action;
      else conditional_before = true;
    }
    std::erase_if(policy.rules, [&](const Rule& r) { return r.syscall == ref; });
    const bool all_conditional =
        std::all_of(mine.begin(), mine.end(), [](const Rule* r) { return !r->conditions.empty(); });
    if (!all_conditional || !before || *before == policy.default_action) continue;
    // A conditional option narrows an unconditional rule of the policy: calls
    // that do not match it keep the policy's action.
    if (mine.size() > 1) {
      throw InputError(fmt::format("several conditional options on '{}' ({}, {}, ...) replace the policy's {} rule on it; "
                                   "calls matching none of them would get the default action. Add an unconditional "
                                   "option for the rest (e.g. --allow {})",
                                   seccage::to_string(ref), mine[0]->origin, mine[1]->origin, before->to_string(), seccage::to_string(ref)));
    }
    for (const Condition& c : mine[0]->conditions) {
      auto n = negate(c);
      if (!n) {
        throw InputError(fmt::format("{}: a masked condition cannot be negated, so the calls it does not match cannot keep "
                                     "the policy's {} for '{}'; add an unconditional option for the rest",
                                     mine[0]->origin, before->to_string(), seccage::to_string(ref)));
      }
      complements.push_back(Rule{ref, *before, {*n}, fmt::format("{} (the rest keeps the policy's action)", mine[0]->origin)});
    }
    (void)conditional_before;
  }
  policy.rules.insert(policy.rules.end(), added.begin(), added.end());
  policy.rules.insert(policy.rules.end(), complements.begin(), complements.end());
  // Rule options are seccage's own policy form, over any base (even a JSON
  // profile): a denial io_uring could do takes io_uring with it, unless
  // io_uring_setup is allowed by name (docs/semantics.md, "io_uring").
  guard_io_uring(policy, allows_io_uring_by_name(policy));
}

}  // namespace seccage::sandbox
