// The canonical text form of a Policy (`seccage fmt`, `compile --format text`).
#include <algorithm>
#include <map>
#include <set>

#include <fmt/core.h>

#include "policy/regions.hpp"
#include "seccage/error.hpp"
#include "seccage/policy_text.hpp"

namespace seccage {
namespace {

constexpr std::size_t kWidth = 100;

std::string action_text(const Action& a) {
  switch (a.kind) {
    case ActionKind::KillProcess: return "kill";
    case ActionKind::KillThread: return "kill-thread";
    case ActionKind::Trap: return a.data ? fmt::format("trap({})", a.data) : "trap";
    case ActionKind::Errno:
      if (auto n = errno_name(a.data)) return fmt::format("errno({})", *n);
      return fmt::format("errno({})", a.data);
    case ActionKind::UserNotif: return "notify";
    case ActionKind::Trace: return a.data ? fmt::format("trace({})", a.data) : "trace";
    case ActionKind::Log: return "log";
    case ActionKind::Allow: return "allow";
  }
  return "kill";
}

// Canonical order of the statement blocks: what lets calls through first,
// then the denials from mildest to most severe.
int action_rank(const Action& a) { return -static_cast<int>(a.kind); }
bool action_less(const Action& a, const Action& b) {
  if (action_rank(a) != action_rank(b)) return action_rank(a) < action_rank(b);
  return a.data < b.data;
}

// The text language reads `argN` with the width the kernel gives the
// argument (syscall_arg_width); any other width is written out, so that an
// OCI profile's 64-bit comparison on an fd reads back as argN.u64.
std::string condition_text(const SyscallRef& ref, const Condition& condition) {
  const auto* name = std::get_if<std::string>(&ref);
  const ArgWidth implied = name ? syscall_arg_width(*name, condition.arg) : ArgWidth::U64;
  // A masked value's bits outside the mask are never compared (libseccomp
  // masks the operand); the text language refuses them, so they are not
  // written.
  Condition c = condition;
  if (c.op == CmpOp::MaskedEq) c.value &= c.mask;
  std::string text = c.to_string();  // "argN ..."
  if (c.width == implied) return text;
  const char* suffix = c.width == ArgWidth::U64 ? ".u64" : c.width == ArgWidth::U32 ? ".u32" : ".s32";
  return text.insert(4, suffix);
}

// A string as the lexer reads it back: in double quotes, with '"' and '\\'
// escaped. A newline cannot be written in the language.
std::string quoted(const std::string& s) {
  if (s.find('\n') != std::string::npos)
    throw InputError("a listener path or metadata with a newline cannot be written as a text policy");
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string conj_text(const SyscallRef& ref, std::vector<Condition> conds) {
  std::sort(conds.begin(), conds.end(), [](const Condition& a, const Condition& b) { return a.arg < b.arg; });
  std::string out;
  for (const Condition& c : conds) out += (out.empty() ? "" : " && ") + condition_text(ref, c);
  return out;
}

// Names first (sorted), then numbers (ascending).
struct RefLess {
  bool operator()(const SyscallRef& a, const SyscallRef& b) const {
    if (a.index() != b.index()) return a.index() < b.index();
    return a < b;
  }
};

std::string ref_text(const SyscallRef& r) {
  if (const auto* n = std::get_if<std::string>(&r)) return *n;
  return fmt::format("{}", std::get<std::uint32_t>(r));
}

}  // namespace

std::string write_text_policy(const Policy& policy, const TextWriteOptions& options) {
  std::string out;
  if (!options.header.empty()) {
    std::size_t start = 0;
    while (start <= options.header.size()) {
      std::size_t end = options.header.find('\n', start);
      if (end == std::string::npos) end = options.header.size();
      out += "# " + options.header.substr(start, end - start) + "\n";
      start = end + 1;
    }
  }
  out += "default " + action_text(policy.default_action) + "\n";
  if (!policy.arches.empty()) {
    std::string list;
    for (Arch a : policy.arches) list += (list.empty() ? "" : ", ") + std::string(arch_name(a));
    out += "arch " + list + "\n";
  }
  // The language's own default is kill-process; OCI profiles bring
  // kill-thread (libseccomp's), which must survive a round trip.
  if (policy.bad_arch_action != Action::kill_process())
    out += "foreign-arch " + action_text(policy.bad_arch_action) + "\n";
  // The language's own choice is ENOSYS for numbers the table lacks when the
  // default denies; a filter read back from libseccomp gives them the default.
  if (!policy.enosys_for_unknown && policy.default_action.denies()) out += "unknown-syscalls default\n";
  const RuntimeSettings& rt = policy.runtime;
  if (!rt.flags.empty()) {
    std::string list;
    for (const std::string& f : rt.flags) list += (list.empty() ? "" : ", ") + f;
    out += "flags " + list + "\n";
  }
  if (rt.listener_path) out += "listener " + quoted(*rt.listener_path) + "\n";
  if (!rt.listener_metadata.empty()) out += "listener-metadata " + quoted(rt.listener_metadata) + "\n";

  // Rules equal to the default decide nothing (libseccomp refuses them). An
  // unconditional rule on a syscall overrides its conditional ones (as in
  // libseccomp); the first unconditional one counts.
  std::map<SyscallRef, Action, RefLess> unconditional;
  for (const Rule& r : policy.rules)
    if (r.action != policy.default_action && r.conditions.empty()) unconditional.emplace(r.syscall, r.action);

  std::map<Action, std::vector<SyscallRef>, decltype(&action_less)> blocks(&action_less);
  for (const auto& [ref, action] : unconditional) blocks[action].push_back(ref);

  // (syscall, action) -> alternatives, sorted and de-duplicated.
  struct Key {
    SyscallRef ref;
    Action action;
  };
  auto key_less = [](const Key& a, const Key& b) {
    if (a.ref != b.ref) return RefLess{}(a.ref, b.ref);
    return action_less(a.action, b.action);
  };
  std::map<Key, std::set<std::string>, decltype(key_less)> conditional(key_less);
  std::map<SyscallRef, std::vector<const Rule*>, RefLess> by_syscall;
  for (const Rule& r : policy.rules) {
    if (r.action == policy.default_action || r.conditions.empty() || unconditional.count(r.syscall)) continue;
    conditional[Key{r.syscall, r.action}].insert(conj_text(r.syscall, r.conditions));
    by_syscall[r.syscall].push_back(&r);
  }

  for (const auto& [action, refs] : blocks) {
    std::string line = action_text(action) + " ";
    const std::string indent(line.size(), ' ');
    std::string text = line;
    std::size_t col = text.size();
    for (std::size_t i = 0; i < refs.size(); ++i) {
      std::string item = ref_text(refs[i]) + (i + 1 < refs.size() ? "," : "");
      if (col + item.size() + 1 > kWidth && col > indent.size()) {
        text += "\n" + indent;
        col = indent.size();
      } else if (col > indent.size()) {
        text += " ";
        ++col;
      }
      text += item;
      col += item.size();
    }
    out += "\n" + text + "\n";
  }

  if (!conditional.empty()) out += "\n";
  for (const auto& [key, alts] : conditional) {
    // Overlapping rules with different actions: the text language would let
    // the later line win, libseccomp its tree order. Say so rather than
    // silently pick one.
    const auto& rules = by_syscall[key.ref];
    bool overlap = false;
    for (const Rule* a : rules) {
      if (a->action != key.action) continue;
      for (const Rule* b : rules) {
        if (b->action == a->action) continue;
        regions::Region ra{regions::Conj{}}, rb{regions::Conj{}};
        for (const Condition& c : a->conditions) ra = regions::intersect(ra, regions::region_of(c));
        for (const Condition& c : b->conditions) rb = regions::intersect(rb, regions::region_of(c));
        if (!regions::intersect(ra, rb).empty()) overlap = true;
      }
    }
    if (overlap)
      out += fmt::format("# note: rules on {} with different actions overlap; libseccomp's order decides there, "
                         "the text language's \"later wins\" may not agree\n",
                         ref_text(key.ref));
    std::string line = action_text(key.action) + " " + ref_text(key.ref) + ": ";
    const std::string indent(line.size() - 3, ' ');
    std::size_t col = line.size();
    bool first = true;
    for (const std::string& alt : alts) {
      if (!first) {
        if (col + alt.size() + 4 > kWidth) {
          line += " ||\n" + indent + "   ";
          col = indent.size() + 3;
        } else {
          line += " || ";
          col += 4;
        }
      }
      line += alt;
      col += alt.size();
      first = false;
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace seccage
