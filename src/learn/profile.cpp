// From what a run did to the smallest policy that allows it.
#include <algorithm>
#include <bit>
#include <map>
#include <tuple>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "seccage/learn.hpp"

namespace seccage::learn {
namespace {

Condition condition_for(const CapturedArg& c, std::uint64_t value) {
  // A full mask is a plain equality, which reads best in every format.
  if (c.mask == ~0ULL) return Condition{c.index, CmpOp::EQ, value, 0, ArgWidth::U64};
  return Condition{c.index, CmpOp::MaskedEq, value, c.mask, ArgWidth::U64};
}

// Every value the mask lets through was seen (mmap with and without
// PROT_EXEC): the conditions would allow everything, so they are left out.
bool covers_every_value(std::span<const CapturedArg> captured, std::size_t distinct) {
  if (captured.size() != 1) return false;
  const int bits = std::popcount(captured[0].mask);
  return bits <= 2 && distinct == (std::size_t{1} << bits);
}

std::string describe_args(std::span<const CapturedArg> captured) {
  std::string out;
  for (const CapturedArg& c : captured) out += fmt::format("{}arg{}", out.empty() ? "" : " and ", c.index);
  return out;
}

// All uses of one syscall name, on whichever arches.
void add_rules_for(const std::string& name, const std::vector<const SyscallUse*>& uses, const LearnOptions& options,
                   LearnedProfile& out) {
  for (const SyscallUse* u : uses) {
    if (u->answered_errno) {
      out.policy.rules.push_back(
          Rule{name, Action::errno_(static_cast<std::uint16_t>(u->answered_errno)), {}, RuleOrigin::named("learned")});
      out.notes[name] = fmt::format(
          "answered with errno {} while learning, and so by this profile: its arguments are in memory, where no "
          "filter can check them; the C library then falls back to clone, whose flags are checked",
          u->answered_errno);
      return;
    }
  }
  // The captured arguments; none when some arch has none for this name.
  std::span<const CapturedArg> captured = captured_args(uses.front()->arch, name);
  std::set<ArgValues> values;
  bool too_many = false, incomplete = false;
  for (const SyscallUse* u : uses) {
    if (captured_args(u->arch, name).size() != captured.size()) captured = {};
    too_many = too_many || u->too_many_values;
    incomplete = incomplete || u->values_incomplete;
    values.insert(u->values.begin(), u->values.end());
  }
  if (values.size() > options.max_values) too_many = true;
  const Rule whole{name, Action::allow(), {}, RuleOrigin::named("learned")};
  if (captured.empty() || covers_every_value(captured, values.size())) {
    out.policy.rules.push_back(whole);
    return;
  }
  if (too_many || incomplete) {
    out.policy.rules.push_back(whole);
    out.notes[name] = too_many ? fmt::format("allowed whatever its arguments: more than {} distinct values of {} were "
                                             "seen (learn --max-values N raises the limit)",
                                             options.max_values, describe_args(captured))
                               : fmt::format("allowed whatever its arguments: not every call's {} is known",
                                             describe_args(captured));
    return;
  }
  for (const ArgValues& v : values) {
    Rule r{name, Action::allow(), {}, RuleOrigin::named("learned")};
    for (std::size_t i = 0; i < captured.size(); ++i) r.conditions.push_back(condition_for(captured[i], v[i]));
    out.policy.rules.push_back(std::move(r));
  }
}

auto condition_key(const Condition& c) { return std::make_tuple(c.arg, c.op, c.mask, c.value, c.width); }

bool rule_less(const Rule& a, const Rule& b) {
  const std::string an = to_string(a.syscall), bn = to_string(b.syscall);
  if (an != bn) return an < bn;
  if (a.conditions.empty() != b.conditions.empty()) return a.conditions.empty();  // unconditional first
  if (a.action != b.action) return a.action < b.action;
  return std::lexicographical_compare(a.conditions.begin(), a.conditions.end(), b.conditions.begin(),
                                      b.conditions.end(),
                                      [](const Condition& x, const Condition& y) { return condition_key(x) < condition_key(y); });
}

}  // namespace

void canonicalize(Policy& policy) {
  for (Rule& r : policy.rules)
    std::sort(r.conditions.begin(), r.conditions.end(),
              [](const Condition& x, const Condition& y) { return condition_key(x) < condition_key(y); });
  std::stable_sort(policy.rules.begin(), policy.rules.end(), rule_less);
  policy.rules.erase(std::unique(policy.rules.begin(), policy.rules.end()), policy.rules.end());
}

LearnedProfile build_profile(const std::vector<SyscallUse>& uses, const LearnOptions& options) {
  LearnedProfile out;
  out.policy.default_action = Action::errno_(1);  // EPERM
  // An ABI the run never used: the thread dies, as runc and crun treat an
  // arch an OCI profile does not list (OCI JSON cannot say anything else).
  out.policy.bad_arch_action = Action::kill_thread();
  out.policy.enosys_for_unknown = true;
  std::set<Arch> arches;
  std::map<std::string, std::vector<const SyscallUse*>> by_name;
  for (const SyscallUse& u : uses) {
    arches.insert(u.arch);
    if (u.name.empty()) {
      out.warnings.push_back(fmt::format(
          "syscall #{} on {} ({} calls) has no name in seccage's table: the profile cannot name it, so it gets the "
          "default (ENOSYS where the format can say so)", u.nr, arch_name(u.arch), u.count));
      continue;
    }
    by_name[u.name].push_back(&u);
  }
  // The native arch first: a Docker-style reader resolves for the first.
  if (arches.erase(native_arch()) || arches.empty()) out.policy.arches.push_back(native_arch());
  out.policy.arches.insert(out.policy.arches.end(), arches.begin(), arches.end());
  for (const auto& [name, list] : by_name) add_rules_for(name, list, options, out);
  canonicalize(out.policy);
  return out;
}

std::string counts_json(const std::vector<SyscallUse>& uses) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  std::uint64_t total = 0;
  for (const SyscallUse& u : uses) {
    total += u.count;
    list.push_back({{"arch", arch_name(u.arch)},
                    {"syscall", u.name.empty() ? fmt::format("#{}", u.nr) : u.name},
                    {"nr", u.nr},
                    {"count", u.count}});
  }
  nlohmann::ordered_json out;
  out["total"] = total;
  out["syscalls"] = std::move(list);
  return out.dump(2) + "\n";
}

}  // namespace seccage::learn
