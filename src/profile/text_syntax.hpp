// The text policy language's syntax tree: what the parser (text_parser.cpp)
// makes of the files, includes and `on` sections included, and what the
// lowering (text_lowering.cpp) turns into a Policy, statement by statement.
// Names stay as written here; the lowering resolves them for the arches.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "profile/text_lexer.hpp"
#include "seccage/policy_text.hpp"

namespace seccage::text_detail {

struct Loc {
  std::string file;
  std::uint32_t line = 1;
  std::uint32_t col = 1;
  std::string str() const { return fmt::format("{}:{}:{}", file, line, col); }
};

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
  std::optional<bool> unknown_enosys;     // `unknown-syscalls enosys|default`
  std::optional<Loc> flags_at;            // `flags ...`, once
  RuntimeSettings runtime;                // flags, listener, listener-metadata
  std::vector<RuleStmt> rules;
  std::vector<std::string> files;
  std::vector<std::string> errors;  // with TextPolicyOptions::all_errors
};

// Parses a policy file and the files it includes, in order.
Parsed parse_text_policy_file(std::string_view text, const std::string& source, const std::filesystem::path& path,
                              const TextPolicyOptions& options);
// Conditions standing alone, separated by commas and ANDed: what a rule
// option of `seccage run` writes after its colon (`arg0>=1,arg0<=5`).
std::vector<CondAst> parse_text_condition_list(std::string_view text, const std::string& source);

// A policy file's text from disk; InputError when it cannot be read.
std::string read_text_file(const std::filesystem::path& path);

// " (did you mean 'x'?)" or "".
std::string suffix(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace seccage::text_detail
