// The text policy language: policies written by people, compiled to the same
// Policy model as the OCI reader. docs/policy-language.md has the grammar,
// the meaning of each statement and examples:
//
//   # web worker
//   default errno(EPERM)
//   arch x86_64, aarch64
//   allow @system-service
//   deny @privileged, @mount
//   allow socket: arg0 == AF_INET || arg0 == AF_INET6
//   kill write: arg0 != 1
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "seccage/arch.hpp"
#include "seccage/policy.hpp"

namespace seccage {

struct TextPolicyOptions {
  // The host `on ARCH { ... }` sections are chosen for (as Docker chooses
  // includes.arches). Default: the arch seccage runs as.
  Arch host_arch = native_arch();
  // When not empty, replaces the policy's `arch` statement (`--arch`); named
  // constants are then resolved for these arches.
  std::vector<Arch> arches;
  // Reads an included file (already resolved against the including file's
  // folder). Default: from disk; must throw InputError when it cannot.
  std::function<std::string(const std::filesystem::path&)> read_file;
  // Report every error of the file, not only the first: the parser skips to
  // the end of a bad statement and goes on, the compiler goes on to the next
  // statement, and the InputError thrown at the end has one line per error.
  // (`seccage check` sets it.)
  bool all_errors = false;
};

struct TextPolicy {
  // Every Rule's origin has the file, line and column of the syscall or
  // group name that produced it ("file:line:column" as text).
  Policy policy;
  // "file:line:col: 'chown32' does not exist on x86_64; ignored", ...
  std::vector<std::string> warnings;
  // Every file read, the main one first.
  std::vector<std::string> files;
};

// Parses and compiles a policy file. Throws InputError
// "file:line:col: expected X but found Y (did you mean 'Z'?)" on bad input,
// on an include cycle (naming the chain) and on an unreadable file.
TextPolicy read_text_policy(const std::filesystem::path& path, const TextPolicyOptions& options = {});
// Same from text; `source_name` names it in messages and origins, and
// includes are resolved against its folder.
TextPolicy read_text_policy_text(std::string_view text, std::string_view source_name,
                                 const TextPolicyOptions& options = {});

// Conditions in the text language's grammar standing alone, as `seccage
// run`'s rule options write them after the colon: `arg0 >= 1, arg0 <= 5`
// (commas AND; each part any condition of a rule statement, with `&&`, `||`,
// masks and named constants resolved for `arches`). Returns the rules it
// stands for on `syscall`: one list of conditions (ANDed, at most one per
// argument) per alternative, with the widths the language gives (argN as
// the kernel reads that argument of `syscall`, argN.u64 all 64 bits, ...).
// Empty when the conditions can never hold. Throws InputError
// "source:line:col: ..." on bad input.
std::vector<std::vector<Condition>> parse_text_conditions(std::string_view text, std::string_view source,
                                                         const SyscallRef& syscall, std::span<const Arch> arches);

// The text of a policy file laid out one way, keeping everything written:
// comments, includes, groups, `on` sections and the order of statements
// (which is meaning: later statements win). One statement per line, one
// space around operators and after commas and colons, none inside
// parentheses or around `|`; continuation lines indented by four, `on`
// sections by two; at most one blank line in a row; trailing comments of
// consecutive lines aligned. Throws InputError on text the lexer refuses.
std::string format_text_policy(std::string_view text, std::string_view source);

// True when `text` is for the text reader rather than the JSON one: anything
// whose first non-blank character is not '{'.
bool looks_like_text_policy(std::string_view text);

struct TextWriteOptions {
  // A comment put at the top ("# from docker-default.json"); no '#' needed.
  std::string header;
};

// The canonical text form of a policy: default, arch, then the unconditional
// statements grouped by action with sorted names, then one line per
// conditional (syscall, action) with its alternatives sorted. Groups are
// written expanded. Reading it back gives a policy with the same decisions.
// Rules on one syscall that overlap with different actions (possible in OCI
// JSON, never from the text language) get a "# note:" line, since their
// precedence is libseccomp's, not the language's "later wins".
std::string write_text_policy(const Policy& policy, const TextWriteOptions& options = {});

}  // namespace seccage
