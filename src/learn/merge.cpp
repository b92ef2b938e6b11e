// Joining policies learned from several runs, and adding what a report
// shows denied to a profile.
#include <algorithm>
#include <map>

#include <fmt/core.h>

#include "seccage/error.hpp"
#include "seccage/learn.hpp"

namespace seccage::learn {
namespace {

// The kernel's order runs from the most severe action to ALLOW, so the
// larger kind is the less restrictive one.
const Action& less_restrictive(const Action& a, const Action& b) { return b.kind > a.kind ? b : a; }

std::string arch_list(const Policy& p) {
  std::vector<std::string> names;
  for (Arch a : p.effective_arches()) names.emplace_back(arch_name(a));
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

void check_compatible(const std::vector<NamedPolicy>& inputs) {
  const NamedPolicy& first = inputs.front();
  for (const NamedPolicy& in : inputs) {
    if (arch_list(in.policy) != arch_list(first.policy))
      throw InputError(fmt::format("cannot merge: {} covers {} but {} covers {}; merge profiles learned for the same "
                                   "arches (a union would loosen one arch with what another needed)",
                                   first.name, arch_list(first.policy), in.name, arch_list(in.policy)));
    if (in.policy.default_action != first.policy.default_action)
      throw InputError(fmt::format("cannot merge: the default action of {} is {} but that of {} is {}; a union of "
                                   "allowlists needs one default", first.name, first.policy.default_action.describe(),
                                   in.name, in.policy.default_action.describe()));
  }
}

// Every rule on one syscall, from every input, with where it came from.
struct Collected {
  std::vector<Rule> conditional;
  std::vector<std::pair<Action, std::string>> unconditional;  // action, input name
};

void merge_one(const std::string& name, const Collected& c, LearnedProfile& out) {
  if (c.unconditional.empty()) {
    // Same conditions, different actions: the less restrictive stays.
    std::vector<Rule> kept;
    for (const Rule& r : c.conditional) {
      auto same = std::find_if(kept.begin(), kept.end(), [&](const Rule& k) { return k.conditions == r.conditions; });
      if (same == kept.end()) {
        kept.push_back(r);
      } else if (same->action != r.action) {
        const Action winner = less_restrictive(same->action, r.action);
        out.notes[name] = fmt::format("the inputs disagree on the same conditions ({} and {}): {} kept, the less "
                                      "restrictive", same->action.describe(), r.action.describe(), winner.describe());
        same->action = winner;
      }
    }
    out.policy.rules.insert(out.policy.rules.end(), kept.begin(), kept.end());
    return;
  }
  // An unconditional rule somewhere: the union of "whatever its arguments"
  // with anything else is "whatever its arguments", with the least
  // restrictive action any input gives it.
  Action action = c.unconditional.front().first;
  bool disagree = false;
  for (const auto& [a, from] : c.unconditional) {
    disagree = disagree || a != action;
    action = less_restrictive(action, a);
  }
  for (const Rule& r : c.conditional) {
    disagree = disagree || r.action != action;
    action = less_restrictive(action, r.action);
  }
  std::string sources;
  for (const auto& [a, from] : c.unconditional) sources += fmt::format("{}{} in {}", sources.empty() ? "" : ", ", a.describe(), from);
  if (!c.conditional.empty())
    out.notes[name] = fmt::format("unconditional in the merge ({}; other inputs had conditions){}", sources,
                                  disagree ? fmt::format(": {} kept, the less restrictive", action.describe()) : "");
  else if (disagree)
    out.notes[name] = fmt::format("the inputs disagree ({}): {} kept, the less restrictive", sources, action.describe());
  out.policy.rules.push_back(Rule{name, action, {}, RuleOrigin::named("merged")});
}

}  // namespace

LearnedProfile merge_profiles(const std::vector<NamedPolicy>& inputs) {
  if (inputs.empty()) throw InputError("nothing to merge: give at least one profile");
  check_compatible(inputs);
  LearnedProfile out;
  const Policy& first = inputs.front().policy;
  out.policy.default_action = first.default_action;
  out.policy.arches = first.arches;
  out.policy.bad_arch_action = first.bad_arch_action;
  out.policy.multiplex = first.multiplex;
  out.policy.runtime = first.runtime;
  out.policy.enosys_for_unknown = false;
  std::map<std::string, Collected> by_name;
  for (const NamedPolicy& in : inputs) {
    const Policy& p = in.policy;
    out.policy.enosys_for_unknown = out.policy.enosys_for_unknown || p.enosys_for_unknown;
    out.policy.bad_arch_action = less_restrictive(out.policy.bad_arch_action, p.bad_arch_action);
    if (p.runtime != first.runtime)
      out.warnings.push_back(fmt::format("{} has other runtime settings (flags, listener) than {}: the first one's are kept",
                                         in.name, inputs.front().name));
    for (const Rule& r : p.rules) {
      Collected& c = by_name[to_string(r.syscall)];
      if (r.conditions.empty()) c.unconditional.emplace_back(r.action, in.name);
      else c.conditional.push_back(r);
    }
  }
  for (const auto& [name, c] : by_name) merge_one(name, c, out);
  // merge_one names syscalls; rules by number keep their number.
  for (Rule& r : out.policy.rules) {
    const std::string text = to_string(r.syscall);
    if (!text.empty() && text[0] == '#') r.syscall = static_cast<std::uint32_t>(std::stoul(text.substr(1)));
  }
  canonicalize(out.policy);
  return out;
}

LearnedProfile add_to_profile(const Policy& profile, const std::vector<SyscallUse>& uses, const LearnOptions& options) {
  LearnedProfile additions = build_profile(uses, options);
  LearnedProfile out;
  out.policy = profile;
  out.warnings = additions.warnings;
  out.notes = additions.notes;
  std::set<std::string> added;
  for (const Rule& r : additions.policy.rules) added.insert(to_string(r.syscall));
  // In libseccomp an unconditional rule wins over conditional ones whatever
  // its action: a deny of the whole syscall would shadow the new allows.
  auto shadows = [&](const Rule& r) {
    return r.conditions.empty() && r.action.denies() && added.count(to_string(r.syscall));
  };
  for (const Rule& r : out.policy.rules)
    if (shadows(r))
      out.notes[to_string(r.syscall)] += fmt::format("{}the profile's {} of every call was dropped for the calls the "
                                                     "report shows", out.notes.count(to_string(r.syscall)) ? "; " : "",
                                                     r.action.describe());
  std::erase_if(out.policy.rules, shadows);
  for (Rule r : additions.policy.rules) {
    r.origin = RuleOrigin::named("learned from the report");
    out.policy.rules.push_back(std::move(r));
  }
  // A report names the arches it saw: the profile must cover them.
  for (Arch a : additions.policy.arches) {
    auto have = out.policy.effective_arches();
    if (std::find(have.begin(), have.end(), a) == have.end()) {
      if (out.policy.arches.empty()) out.policy.arches = have;
      out.policy.arches.push_back(a);
    }
  }
  return out;
}

}  // namespace seccage::learn
