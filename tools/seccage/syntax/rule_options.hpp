// The rule options of `seccage run`: --allow, --deny, --errno, --kill, --trap
// and --log, each `NAME[,NAME...][:CONDITIONS]`, put over the policy in the
// order they were given (docs/run.md, "Rule options").
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "seccage/policy.hpp"

namespace seccage::cli {

// One rule option: NAME[,NAME...] (syscall names, numbers or @groups),
// optionally followed by ':' and conditions in the text language's grammar,
// commas ANDing them (`write:arg0>=1,arg0<=5`, `mmap:arg2 & PROT_EXEC != 0`,
// `socket:arg0 == AF_INET || arg0 == AF_INET6`); named constants are resolved
// for `arches`. Each name gives one Rule per alternative of the conditions,
// with `origin` the option as written ("--kill write:arg0!=1"). Throws
// InputError saying what was expected.
std::vector<Rule> parse_rule_option(std::string_view option, std::string_view text, Action action,
                                    std::span<const Arch> arches);
// --deny and --errno: the same, and the part after the last colon may be an
// errno instead of conditions (`execve:EPERM`, `open:13`,
// `write:arg0!=1:EBADF`); EPERM when none is given.
std::vector<Rule> parse_deny_option(std::string_view option, std::string_view text, std::span<const Arch> arches);
// --default: any action parse_action() accepts (allow, kill, errno(EPERM), EPERM, trap, log).
Action parse_default_action(std::string_view text);

// Puts the rule options over the policy, later options winning where they
// match (apply_later_rules, the text language's override), then runs the
// io_uring guard (a denial io_uring could do denies io_uring, unless
// io_uring_setup is allowed by name). Two options giving one syscall
// different actions under the same conditions are an error, not a silent
// "last wins": one of them is a mistake. Returns whether io_uring_setup is
// allowed by name (by the policy or an option), for a later guard.
bool overlay_rules(Policy& policy, const std::vector<Rule>& added);

}  // namespace seccage::cli
