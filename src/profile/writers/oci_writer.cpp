// OCI JSON and SPO YAML writers: Policy -> resolved OCI seccomp object.
#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include <fmt/core.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "policy/low_word.hpp"
#include "profile/writers/oci_model.hpp"
#include "profile/writers/rule_numbers.hpp"
#include "seccage/error.hpp"
#include "seccage/writers.hpp"

namespace seccage {
namespace writer_detail {
namespace {

// The reader's mapping run backwards (docs/oci.md, "Actions"): the action
// as OCI can hold it, its data only where errnoRet carries it.
Action oci_action(const Action& a, const std::string& where) {
  // runc ignores errnoRet on TRAP and crun refuses it: the data would be
  // lost, so refuse rather than write a profile that means less.
  if (a.kind == ActionKind::Trap && a.data != 0)
    throw InputError(fmt::format("{}: TRAP({}) cannot be written as OCI JSON: the runtimes always trap with "
                                 "data 0; use TRAP without data",
                                 where, a.data));
  // libseccomp takes errno data up to 4094: runc and crun would refuse
  // to start a container with more (the reader refuses it too).
  if (a.kind == ActionKind::Errno && a.data >= 4095)
    throw InputError(fmt::format("{}: ERRNO({}) cannot be written as OCI JSON: libseccomp accepts errno data up "
                                 "to 4094 only, so runc and crun would refuse the profile",
                                 where, a.data));
  return Action{a.kind, scmp_action_takes_data(a.kind) ? a.data : std::uint16_t{0}};
}

// OCI names syscalls only. A rule by number means that raw number on every
// arch, which a name says only when the policy has one arch and the number
// is in its table.
std::string oci_name(const Policy& policy, const Rule& rule, std::size_t i) {
  if (const auto* name = std::get_if<std::string>(&rule.syscall)) return *name;
  const std::uint32_t nr = std::get<std::uint32_t>(rule.syscall);
  const std::vector<Arch> arches = policy.effective_arches();
  if (arches.size() == 1) {
    if (auto name = syscall_name(arches.front(), nr)) return std::string(*name);
  }
  throw InputError(fmt::format("{}: syscall number {} cannot be written as OCI JSON, which names syscalls: {}",
                               rule_origin(rule, i + 1), nr,
                               arches.size() == 1 ? "the number is not in the arch's table"
                                                  : "a number means a different syscall on each arch; use a name"));
}

std::vector<oci::Arg> oci_args(const Rule& rule) {
  std::vector<Condition> conds = rule.conditions;
  std::stable_sort(conds.begin(), conds.end(), [](const Condition& a, const Condition& b) { return a.arg < b.arg; });
  std::vector<oci::Arg> out;
  for (const Condition& c : conds) {
    oci::Arg a;
    a.index = c.arg;
    a.op = c.op;
    if (c.op == CmpOp::MaskedEq) {
      // OCI: (arg & value) == valueTwo.
      a.value = c.mask;
      a.value_two = c.value;
    } else {
      a.value = c.value;
    }
    out.push_back(std::move(a));
  }
  return out;
}

// OCI comparisons are on all 64 bits. A condition on a 32-bit argument
// (seccage's own forms) becomes 64-bit comparisons that say exactly the same:
// a set of low words is a union of masked tests whose masks lie within the
// low word (MASKED_EQ ignores the high word): == is one, a masked test is
// itself, a range is its aligned blocks (at most 62), != is 32 blocks (each
// differs from the value first at one bit). A rule becomes one rule per
// combination; they are disjoint, so they OR exactly. A condition that
// always holds is left out; a rule with one that never holds yields none.
constexpr std::size_t kMaxExpansion = 256;

std::vector<std::pair<std::uint32_t, std::uint32_t>> low_word_blocks(const Condition& t) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;  // (mask, value)
  const auto v = static_cast<std::uint32_t>(t.value);
  auto range = [&](std::uint64_t lo, std::uint64_t hi) {
    while (lo <= hi) {
      unsigned k = 0;
      while (k < 32 && (lo & ((std::uint64_t{2} << k) - 1)) == 0 && lo + (std::uint64_t{2} << k) - 1 <= hi) ++k;
      out.emplace_back(static_cast<std::uint32_t>(~((std::uint64_t{1} << k) - 1)), static_cast<std::uint32_t>(lo));
      lo += std::uint64_t{1} << k;
    }
  };
  switch (t.op) {
    case CmpOp::EQ: out.emplace_back(0xffffffffu, v); break;
    case CmpOp::MaskedEq: out.emplace_back(static_cast<std::uint32_t>(t.mask), v & static_cast<std::uint32_t>(t.mask)); break;
    case CmpOp::NE:
      for (unsigned i = 0; i < 32; ++i) {
        const std::uint32_t mask = 0xffffffffu << i;
        out.emplace_back(mask, (v ^ (1u << i)) & mask);
      }
      break;
    case CmpOp::LT: if (v > 0) range(0, v - 1u); break;
    case CmpOp::LE: range(0, v); break;
    case CmpOp::GT: if (v < 0xffffffffu) range(std::uint64_t{v} + 1, 0xffffffffu); break;
    case CmpOp::GE: range(v, 0xffffffffu); break;
  }
  return out;
}

std::vector<Rule> oci_form(const Rule& rule, std::size_t i) {
  std::vector<Rule> out{rule};
  out[0].conditions.clear();
  for (const Condition& c : rule.conditions) {
    if (c.width == ArgWidth::U64) {
      for (Rule& r : out) r.conditions.push_back(c);
      continue;
    }
    const detail::LowWord l = detail::lower_to_low_word(c);
    if (l.kind == detail::LowWord::Kind::Never) return {};
    if (l.kind == detail::LowWord::Kind::Always) continue;
    const auto blocks = low_word_blocks(l.test);
    if (out.size() * blocks.size() > kMaxExpansion)
      throw InputError(fmt::format(
          "{}: the conditions on 32-bit arguments need more than {} OCI rules to write exactly (OCI JSON compares "
          "all 64 bits); write them as argN.u64 in the text policy for libseccomp's 64-bit meaning, or use a "
          "format that keeps them (bpf, c, text)",
          rule_origin(rule, i + 1), kMaxExpansion));
    std::vector<Rule> next;
    for (const Rule& r : out) {
      for (const auto& [mask, value] : blocks) {
        Rule x = r;
        x.conditions.push_back(Condition{c.arg, CmpOp::MaskedEq, value, mask, ArgWidth::U64});
        next.push_back(std::move(x));
      }
    }
    out = std::move(next);
  }
  return out;
}

// Whether a rule's 32-bit conditions become masked tests in OCI form (rather
// than disappearing as always true or dropping the rule as never).
bool becomes_masked_tests(const Rule& rule) {
  return std::any_of(rule.conditions.begin(), rule.conditions.end(), [](const Condition& c) {
    return c.width != ArgWidth::U64 && detail::lower_to_low_word(c).kind == detail::LowWord::Kind::Test;
  });
}

// A condition as a set of values on one domain: all 64 bits (max ~0), or the
// low word (max 0xffffffff) for a lowered 32-bit condition.
struct ValueSet {
  enum class Kind : std::uint8_t { All, None, Eq, Ne, AtMost, Above, Masked } kind = Kind::All;
  std::uint64_t a = 0, mask = 0;  // Masked: x & mask == a, a within mask
  bool contains(std::uint64_t x) const {
    switch (kind) {
      case Kind::All: return true;
      case Kind::None: return false;
      case Kind::Eq: return x == a;
      case Kind::Ne: return x != a;
      case Kind::AtMost: return x <= a;
      case Kind::Above: return x > a;
      case Kind::Masked: return (x & mask) == a;
    }
    return true;
  }
};

ValueSet value_set(const Condition& raw) {
  using K = ValueSet::Kind;
  Condition c = raw;
  if (raw.width != ArgWidth::U64) {
    const detail::LowWord l = detail::lower_to_low_word(raw);
    if (l.kind != detail::LowWord::Kind::Test) return {l.kind == detail::LowWord::Kind::Always ? K::All : K::None};
    c = l.test;
  }
  switch (c.op) {
    case CmpOp::EQ: return {K::Eq, c.value};
    case CmpOp::NE: return {K::Ne, c.value};
    case CmpOp::LE: return {K::AtMost, c.value};
    case CmpOp::GT: return {K::Above, c.value};
    case CmpOp::LT: return c.value == 0 ? ValueSet{K::None} : ValueSet{K::AtMost, c.value - 1};
    case CmpOp::GE: return c.value == 0 ? ValueSet{K::All} : ValueSet{K::Above, c.value - 1};
    case CmpOp::MaskedEq: return {K::Masked, c.value & c.mask, c.mask};
  }
  return {};
}

// True only when no value meets both conditions (false when unsure).
bool disjoint_on_one_domain(const Condition& x, const Condition& y) {
  using K = ValueSet::Kind;
  const std::uint64_t max = x.width == ArgWidth::U64 ? ~std::uint64_t{0} : 0xffffffffu;
  ValueSet p = value_set(x), q = value_set(y);
  if (p.kind == K::None || q.kind == K::None) return true;
  for (int turn = 0; turn < 2; ++turn, std::swap(p, q)) {
    if (p.kind == K::Eq) return !q.contains(p.a);
    if (p.kind == K::Masked && q.kind == K::Masked) return ((p.a ^ q.a) & p.mask & q.mask) != 0;
    // A masked set's least member is its value, its greatest the value with
    // every free bit set.
    if (p.kind == K::Masked && q.kind == K::AtMost) return p.a > q.a;
    if (p.kind == K::Masked && q.kind == K::Above) return (p.a | (~p.mask & max)) <= q.a;
    if (p.kind == K::AtMost && q.kind == K::Above) return p.a <= q.a;
  }
  return false;
}

// libseccomp compares 64-bit conditions on the low word alone on 32-bit ABIs
// (the operand's high half dropped), so those must be disjoint there too.
Condition narrow_form(const Condition& c) {
  return Condition{c.arg, c.op, c.value & 0xffffffffu, c.mask & 0xffffffffu, ArgWidth::U32};
}

bool disjoint(const Condition& x, const Condition& y) {
  if (x.arg != y.arg || (x.width == ArgWidth::U64) != (y.width == ArgWidth::U64)) return false;
  if (x.width != ArgWidth::U64) return disjoint_on_one_domain(x, y);
  return disjoint_on_one_domain(x, y) && disjoint_on_one_domain(narrow_form(x), narrow_form(y));
}

bool rules_disjoint(const Rule& r, const Rule& s) {
  for (const Condition& x : r.conditions)
    for (const Condition& y : s.conditions)
      if (disjoint(x, y)) return true;
  return false;
}

// Masked tests make libseccomp's tree differently from the low-word tests
// the policy compiles to, and where two rules on one syscall with different
// actions overlap, the tree's shape decides which action wins. Rules of one
// action OR whatever the shape, an unconditional rule overrides the rest
// either way, and disjoint rules never meet (the text language makes its
// rules on one syscall disjoint); anything else is refused rather than
// written inexactly.
void check_rule_can_split(const Policy& policy, const Rule& rule, std::size_t i) {
  if (!becomes_masked_tests(rule)) return;
  for (std::size_t j = 0; j < policy.rules.size(); ++j) {
    const Rule& other = policy.rules[j];
    if (j == i || other.syscall != rule.syscall || other.action == rule.action ||
        other.action == policy.default_action || other.conditions.empty() || rules_disjoint(rule, other))
      continue;
    throw InputError(fmt::format(
        "{}: its conditions on 32-bit arguments become masked tests in OCI JSON (which compares all 64 bits), and "
        "{} on the same syscall has another action and may match the same calls: libseccomp could then order "
        "them differently. Write the conditions as argN.u64 in the text policy for libseccomp's 64-bit meaning, "
        "or use a format that keeps them (bpf, c, text)",
        rule_origin(rule, i + 1), rule_origin(other, j + 1)));
  }
}

struct EntryKey {
  Action action;
  std::vector<std::tuple<unsigned, std::uint64_t, std::optional<std::uint64_t>, CmpOp>> args;
  auto operator<=>(const EntryKey&) const = default;
};

}  // namespace

oci::Profile build_oci_model(const Policy& policy, std::vector<std::string>* warnings) {
  // validate() refuses two conditions on one argument in a rule, which is
  // what makes "one rule -> one OCI entry" exact: runc and crun would split
  // such an entry into alternatives (OR), changing its meaning.
  validate(policy);
  auto warn = [&](std::string w) {
    if (warnings) warnings->push_back(std::move(w));
  };

  oci::Profile m;
  m.default_action = oci_action(policy.default_action, "the default action");
  for (Arch a : policy.effective_arches()) m.architectures.push_back({a, {}});
  m.flags = policy.runtime.flags;
  m.listener_path = policy.runtime.listener_path;
  if (!policy.runtime.listener_metadata.empty()) m.listener_metadata = policy.runtime.listener_metadata;
  if (policy.bad_arch_action != Action::kill_thread()) {
    warn(fmt::format("OCI JSON has no bad-arch action: runc and crun kill the thread (KILL_THREAD) on arches the "
                     "profile does not list, not {}",
                     policy.bad_arch_action.to_string()));
  }
  if (!policy.enosys_for_unknown && policy.default_action.denies()) {
    warn(fmt::format("OCI JSON cannot say `unknown-syscalls default`: runc and seccage answer ENOSYS for syscall "
                     "numbers above the ones the profile knows, not {}",
                     policy.default_action.to_string()));
  }

  // Group rules with equal action and arguments into one entry. A rule may
  // join an earlier entry only if no entry after it holds a rule reaching
  // one of its syscall numbers: the relative order of rules on one syscall
  // decides between overlapping conditions, and must survive the regrouping.
  std::vector<EntryKey> keys;
  std::vector<std::set<std::string>> names;
  std::map<ArchNumber, std::size_t> last_entry_for;  // number -> last entry index reaching it
  for (std::size_t i = 0; i < policy.rules.size(); ++i) {
    // A no-op in the model (libseccomp refuses it, runc drops it).
    if (policy.rules[i].action == policy.default_action) continue;
    check_rule_can_split(policy, policy.rules[i], i);
    for (const Rule& rule : oci_form(policy.rules[i], i)) {
      EntryKey key{oci_action(rule.action, rule_origin(rule, i + 1)), {}};
      for (const oci::Arg& a : oci_args(rule)) key.args.emplace_back(a.index, a.value, a.value_two, a.op);
      const std::string name = oci_name(policy, rule, i);
      const std::set<ArchNumber> reach = numbers_of_rule(policy, i);

      std::size_t earliest = 0;
      for (const ArchNumber& n : reach) {
        auto it = last_entry_for.find(n);
        if (it != last_entry_for.end()) earliest = std::max(earliest, it->second);
      }
      // The first entry it may join, not the last: reading the output back
      // gives the rules in entry order, and each then lands in the entry it
      // came from, so writing is a fixed point of read + write (SPO and OCI
      // round trips are byte-identical on the writer's own output).
      std::optional<std::size_t> target;
      for (std::size_t e = earliest; e < keys.size(); ++e) {
        if (keys[e] == key) {
          target = e;
          break;
        }
      }
      if (!target) {
        keys.push_back(key);
        names.emplace_back();
        target = keys.size() - 1;
      }
      names[*target].insert(name);
      for (const ArchNumber& n : reach) last_entry_for[n] = std::max(last_entry_for[n], *target);
    }
  }

  for (std::size_t e = 0; e < keys.size(); ++e) {
    oci::Entry entry;
    for (const std::string& n : names[e]) entry.names.push_back({n, {}});
    entry.action = keys[e].action;
    for (const auto& [index, value, two, op] : keys[e].args) entry.args.push_back(oci::Arg{index, value, two, op, {}});
    m.syscalls.push_back(std::move(entry));
  }
  return m;
}

}  // namespace writer_detail

