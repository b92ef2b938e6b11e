// The rule options of `seccage run`. Their conditions are the text
// language's, parsed by its parser (parse_text_conditions), and they go over
// the policy by the library's one override (apply_later_rules): one grammar
// and one "later wins" for every front end.
#include "syntax/rule_options.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include <fmt/core.h>

#include "seccage/error.hpp"
#include "seccage/groups.hpp"
#include "seccage/integer.hpp"
#include "seccage/io_uring_guard.hpp"
#include "seccage/policy_text.hpp"

namespace seccage::cli {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool valid_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
  });
}

// A syscall by name, or by number when the text starts with a digit (the
// shared integer lexer reads it, as in the text language).
SyscallRef syscall_ref(std::string_view option, std::string_view text, std::string_view name) {
  if (!std::isdigit(static_cast<unsigned char>(name[0]))) return std::string(name);
  auto n = parse_integer(name);
  if (!n || *n > 0xffffffffu)
    throw InputError(fmt::format("{} '{}': '{}' is not a syscall number (decimal, 0x hex, 0b binary or octal, "
                                 "at most 32 bits)",
                                 option, text, name));
  return static_cast<std::uint32_t>(*n);
}

// NAME[,NAME...] with groups expanded.
std::vector<SyscallRef> syscall_list(std::string_view option, std::string_view text, std::string_view names_part) {
  std::vector<SyscallRef> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= names_part.size(); ++i) {
    if (i != names_part.size() && names_part[i] != ',') continue;
    const std::string_view name = trim(names_part.substr(start, i - start));
    start = i + 1;
    if (name.starts_with('@')) {
      // A group (@network-io) stands for its members, as in the text language.
      if (!find_syscall_group(name))
        throw InputError(fmt::format("{} '{}': unknown group '{}' (`seccage groups` lists them)", option, text, name));
      for (std::string& member : expand_syscall_group(name)) out.emplace_back(std::move(member));
      continue;
    }
    if (!valid_name(name))
      throw InputError(fmt::format("{} '{}': '{}' is not a syscall name or number (expected NAME[,NAME...] or "
                                   "NAME:CONDITION[,CONDITION...])",
                                   option, text, name));
    out.push_back(syscall_ref(option, text, name));
  }
  return out;
}

}  // namespace

std::vector<Rule> parse_rule_option(std::string_view option, std::string_view text, Action action,
                                    std::span<const Arch> arches) {
  const std::size_t colon = text.find(':');
  const RuleOrigin origin = RuleOrigin::from_option(fmt::format("{} {}", option, text));
  std::vector<Rule> rules;
  for (SyscallRef& ref : syscall_list(option, text, text.substr(0, colon))) {
    if (colon == std::string_view::npos) {
      rules.push_back(Rule{std::move(ref), action, {}, origin});
      continue;
    }
    const std::string_view conditions = text.substr(colon + 1);
    if (trim(conditions).empty())
      throw InputError(fmt::format("{} '{}': nothing after ':' (expected conditions such as arg0!=1)", option, text));
    // Errors read "--kill 'write:arg0=1':1:5: expected ...", the column
    // counting from the first character after the colon.
    const auto alternatives =
        parse_text_conditions(conditions, fmt::format("{} '{}'", option, text), ref, arches);
    if (alternatives.empty())
      throw InputError(fmt::format("{} '{}': the conditions can never hold together, so the option would do nothing",
                                   option, text));
    for (const auto& conds : alternatives) rules.push_back(Rule{ref, action, conds, origin});
  }
  return rules;
}

std::vector<Rule> parse_deny_option(std::string_view option, std::string_view text, std::span<const Arch> arches) {
  // The errno, when given, is the last colon-separated part and is not a
  // condition (conditions all start with "arg").
  Action action = Action::errno_(1);
  std::string_view rest = text;
  const std::size_t colon = text.rfind(':');
  if (colon != std::string_view::npos) {
    const std::string_view last = trim(text.substr(colon + 1));
    if (!last.empty() && !last.starts_with("arg")) {
      std::optional<int> err = errno_from_name(last);
      if (!err) {
        if (auto n = parse_integer(last)) err = static_cast<int>(std::min<std::uint64_t>(*n, 100000));
      }
      if (!err || *err < 1 || *err > 4095)
        throw InputError(fmt::format("{} '{}': '{}' is not an errno (expected a name such as EPERM or EACCES, "
                                     "or a number from 1 to 4095)",
                                     option, text, last));
      action = Action::errno_(static_cast<std::uint16_t>(*err));
      rest = text.substr(0, colon);
    }
  }
  auto rules = parse_rule_option(option, rest, action, arches);
  for (Rule& r : rules) r.origin = RuleOrigin::from_option(fmt::format("{} {}", option, text));
  return rules;
}

Action parse_default_action(std::string_view text) {
  if (auto a = parse_action(text)) return *a;
  throw InputError(fmt::format("--default '{}': unknown action (expected allow, kill, kill-thread, trap, log, "
                               "errno(EPERM) or an errno name such as EPERM)",
                               text));
}

bool overlay_rules(Policy& policy, const std::vector<Rule>& added) {
  // Whether io_uring_setup is allowed by name, asked before the override: an
  // `--allow io_uring_setup` under `--default allow` leaves no rule behind
  // (its action is the default's), but it is still the author's choice.
  Policy options_only;
  options_only.arches = policy.arches;
  options_only.rules = added;
  const bool by_name = allows_io_uring_by_name(policy) || allows_io_uring_by_name(options_only);
  if (added.empty()) return by_name;
  for (std::size_t i = 0; i < added.size(); ++i)
    for (std::size_t j = i + 1; j < added.size(); ++j)
      if (added[i].syscall == added[j].syscall && added[i].conditions == added[j].conditions &&
          added[i].action != added[j].action)
        throw InputError(fmt::format("{} and {} contradict each other on '{}': give one action per syscall and "
                                     "conditions",
                                     added[i].origin.to_string(), added[j].origin.to_string(),
                                     seccage::to_string(added[i].syscall)));
  apply_later_rules(policy, added);
  // Rule options are seccage's own policy form, over any base (even a JSON
  // profile): a denial io_uring could do takes io_uring with it, unless
  // io_uring_setup is allowed by name (docs/semantics.md, "io_uring").
  guard_io_uring(policy, by_name);
  return by_name;
}

}  // namespace seccage::cli
