#include "policy/later_wins.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <map>

#include <fmt/core.h>

#include "seccage/error.hpp"

namespace seccage::regions {

void SyscallStatements::add(std::optional<Action> action, Region region, RuleOrigin origin) {
  const bool unconditional = region.size() == 1 && std::all_of(region[0].begin(), region[0].end(),
                                                               [](const std::optional<Term>& t) { return !t; });
  if (unconditional) {
    *this = SyscallStatements{action, std::move(origin), {}};
    return;
  }
  layers.push_back(Statement{action, std::move(region), std::move(origin)});
}

std::vector<Rule> resolve_later_wins(const SyscallRef& ref, const SyscallStatements& e, const Action& def) {
  // Later layers win where they match: walk from the last one, each taking
  // what the later ones left; the base takes the rest. Complements are
  // costly (NOT of a union multiplies out), so they are only taken of the
  // later conjunctions that actually overlap, and for the base only when it
  // is not the default.
  struct Piece {
    Action action;
    Region region;
    const RuleOrigin* origin;
  };
  std::vector<Piece> pieces;
  std::vector<Rule> rules;
  try {
    Region later;  // the union of the layers after this one
    for (auto it = e.layers.rbegin(); it != e.layers.rend(); ++it) {
      const Action a = it->action.value_or(def);
      if (a != def) {
        Region overlapping;
        for (const Conj& c : later)
          if (!intersect(it->region, Region{c}).empty()) overlapping.push_back(c);
        // A layer that overlaps nothing later keeps its conditions as
        // written (so the canonical form reads back to the same rules).
        Region mine = overlapping.empty() ? it->region : intersect(it->region, complement(overlapping));
        if (!mine.empty()) pieces.push_back({a, simplify(mine), &it->origin});
      }
      later = unite(std::move(later), it->region);
    }
    const Action base = e.base.value_or(def);
    if (base != def) {
      Region rest = complement(later);
      if (!rest.empty()) pieces.push_back({base, simplify(rest), &e.base_origin});
    }
    std::reverse(pieces.begin(), pieces.end());
    for (const Piece& p : pieces) {
      // Once split into single comparisons, some alternatives may cover
      // others (arg0 == 3 covers arg0 == 3 && arg1 != 0): drop those, so
      // the rules are few and reading the canonical form back gives them.
      Region flat;
      for (const auto& conds : to_conditions(p.region)) {
        Region one = any_region();
        for (const Condition& c : conds) one = intersect(one, region_of(c));
        flat.insert(flat.end(), one.begin(), one.end());
      }
      for (auto& conds : to_conditions(simplify(flat))) rules.push_back(Rule{ref, p.action, std::move(conds), *p.origin});
    }
  } catch (const RegionTooComplex& ex) {
    const RuleOrigin& where = e.layers.empty() ? e.base_origin : e.layers.back().origin;
    throw InputError(fmt::format("{}: {} ({})", where.empty() ? to_string(ref) : where.to_string(), ex.what(), to_string(ref)));
  }
  return rules;
}

}  // namespace seccage::regions

namespace seccage {
namespace {

regions::Region region_of_rule(const Rule& r) {
  regions::Region out = regions::any_region();
  for (const Condition& c : r.conditions) out = regions::intersect(out, regions::region_of(c));
  return out;
}

// The width each argument of one syscall is compared with. The later-wins
// algebra works on values; it is exact under a width only when every rule
// reads the argument the same way, so mixing is an error (as in the text
// language).
class ArgWidths {
 public:
  void note(const Rule& r, const std::string& where) {
    for (const Condition& c : r.conditions) {
      auto& slot = widths_[c.arg];
      if (slot && slot->first != c.width)
        throw InputError(fmt::format("{}: arg{} of {} is compared on {} bits here but on {} bits by {}; one argument "
                                     "of a syscall must be read one way to put one rule over the other",
                                     where, static_cast<unsigned>(c.arg), to_string(r.syscall), width_bits(c.width),
                                     width_bits(slot->first), slot->second));
      if (!slot) slot.emplace(c.width, where);
    }
  }
  void apply(Rule& r) const {
    for (Condition& c : r.conditions)
      if (widths_[c.arg]) c.width = widths_[c.arg]->first;
  }

 private:
  static std::string width_bits(ArgWidth w) { return w == ArgWidth::U64 ? "64" : w == ArgWidth::U32 ? "32 (unsigned)" : "32 (signed)"; }
  std::array<std::optional<std::pair<ArgWidth, std::string>>, 6> widths_;
};

}  // namespace

void apply_later_rules(Policy& policy, std::span<const Rule> later) {
  std::vector<SyscallRef> touched;
  for (const Rule& r : later)
    if (std::find(touched.begin(), touched.end(), r.syscall) == touched.end()) touched.push_back(r.syscall);

  for (const SyscallRef& ref : touched) {
    regions::SyscallStatements statements;
    ArgWidths widths;
    // The policy's own rules on ref, read as statements. Rules with the
    // default action are no-ops (docs/semantics.md); the first unconditional
    // rule decides alone; conditional rules are an order only if those with
    // different actions never overlap (else libseccomp's precedence decides,
    // which no order reproduces).
    // Each with how messages name it; the rules made keep the Rule::origin
    // of the statement they come from (empty when it had none).
    const Rule* unconditional = nullptr;
    std::vector<std::pair<const Rule*, std::string>> conditional;
    for (std::size_t i = 0; i < policy.rules.size(); ++i) {
      const Rule& r = policy.rules[i];
      if (!(r.syscall == ref) || r.action == policy.default_action) continue;
      if (r.conditions.empty()) {
        if (!unconditional) unconditional = &r;
      } else {
        conditional.emplace_back(&r, rule_origin(r, i + 1));
      }
    }
    if (unconditional) {
      statements.add(unconditional->action, regions::any_region(), unconditional->origin);
    } else {
      for (std::size_t i = 0; i < conditional.size(); ++i)
        for (std::size_t j = i + 1; j < conditional.size(); ++j) {
          const Rule& a = *conditional[i].first;
          const Rule& b = *conditional[j].first;
          if (a.action != b.action && !regions::intersect(region_of_rule(a), region_of_rule(b)).empty())
            throw InputError(fmt::format("{} and {} overlap with different actions on {}, so which one wins is "
                                         "libseccomp's precedence, not an order; a later rule cannot be put over "
                                         "them exactly. Give an unconditional rule for {} first",
                                         conditional[i].second, conditional[j].second, to_string(ref), to_string(ref)));
        }
      for (const auto& [r, where] : conditional) {
        widths.note(*r, where);
        statements.add(r->action, region_of_rule(*r), r->origin);
      }
    }
    for (const Rule& r : later) {
      if (!(r.syscall == ref)) continue;
      widths.note(r, r.origin.empty() ? to_string(r.syscall) : r.origin.to_string());
      statements.add(r.action, region_of_rule(r), r.origin);
    }
    std::vector<Rule> rules = regions::resolve_later_wins(ref, statements, policy.default_action);
    for (Rule& r : rules) widths.apply(r);
    std::erase_if(policy.rules, [&](const Rule& r) { return r.syscall == ref; });
    policy.rules.insert(policy.rules.end(), std::make_move_iterator(rules.begin()), std::make_move_iterator(rules.end()));
  }
}

}  // namespace seccage