std::string write_oci_json(const Policy& policy, const OciWriteOptions&, std::vector<std::string>* warnings) {
  using nlohmann::ordered_json;
  const oci::Profile m = writer_detail::build_oci_model(policy, warnings);
  ordered_json j = ordered_json::object();
  j["defaultAction"] = std::string(scmp_action_name(m.default_action.kind));
  if (auto ret = oci::errno_ret_of(m.default_action)) j["defaultErrnoRet"] = *ret;
  ordered_json arches = ordered_json::array();
  for (const oci::ArchRef& a : m.architectures) arches.push_back(std::string(scmp_arch_name(*a.arch)));
  j["architectures"] = std::move(arches);
  if (!m.flags.empty()) j["flags"] = m.flags;
  if (m.listener_path) j["listenerPath"] = *m.listener_path;
  if (m.listener_metadata) j["listenerMetadata"] = *m.listener_metadata;
  ordered_json calls = ordered_json::array();
  for (const oci::Entry& e : m.syscalls) {
    ordered_json entry = ordered_json::object();
    ordered_json names = ordered_json::array();
    for (const oci::SyscallName& n : e.names) names.push_back(n.name);
    entry["names"] = std::move(names);
    entry["action"] = std::string(scmp_action_name(e.action.kind));
    if (auto ret = oci::errno_ret_of(e.action)) entry["errnoRet"] = *ret;
    if (!e.args.empty()) {
      ordered_json args = ordered_json::array();
      for (const oci::Arg& a : e.args) {
        ordered_json arg = ordered_json::object();
        arg["index"] = a.index;
        arg["value"] = a.value;
        if (a.value_two) arg["valueTwo"] = *a.value_two;
        arg["op"] = std::string(scmp_cmp_name(a.op));
        args.push_back(std::move(arg));
      }
      entry["args"] = std::move(args);
    }
    calls.push_back(std::move(entry));
  }
  j["syscalls"] = std::move(calls);
  return j.dump(2) + "\n";
}

