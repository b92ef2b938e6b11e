// The text policy language, step two: the syntax tree (text_syntax.hpp)
// lowered into a Policy, statements in order, later ones winning
// (docs/policy-language.md).
#include <algorithm>
#include <array>
#include <map>
#include <optional>

#include <fmt/core.h>

#include "policy/later_wins.hpp"
#include "policy/regions.hpp"
#include "profile/constants.hpp"
#include "profile/text_syntax.hpp"
#include "seccage/error.hpp"
#include "seccage/groups.hpp"
#include "seccage/integer.hpp"
#include "seccage/io_uring_guard.hpp"
#include "seccage/policy_text.hpp"

namespace seccage {
namespace text_detail {
namespace {

namespace fs = std::filesystem;
using namespace regions;  // the set algebra of conditions (policy/regions.hpp)

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
      out |= *parse_integer(p.token.text);
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
    if (parsed_.unknown_enosys) out.policy.enosys_for_unknown = *parsed_.unknown_enosys;
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
          e.statements.add(action, region ? *region : any_region(), RuleOrigin::in_text(t.loc.file, t.loc.line, t.loc.col));
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
                                       l.origin.to_string(), a, to_string(ref), width_text(w), width_text(out[a]),
                                       first[a]->origin.to_string()));
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
  const Parsed parsed = parse_text_policy_file(text, source, path, options);
  return Compiler(parsed, source, options.arches, options.all_errors).run();
}

}  // namespace
}  // namespace text_detail

TextPolicy read_text_policy(const std::filesystem::path& path, const TextPolicyOptions& options) {
  std::string text = options.read_file ? options.read_file(path) : text_detail::read_text_file(path);
  return text_detail::compile_text(text, path.string(), path, options);
}

TextPolicy read_text_policy_text(std::string_view text, std::string_view source_name,
                                 const TextPolicyOptions& options) {
  return text_detail::compile_text(text, std::string(source_name), std::filesystem::path(source_name), options);
}

std::vector<std::vector<Condition>> parse_text_conditions(std::string_view text, std::string_view source,
                                                         const SyscallRef& syscall, std::span<const Arch> arches) {
  using namespace text_detail;
  const std::vector<CondAst> parts = parse_text_condition_list(text, std::string(source));
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