namespace {

// Kubernetes object names (DNS-1123 subdomain): what the API server accepts.
void check_k8s_name(const std::string& name, std::string_view what) {
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  bool ok = !name.empty() && name.size() <= 253 && alnum(name.front()) && alnum(name.back()) &&
            std::all_of(name.begin(), name.end(), [&](char c) { return alnum(c) || c == '-' || c == '.'; });
  if (!ok)
    throw InputError(fmt::format("{} '{}' is not a valid Kubernetes name: use lowercase letters, digits, '-' and "
                                 "'.', starting and ending with a letter or digit, at most 253 characters",
                                 what, name));
}

// The CRD declares value and valueTwo as int64 with minimum 0: the API server
// refuses 2^63 and above, and a negative spelling of the same bits fails the
// minimum (and SPO's own types). runc and crun take the full uint64 in OCI
// JSON, so the profile can be written there instead.
void check_spo_int64(const oci::Profile& m) {
  constexpr std::uint64_t kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  for (std::size_t i = 0; i < m.syscalls.size(); ++i) {
    std::vector<std::string_view> names;
    for (const oci::SyscallName& n : m.syscalls[i].names) names.push_back(n.name);
    for (const oci::Arg& a : m.syscalls[i].args) {
      const bool big_value = a.value > kMax, big_two = a.value_two && *a.value_two > kMax;
      if (!big_value && !big_two) continue;
      throw InputError(fmt::format(
          "syscalls[{}] ({}): {} {:#x} on argument {} cannot be written as SPO YAML: the SeccompProfile CRD holds "
          "argument values as int64 (0 to 2^63-1), so the API server refuses it; write the profile as OCI JSON "
          "instead, which runc and crun read as uint64",
          i, fmt::join(names, ", "), big_value ? "value" : "valueTwo", big_value ? a.value : *a.value_two,
          a.index));
    }
  }
}

// listenerPath and listenerMetadata are free text: written as JSON strings,
// which are YAML double-quoted scalars.
void write_spo_listener(std::string& out, const oci::Profile& m, std::vector<std::string>* warnings) {
  if (m.listener_path) {
    out += fmt::format("  listenerPath: {}\n", nlohmann::json(*m.listener_path).dump());
    const std::string_view dir = "/var/run/security-profiles-operator/";
    const std::string& p = *m.listener_path;
    const bool ok = p.starts_with(dir) && p.size() > dir.size() && p.size() <= 107 &&
                    std::all_of(p.begin() + static_cast<std::ptrdiff_t>(dir.size()), p.end(), [](char c) {
                      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
                    });
    if (!ok && warnings)
      warnings->push_back(fmt::format("the v1 SeccompProfile CRD accepts a listenerPath only under {} (at most 107 "
                                      "characters); the API server refuses {}",
                                      dir, p));
  }
  if (m.listener_metadata)
    out += fmt::format("  listenerMetadata: {}\n", nlohmann::json(*m.listener_metadata).dump());
}

}  // namespace

std::string write_spo_yaml(const Policy& policy, const SpoWriteOptions& options, std::vector<std::string>* warnings) {
  check_k8s_name(options.name, "the SeccompProfile name");
  if (!options.namespace_.empty()) check_k8s_name(options.namespace_, "the namespace");
  const oci::Profile m = writer_detail::build_oci_model(policy, warnings);
  // Every scalar written below is a name from a fixed alphabet ([A-Za-z0-9_.-])
  // or a number, so no YAML quoting is needed.
  std::string out;
  out += fmt::format("apiVersion: {}\nkind: SeccompProfile\nmetadata:\n  name: {}\n", options.api_version, options.name);
  if (!options.namespace_.empty()) out += fmt::format("  namespace: {}\n", options.namespace_);
  out += fmt::format("spec:\n  defaultAction: {}\n", scmp_action_name(m.default_action.kind));
  const std::optional<std::uint32_t> default_errno_ret = oci::errno_ret_of(m.default_action);
  // SPO's spec has no defaultErrnoRet: the runtimes then use EPERM, so the
  // field is needed (and written) only for another errno.
  if (default_errno_ret && *default_errno_ret != 1) {
    out += fmt::format("  defaultErrnoRet: {}\n", *default_errno_ret);
    if (warnings)
      warnings->push_back(fmt::format(
          "the SeccompProfile spec has no defaultErrnoRet field: an API server that prunes unknown fields drops "
          "it, and the default action then returns EPERM instead of {}",
          *default_errno_ret));
  }
  out += "  architectures:\n";
  for (const oci::ArchRef& a : m.architectures) out += fmt::format("    - {}\n", scmp_arch_name(*a.arch));
  if (!m.flags.empty()) {
    out += "  flags:\n";
    for (const std::string& f : m.flags) out += fmt::format("    - {}\n", f);
  }
  write_spo_listener(out, m, warnings);
  check_spo_int64(m);
  if (!m.syscalls.empty()) out += "  syscalls:\n";
  for (const oci::Entry& e : m.syscalls) {
    out += fmt::format("    - action: {}\n", scmp_action_name(e.action.kind));
    if (auto ret = oci::errno_ret_of(e.action)) out += fmt::format("      errnoRet: {}\n", *ret);
    out += "      names:\n";
    for (const oci::SyscallName& n : e.names) out += fmt::format("        - {}\n", n.name);
    if (!e.args.empty()) out += "      args:\n";
    for (const oci::Arg& a : e.args) {
      out += fmt::format("        - index: {}\n          value: {}\n", a.index, a.value);
      if (a.value_two) out += fmt::format("          valueTwo: {}\n", *a.value_two);
      out += fmt::format("          op: {}\n", scmp_cmp_name(a.op));
    }
  }
  return out;
}

}  // namespace seccage
