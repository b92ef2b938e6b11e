// The policy checks of `seccage check`. Everything semantic is read off the
// per-arch Decisions (decision.hpp), the same ones the compiler compiles, so
// the linter cannot call a rule dead that the filter would still run, or the
// other way round.
#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include <fmt/core.h>

#include "lint/lint_internal.hpp"
#include "policy/evaluator.hpp"
#include "policy/regions.hpp"
#include "profile/json_locate.hpp"
#include "profile/oci_parse.hpp"
#include "seccage/error.hpp"
#include "profile/writers/rule_numbers.hpp"

namespace seccage {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
  }
  return "?";
}

std::string FindingLocation::to_string() const {
  std::string s = file;
  if (line) s += fmt::format(":{}", *line);
  if (line && column) s += fmt::format(":{}", *column);
  if (!pointer.empty()) s += fmt::format(" ({})", pointer);
  return s;
}

std::size_t LintReport::count(Severity s) const {
  return static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.severity == s; }));
}

namespace lint_detail {
namespace {

constexpr std::uint16_t kEnosys = 38;

// What lets a syscall run: LOG runs it too. TRACE without a tracer and
// USER_NOTIF without a supervisor do not, and are someone else's decision.
bool passes(const Action& a) { return a.kind == ActionKind::Allow || a.kind == ActionKind::Log; }

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

std::string arch_list(const std::vector<Arch>& arches) {
  std::vector<std::string> names;
  for (Arch a : arches) names.emplace_back(arch_name(a));
  return join(names);
}

std::string conditions_text(const Rule& r) {
  std::vector<std::string> parts;
  for (const Condition& c : r.conditions) parts.push_back(c.to_string());
  return join(parts, " && ");
}

// A Decision's meaning without the rule indexes that produced it.
std::string decision_key(const Decision& d) {
  std::string k = fmt::format("{:08x}", d.otherwise.to_ret());
  for (const DecisionCase& c : d.cases) {
    k += fmt::format("|{:08x}", c.action.to_ret());
    for (const WordTest& t : c.tests) k += ";" + t.to_string();
  }
  return k;
}

bool name_exists(Arch arch, const std::string& name) {
  if (syscall_number(arch, name)) return true;
  auto mux = multiplexed_call(name);
  return mux && syscall_number(arch, mux->via);
}

// ---- conditions -----------------------------------------------------------

void check_conditions(Context& ctx) {
  const Policy& p = ctx.policy;
  std::vector<Arch> narrow;
  for (Arch a : p.effective_arches())
    if (!arch_info(a).is_64bit) narrow.push_back(a);
  constexpr std::uint64_t kMax = ~std::uint64_t{0};
  for (const Rule& r : p.rules) {
    const std::string subject = to_string(r.syscall);
    for (const Condition& c : r.conditions) {
      const std::string cond = c.to_string();
      std::optional<std::string> never, always;
      switch (c.op) {
        case CmpOp::MaskedEq:
          // libseccomp (and so runc, crun and seccage) compares with the
          // value masked: bits outside the mask are dropped, not compared.
          if ((c.value & ~c.mask) != 0)
            ctx.add(Severity::Warning, "masked-value-outside-mask",
                    fmt::format("{}: condition `{}`: the value {:#x} has bits outside the mask {:#x}; they are "
                                "dropped, so the rule applies when the masked argument is {:#x}; write that value",
                                subject, cond, c.value, c.mask, c.value & c.mask),
                    ctx.locate_origin(r.origin, subject), subject);
          if (c.mask == 0) always = "the mask is 0, so the masked argument is always 0";
          break;
        case CmpOp::LT:
          if (c.value == 0) never = "no unsigned value is below 0";
          break;
        case CmpOp::GT:
          if (c.value == kMax) never = "no 64-bit value is above 0xffffffffffffffff";
          break;
        case CmpOp::GE:
          if (c.value == 0) always = "every unsigned value is >= 0";
          break;
        case CmpOp::LE:
          if (c.value == kMax) always = "every 64-bit value is <= 0xffffffffffffffff";
          break;
        default: break;
      }
      if (never) {
        ctx.add(Severity::Warning, "never-matches",
                fmt::format("{}: condition `{}` can never match: {}; the rule never applies", subject, cond, *never),
                ctx.locate_origin(r.origin, subject), subject);
      } else if (always) {
        ctx.add(Severity::Info, "always-matches",
                fmt::format("{}: condition `{}` always holds ({}); write the rule without it", subject, cond,
                            *always),
                ctx.locate_origin(r.origin, subject), subject);
      }
      // libseccomp compares only the low 32 bits on 32-bit ABIs: a larger
      // operand silently means something else there.
      const std::uint64_t operand = c.op == CmpOp::MaskedEq ? (c.value | c.mask) : c.value;
      if (!narrow.empty() && operand > 0xffffffffu && !never) {
        ctx.add(Severity::Warning, "wide-operand-on-32bit",
                fmt::format("{}: condition `{}` uses a value wider than 32 bits, but on {} only the low 32 bits of "
                            "arguments are compared, so there it means the low word alone",
                            subject, cond, arch_list(narrow)),
                ctx.locate_origin(r.origin, subject), subject);
      }
    }
  }
}

// ---- dead rules -------------------------------------------------------------

struct RuleStatus {
  std::vector<bool> dead;     // decides nothing on any arch
  std::vector<bool> refused;  // libseccomp refuses it
};

// The keys of every decision a group of rules can affect.
std::vector<std::string> group_keys(const Policy& sub, const std::set<writer_detail::ArchNumber>& reach) {
  const Evaluator eval(sub);
  std::vector<std::string> keys;
  for (const auto& [arch, nr] : reach) keys.push_back(decision_key(eval.decisions(arch).at(nr)));
  return keys;
}

// A rule is dead when neutralising it (giving it the default action, which
// the semantics treat as a no-op) changes no decision on any arch. Rules are
// tried from last to first and stay neutralised once found dead, so of two
// duplicates the later one is reported and the earlier one stays in charge;
// a conditional rule overridden by a later unconditional one is reported,
// not the unconditional rule. Only rules that reach a common syscall number
// are simulated together (rule_numbers.hpp), which keeps this linear in
// practice.
RuleStatus dead_rules(const Policy& policy, const std::vector<RefusedRule>& refused) {
  RuleStatus st{std::vector<bool>(policy.rules.size()), std::vector<bool>(policy.rules.size())};
  for (const RefusedRule& r : refused) st.refused[static_cast<std::size_t>(r.rule)] = true;
  for (const std::vector<std::size_t>& group : writer_detail::interacting_groups(policy)) {
    std::vector<std::size_t> candidates;
    for (std::size_t i : group) {
      const Rule& r = policy.rules[i];
      if (r.action != policy.default_action && !st.refused[i]) candidates.push_back(i);
    }
    if (candidates.size() < 2) continue;  // a lone rule always decides its syscall
    Policy sub = policy;
    sub.rules.clear();
    std::set<writer_detail::ArchNumber> reach;
    for (std::size_t i : group) {
      sub.rules.push_back(policy.rules[i]);
      for (const auto& n : writer_detail::numbers_of_rule(policy, i)) reach.insert(n);
    }
    // Refused rules are no-ops in the semantics already; neutralise them so
    // that the comparisons below do not depend on the refusal replaying.
    auto local = [&](std::size_t i) {
      return static_cast<std::size_t>(std::find(group.begin(), group.end(), i) - group.begin());
    };
    for (std::size_t i : group)
      if (st.refused[i]) sub.rules[local(i)].action = sub.default_action;
    const std::vector<std::string> base = group_keys(sub, reach);
    for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
      Policy trial = sub;
      trial.rules[local(*it)].action = trial.default_action;
      if (group_keys(trial, reach) == base) {
        st.dead[*it] = true;
        sub = std::move(trial);
      }
    }
  }
  return st;
}

// Whether the live rules on a syscall all give `a` and together cover every
// argument value: then the syscall gets `a` whatever the call. The regions
// are the text language's set algebra (policy/regions.hpp), exact for the
// comparisons seccomp has; a region too large to work out counts as "no".
bool covers_every_argument(const Policy& p, const RuleStatus& st, const SyscallRef& ref, const Action& a) {
  using namespace regions;
  try {
    Region all;
    for (std::size_t j = 0; j < p.rules.size(); ++j) {
      const Rule& o = p.rules[j];
      if (o.syscall != ref || st.refused[j] || o.action == p.default_action) continue;
      if (o.action != a) return false;
      Region one = any_region();
      for (const Condition& c : o.conditions) one = intersect(one, region_of(c));
      all = unite(std::move(all), one);
    }
    return complement(all).empty();
  } catch (const RegionTooComplex&) {
    return false;
  }
}

// no-effect: a conditional rule whose syscall gets the rule's action for
// every argument on every arch, with another statement (an unconditional
// rule, or in the text language the earlier statement the compiler carved
// around this one) giving it that action too. The condition then limits
// nothing, which is the opposite of what a reviewer reads into it: the
// web-worker case, `allow @system-service` then `allow socket: arg0 ==
// AF_INET`. Rules of one statement alone are never reported: together they
// are what decides the syscall. Returns the rules reported, so check_rules
// does not report them a second time as redundant.
std::vector<bool> check_no_effect(Context& ctx, const RuleStatus& st) {
  const Policy& p = ctx.policy;
  std::vector<bool> reported(p.rules.size());
  std::set<std::string> seen;  // origin + syscall: one finding per statement and syscall
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const Rule& r = p.rules[i];
    if (r.conditions.empty() || st.refused[i] || r.action == p.default_action) continue;
    if (!covers_every_argument(p, st, r.syscall, r.action)) continue;
    const std::string subject = to_string(r.syscall);
    // The statement that decides it already: an unconditional rule (JSON,
    // where order does not matter), or a rule written before this one in the
    // same file (the text language, whose compiler carves the earlier
    // statement around the later one). The earlier one is never reported.
    const FindingLocation here = ctx.locate_origin(r.origin, subject);
    const Rule* decider = nullptr;
    for (const Rule& o : p.rules) {
      if (o.syscall != r.syscall || o.action != r.action || o.origin == r.origin) continue;
      const FindingLocation there = ctx.locate_origin(o.origin, subject);
      const bool before = there.file == here.file && std::pair(there.line, there.column) < std::pair(here.line, here.column);
      if (!o.conditions.empty() && !before) continue;
      if (!decider || (o.conditions.empty() && !decider->conditions.empty())) decider = &o;
    }
    if (!decider) continue;
    reported[i] = true;
    if (!seen.insert(r.origin + "|" + subject).second) continue;
    // The statement's whole condition: the rules it became, as alternatives.
    std::vector<std::string> alternatives;
    for (const Rule& o : p.rules)
      if (o.origin == r.origin && o.syscall == r.syscall && o.action == r.action && !o.conditions.empty())
        alternatives.push_back(conditions_text(o));
    ctx.add(Severity::Warning, "no-effect",
            fmt::format("{} {} if {}: no effect: {} gets {} for every argument, because the rule at {} already gives "
                        "it {}{}; the condition limits nothing. To limit it, take it away first (e.g. deny {} before "
                        "this rule) or leave it out of the earlier rule",
                        subject, r.action.to_string(), join(alternatives, " || "), subject, r.action.to_string(),
                        ctx.locate_origin(decider->origin, subject).to_string(), r.action.to_string(),
                        decider->conditions.empty() ? " unconditionally" : " for the other calls", subject),
            here, subject);
  }
  return reported;
}

void check_rules(Context& ctx, const Evaluator& eval, const RuleStatus& st, const std::vector<RefusedRule>& refused,
                 const std::vector<bool>& no_effect) {
  const Policy& p = ctx.policy;
  for (const RefusedRule& r : refused) {
    const Rule& rule = p.rules[static_cast<std::size_t>(r.rule)];
    const std::string subject = to_string(rule.syscall);
    ctx.add(Severity::Error, "refused-rule",
            fmt::format("{} {}: libseccomp refuses this rule ({}), so runc and crun fail to load the profile", subject,
                        rule.action.to_string(), r.reason),
            ctx.locate_origin(rule.origin, subject), subject);
  }
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const Rule& r = p.rules[i];
    const std::string subject = to_string(r.syscall);
    if (r.action == p.default_action) {
      ctx.add(Severity::Warning, "same-as-default",
              fmt::format("{}: the rule's action {} is the default action, so it changes nothing (libseccomp refuses "
                          "such a rule; runc and crun drop it silently)",
                          subject, r.action.describe()),
              ctx.locate_origin(r.origin, subject), subject);
      continue;
    }
    if (!st.dead[i] || no_effect[i]) continue;
    // Explain with the live rules on the same syscall.
    const Rule* unconditional = nullptr;
    const Rule* same = nullptr;
    std::vector<std::string> others;
    for (std::size_t j = 0; j < p.rules.size(); ++j) {
      const Rule& o = p.rules[j];
      if (j == i || st.dead[j] || st.refused[j] || o.syscall != r.syscall || o.action == p.default_action) continue;
      if (o.conditions.empty() && !unconditional) unconditional = &o;
      if (o == r && !same) same = &o;
      others.push_back(ctx.locate_origin(o.origin, subject).to_string());
    }
    // Redundant (info) when what the filter does anyway is what the rule
    // asks for; shadowed (warning) when the rule wanted something else.
    bool same_outcome = r.conditions.empty() || unconditional != nullptr;
    for (const auto& [arch, nr] : writer_detail::numbers_of_rule(p, i)) {
      const Decision& d = eval.decisions(arch).at(nr);
      if (d.depends_on_args() || d.otherwise != r.action) same_outcome = false;
    }
    if (same) {
      ctx.add(Severity::Info, "duplicate-rule",
              fmt::format("{}: the same rule is already at {}", subject,
                          ctx.locate_origin(same->origin, subject).to_string()),
              ctx.locate_origin(r.origin, subject), subject);
    } else if (same_outcome) {
      std::string via;
      if (auto mux = multiplexed_call(subject); mux && !unconditional) {
        std::vector<Arch> muxed;
        for (Arch a : p.effective_arches())
          if (!syscall_number(a, subject) && syscall_number(a, mux->via)) muxed.push_back(a);
        if (!muxed.empty())
          via = fmt::format(" (on {} it is reached only through {}, which is already {} there)", arch_list(muxed),
                            mux->via, r.action.to_string());
      }
      ctx.add(Severity::Info, "redundant-rule",
              fmt::format("{} {}: redundant: the other rules already give {} every call it covers{}", subject,
                          r.action.to_string(), r.action.to_string(), via),
              ctx.locate_origin(r.origin, subject), subject);
    } else if (unconditional) {
      ctx.add(Severity::Warning, "shadowed-rule",
              fmt::format("{} {}{}: never decides anything: the unconditional {} rule at {} decides every call of "
                          "{} (an unconditional rule overrides the conditional ones on its syscall, in libseccomp "
                          "and so in runc and crun)",
                          subject, r.action.to_string(), r.conditions.empty() ? "" : " if " + conditions_text(r),
                          unconditional->action.to_string(),
                          ctx.locate_origin(unconditional->origin, subject).to_string(), subject),
              ctx.locate_origin(r.origin, subject), subject);
    } else {
      ctx.add(Severity::Warning, "shadowed-rule",
              fmt::format("{} {}{}: never decides anything: {} already decide{} every case it covers", subject,
                          r.action.to_string(), r.conditions.empty() ? "" : " if " + conditions_text(r),
                          others.empty() ? "the other rules" : "the rules at " + join(others),
                          others.size() == 1 ? "s" : ""),
              ctx.locate_origin(r.origin, subject), subject);
    }
  }
}

// ---- what gets through --------------------------------------------------------

struct Reach {
  std::vector<Arch> always, sometimes;  // arches where the syscall always / only sometimes runs
};

Reach reach_of(const Evaluator& eval, const std::string& name) {
  Reach out;
  for (const ArchDecisions& d : eval.all_decisions()) {
    auto nr = syscall_number(d.arch, name);
    if (!nr) continue;
    const Decision& dec = d.at(*nr);
    const bool all = passes(dec.otherwise) &&
                     std::all_of(dec.cases.begin(), dec.cases.end(), [](const auto& c) { return passes(c.action); });
    const bool any = passes(dec.otherwise) ||
                     std::any_of(dec.cases.begin(), dec.cases.end(), [](const auto& c) { return passes(c.action); });
    if (all) out.always.push_back(d.arch);
    else if (any) out.sometimes.push_back(d.arch);
  }
  return out;
}

void check_dangerous(Context& ctx, const Evaluator& eval, const RuleStatus& st) {
  const Policy& p = ctx.policy;
  std::vector<std::string> by_default;
  for (std::string_view sv : all_syscall_names()) {
    auto reason = dangerous_syscall_reason(sv);
    if (!reason) continue;
    const std::string name(sv);
    const Reach reach = reach_of(eval, name);
    if (reach.always.empty() && reach.sometimes.empty()) continue;
    // The live rules that let it through.
    std::vector<const Rule*> allowing;
    for (std::size_t i = 0; i < p.rules.size(); ++i) {
      const Rule& r = p.rules[i];
      const auto* n = std::get_if<std::string>(&r.syscall);
      if (n && *n == name && passes(r.action) && !st.dead[i] && !st.refused[i] && r.action != p.default_action)
        allowing.push_back(&r);
    }
    if (allowing.empty()) {
      if (passes(p.default_action)) by_default.push_back(name);
      continue;
    }
    const bool unconditional =
        !reach.always.empty() ||
        std::any_of(allowing.begin(), allowing.end(), [](const Rule* r) { return r->conditions.empty(); });
    FindingLocation where = ctx.locate_origin(allowing.front()->origin, name);
    const std::string gate = ctx.gate_of(allowing.front()->origin);
    if (unconditional) {
      ctx.add(Severity::Warning, "dangerous-syscall",
              fmt::format("{} is allowed{}: it {}{}", name,
                          reach.always.size() == eval.all_decisions().size() ? ""
                                                                             : " on " + arch_list(reach.always),
                          *reason, gate.empty() ? "" : fmt::format(" (the entry applies here: {})", gate)),
              where, name);
    } else if (ctx.options.report_conditional_dangerous) {
      std::vector<std::string> conds;
      for (const Rule* r : allowing) conds.push_back(conditions_text(*r));
      ctx.add(Severity::Info, "dangerous-syscall",
              fmt::format("{} is allowed only when {}: it {}", name, join(conds, ", or when "), *reason), where,
              name);
    }
  }
  if (!by_default.empty()) {
    ctx.add(Severity::Warning, "dangerous-syscall",
            fmt::format("the default action {} lets through dangerous syscalls no rule denies: {} (docs/check.md "
                        "says why each matters)",
                        p.default_action.to_string(), join(by_default)),
            ctx.default_location());
  }
}

// i386 and the other arches with socketcall(2)/ipc(2) pass a sub-call's
// arguments behind a pointer, where no filter can read them: a condition on
// `socket` is checked for the direct syscall only.
void check_multiplexers(Context& ctx, const Evaluator& eval, const RuleStatus& st) {
  const Policy& p = ctx.policy;
  std::set<std::pair<std::string, Arch>> reported;
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const Rule& r = p.rules[i];
    const auto* name = std::get_if<std::string>(&r.syscall);
    if (!name || r.conditions.empty() || st.dead[i] || st.refused[i] || r.action == p.default_action) continue;
    auto mux = multiplexed_call(*name);
    if (!mux) continue;
    // The rule restricts either way: a conditional allow (default denies) or
    // a conditional deny (default allows). Bypass = the multiplexer lets the
    // sub-call through whatever its hidden arguments are.
    std::vector<Arch> open;
    for (const ArchDecisions& d : eval.all_decisions()) {
      auto via = syscall_number(d.arch, mux->via);
      if (!via) continue;
      std::array<std::uint64_t, 6> args{mux->call, 0, 0, 0, 0, 0};
      if (passes(d.at(*via).evaluate(args)) && reported.emplace(*name, d.arch).second) open.push_back(d.arch);
    }
    if (open.empty()) continue;
    ctx.add(Severity::Warning, "multiplexer-bypass",
            fmt::format("{} {} if {}: on {} the call can also be made through {}(2), whose arguments sit behind a "
                        "pointer no filter can read; {} with call {} ({}) is let through there, so the condition does not hold",
                        *name, r.action.to_string(), conditions_text(r), arch_list(open), mux->via, mux->via,
                        mux->call, *name),
            ctx.locate_origin(r.origin, *name), *name);
  }
}

// ---- whole-policy checks -------------------------------------------------------

// The syscalls glibc is known to fall back from on ENOSYS, and to what.
// glibc calls statx for stat only on 32-bit ABIs (time64); on a 64-bit one
// an errno from statx breaks nothing, so it is looked at on 32-bit arches
// only, and a filter without one is not told about arches it does not cover.
struct Fallback {
  std::string_view name, fallback;
  bool only_32bit;
};
constexpr Fallback kFallbacks[] = {
    {"clone3", "clone", false},
    {"faccessat2", "faccessat", false},
    {"fchmodat2", "fchmodat", false},
    {"close_range", "closing descriptors one by one", false},
    {"statx", "fstatat64", true},
};

// The errnos other than ENOSYS a syscall can return, on the arches that have
// it (only the filter's arches are looked at, so no other arch is named).
std::vector<std::string> non_enosys_errnos(const Evaluator& eval, std::string_view name, bool only_32bit) {
  std::vector<std::string> errs;
  for (const ArchDecisions& d : eval.all_decisions()) {
    if (only_32bit && arch_info(d.arch).is_64bit) continue;
    auto nr = syscall_number(d.arch, name);
    if (!nr) continue;
    const Decision& dec = d.at(*nr);
    std::vector<Action> outcomes{dec.otherwise};
    for (const auto& c : dec.cases) outcomes.push_back(c.action);
    for (const Action& a : outcomes) {
      if (a.kind != ActionKind::Errno || a.data == kEnosys) continue;
      std::string e = a.describe();
      if (std::find(errs.begin(), errs.end(), e) == errs.end()) errs.push_back(e);
    }
  }
  return errs;
}

// enosys-fallback: a fallback syscall answered with another errno. When an
// explicit rule does it, the finding is at that rule (the author chose it);
// when the default action does it, every such syscall goes into one finding
// at the default, since one change there (or one ENOSYS rule each) fixes
// them all and five findings for one line of profile is noise.
void check_enosys_fallbacks(Context& ctx, const Evaluator& eval) {
  const Policy& p = ctx.policy;
  std::vector<std::string> from_default;
  for (const auto& [name, fallback, only_32bit] : kFallbacks) {
    const std::vector<std::string> errs = non_enosys_errnos(eval, name, only_32bit);
    if (errs.empty()) continue;
    const std::string n(name);
    const Rule* rule = nullptr;
    for (const Rule& r : p.rules)
      if (const auto* rn = std::get_if<std::string>(&r.syscall);
          rn && *rn == n && r.action.kind == ActionKind::Errno && r.action.data != kEnosys && r.action != p.default_action)
        rule = &r;
    if (!rule) {
      from_default.push_back(fmt::format("{} (glibc's fallback: {})", n, fallback));
      continue;
    }
    ctx.add(Severity::Warning, "enosys-fallback",
            fmt::format("{} returns {}: glibc falls back to {} only on ENOSYS, so programs break; answer ENOSYS "
                        "(errnoRet 38) or allow it",
                        n, join(errs, " or "), fallback),
            ctx.locate_origin(rule->origin, n), n);
  }
  if (from_default.empty()) return;
  ctx.add(Severity::Warning, "enosys-fallback",
          fmt::format("the default action {} answers syscalls glibc falls back from only on ENOSYS, so programs "
                      "that try them break instead of falling back (a failing clone3 means no new threads or "
                      "processes): {}; allow them or answer ENOSYS for them "
                      "(errno(ENOSYS) rules, errnoRet 38)",
                      p.default_action.describe(), join(from_default, "; ")),
          ctx.default_location());
}

void check_default(Context& ctx, const Evaluator& eval) {
  const Policy& p = ctx.policy;
  const std::vector<Arch> arches = p.effective_arches();
  if (passes(p.bad_arch_action)) {
    ctx.add(Severity::Error, "bad-arch-allows",
            fmt::format("syscalls of arches the policy does not list get {}: a process can bypass the filter through "
                        "another ABI (i386 via int 0x80, x32 numbers on x86_64)",
                        p.bad_arch_action.to_string()),
            ctx.default_location());
  }
  if (passes(p.default_action) && arches.size() > 1) {
    ctx.add(Severity::Warning, "allow-default-compat-arches",
            fmt::format("the default action {} lets through every syscall no rule names, on each of {}: a deny-list "
                        "must then name the syscalls of every ABI, and compat ABIs (i386, x32, arm) have their own "
                        "(socketcall, ipc, the *32 variants...). List only the arches programs use: the others get "
                        "{} from the runtimes",
                        p.default_action.to_string(), arch_list(arches), "KILL_THREAD"),
            ctx.default_location());
  }

  if (p.default_action.kind == ActionKind::Errno && p.default_action.data != kEnosys) {
    std::vector<std::string> enosys;
    for (const Rule& r : p.rules)
      if (r.action == Action::errno_(kEnosys) && std::find(enosys.begin(), enosys.end(), to_string(r.syscall)) == enosys.end())
        enosys.push_back(to_string(r.syscall));
    // Info: seccage's own filters answer ENOSYS above their table and runc
    // above the highest syscall the profile names, so only other consumers
    // of the profile are concerned. As a warning it fired on every
    // default-EPERM profile, whatever the profile said.
    ctx.add(Severity::Info, "errno-default-new-syscalls",
            fmt::format("the default action returns {} also for syscalls newer than the profile, and libc falls back "
                        "from a new syscall only on ENOSYS. runc answers ENOSYS above the highest syscall the profile "
                        "names, seccage's own filters above their table; other consumers of the profile may not. {}",
                        p.default_action.describe(),
                        enosys.empty() ? "Consider defaultErrnoRet 38 (ENOSYS), or ENOSYS rules for the syscalls "
                                         "programs may try"
                                       : "The profile answers ENOSYS itself for " + join(enosys) +
                                             "; keep that list current"),
            ctx.default_location());
  }
  check_enosys_fallbacks(ctx, eval);
}

// Syscalls that do the same thing under another name: denying one while a
// sibling stays open denies nothing (glibc's mkdir() calls mkdirat on most
// arches, open() calls openat).
constexpr std::string_view kSiblings[][3] = {
    {"mkdir", "mkdirat", ""},
    {"open", "openat", "openat2"},
    {"rename", "renameat", "renameat2"},
    {"chmod", "fchmodat", "fchmodat2"},
    {"unlink", "unlinkat", ""},
    {"rmdir", "unlinkat", ""},
    {"link", "linkat", ""},
    {"symlink", "symlinkat", ""},
    {"mknod", "mknodat", ""},
    {"chown", "fchownat", ""},
};

// sibling-open: an explicit unconditional rule that keeps a syscall from
// running while a sibling doing the same work runs, for some arguments at
// least, on an arch that has both. Only rules written with their own action
// count: a syscall an allow-list merely leaves out (openat allowed, open
// never named) is how such lists are written, not a hole.
void check_siblings(Context& ctx, const Evaluator& eval, const RuleStatus& st) {
  const Policy& p = ctx.policy;
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const Rule& r = p.rules[i];
    const auto* name = std::get_if<std::string>(&r.syscall);
    if (!name || !r.conditions.empty() || passes(r.action) || st.dead[i] || st.refused[i] ||
        r.action == p.default_action)
      continue;
    for (const auto& family : kSiblings) {
      if (std::find(std::begin(family), std::end(family), *name) == std::end(family)) continue;
      std::vector<std::string> open;
      for (std::string_view sib : family) {
        if (sib.empty() || sib == *name) continue;
        std::vector<Arch> where;  // arches with both where the sibling runs
        for (const ArchDecisions& d : eval.all_decisions()) {
          auto own = syscall_number(d.arch, *name);
          auto nr = syscall_number(d.arch, sib);
          if (!own || !nr) continue;
          const Decision& dec = d.at(*nr);
          if (passes(dec.otherwise) ||
              std::any_of(dec.cases.begin(), dec.cases.end(), [](const auto& c) { return passes(c.action); }))
            where.push_back(d.arch);
        }
        if (where.empty()) continue;
        const bool everywhere = where.size() == eval.all_decisions().size();
        open.push_back(fmt::format("{}{}", sib, everywhere ? "" : " (on " + arch_list(where) + ")"));
      }
      if (open.empty()) continue;
      ctx.add(Severity::Warning, "sibling-open",
              fmt::format("{} {}: {} still run{} and do{} the same thing, so programs (glibc's own wrappers "
                          "among them) get around the rule; give {} the same action",
                          *name, r.action.to_string(), join(open), open.size() == 1 ? "s" : "",
                          open.size() == 1 ? "es" : "", open.size() == 1 ? "it" : "them"),
              ctx.locate_origin(r.origin, *name), *name);
    }
  }
}

void check_names_per_arch(Context& ctx) {
  const Policy& p = ctx.policy;
  const std::vector<Arch> arches = p.effective_arches();
  if (arches.size() < 2) return;
  // name -> first rule naming it
  std::map<std::string, const Rule*> names;
  for (const Rule& r : p.rules)
    if (const auto* n = std::get_if<std::string>(&r.syscall)) names.emplace(*n, &r);
  std::map<Arch, std::size_t> missing_count;
  std::vector<std::pair<const Rule*, std::vector<Arch>>> partial;
  for (const auto& [name, rule] : names) {
    std::vector<Arch> missing, present;
    for (Arch a : arches) (name_exists(a, name) ? present : missing).push_back(a);
    if (missing.empty() || present.empty()) continue;
    for (Arch a : missing) ++missing_count[a];
    partial.emplace_back(rule, missing);
  }
  // A profile that names syscalls missing from each of its arches was
  // written for all of them on purpose (Docker's lists chown32 for i386
  // and arch_prctl for x86_64): then this is expected, and only info.
  const bool multi = ctx.declared_multi_arch ||
                     std::all_of(arches.begin(), arches.end(), [&](Arch a) { return missing_count[a] > 0; });
  for (const auto& [rule, missing] : partial) {
    const std::string& name = std::get<std::string>(rule->syscall);
    std::vector<Arch> present;
    for (Arch a : arches)
      if (std::find(missing.begin(), missing.end(), a) == missing.end()) present.push_back(a);
    const bool denies = !passes(rule->action) && passes(p.default_action);
    ctx.add(multi ? Severity::Info : Severity::Warning, "name-missing-on-arch",
            fmt::format("{} does not exist on {}, so the rule applies on {} only{}", name, arch_list(missing),
                        arch_list(present),
                        denies ? "; programs there use another syscall for the same thing (aarch64 has openat, not "
                                 "open), which this deny does not cover"
                               : ""),
            ctx.locate_origin(rule->origin, name), name);
  }
}

}  // namespace

FindingLocation Context::locate_pointer(const std::string& pointer) const {
  return locate_document_pointer(json_base + pointer);
}

FindingLocation Context::locate_document_pointer(const std::string& pointer) const {
  FindingLocation loc;
  loc.file = source;
  loc.pointer = pointer;
  if (json_text) {
    if (auto pos = profile_detail::locate_pointer(*json_text, loc.pointer)) {
      loc.line = pos->line;
      loc.column = pos->column;
    }
  }
  return loc;
}

std::string entry_pointer(const std::string& pointer) {
  const std::size_t at = pointer.find("/syscalls/");
  if (at == std::string::npos) return pointer;
  std::size_t end = at + 10;
  while (end < pointer.size() && pointer[end] >= '0' && pointer[end] <= '9') ++end;
  return pointer.substr(0, end);
}

FindingLocation Context::locate_origin(const std::string& origin, std::string_view name) const {
  FindingLocation loc;
  // "file:/json/pointer": the reader's origins.
  if (auto at = origin.rfind(":/"); at != std::string::npos && json_text) {
    loc.file = origin.substr(0, at);
    std::string pointer = origin.substr(at + 1);
    // Otherwise the origin's pointer (the entry, or its args).
    if (const oci::Entry* e = !name.empty() && oci ? oci::entry_at(*oci, pointer) : nullptr) {
      for (const oci::SyscallName& n : e->names) {
        if (n.name != name) continue;
        pointer = n.at;
        break;
      }
    }
    loc.pointer = pointer;
    if (auto pos = profile_detail::locate_pointer(*json_text, pointer)) {
      loc.line = pos->line;
      loc.column = pos->column;
    }
    return loc;
  }
  // "file:line:col": the text language's origins.
  std::string rest = origin;
  std::size_t numbers[2] = {0, 0};
  int found = 0;
  for (; found < 2; ++found) {
    const std::size_t colon = rest.rfind(':');
    if (colon == std::string::npos) break;
    std::size_t v = 0;
    const char* b = rest.data() + colon + 1;
    const char* e = rest.data() + rest.size();
    auto [ptr, ec] = std::from_chars(b, e, v);
    if (ec != std::errc{} || ptr != e || b == e) break;
    numbers[found] = v;
    rest.resize(colon);
  }
  loc.file = rest.empty() ? source : rest;
  if (found == 2) {
    loc.line = numbers[1];
    loc.column = numbers[0];
  } else if (found == 1) {
    loc.file = origin.substr(0, origin.rfind(':'));
    loc.line = numbers[0];
  } else {
    loc.file = origin.empty() ? source : origin;
  }
  return loc;
}

std::string Context::gate_of(const std::string& origin) const {
  const std::size_t at = origin.rfind(":/");
  if (at == std::string::npos || !oci) return {};
  const oci::Entry* e = oci::entry_at(*oci, origin.substr(at + 1));
  return e ? gate_summary(*e) : std::string();
}

FindingLocation Context::default_location() const {
  if (json_text) return locate_pointer("/defaultAction");
  FindingLocation loc;
  loc.file = source;
  return loc;
}

void Context::add(Severity s, std::string code, std::string message, FindingLocation where, std::string subject) {
  findings.push_back(Finding{s, std::move(code), std::move(message), std::move(where), std::move(subject)});
}

void check_policy(Context& ctx) {
  const Evaluator eval(ctx.policy);
  const std::vector<RefusedRule> refused = eval.refused();
  const RuleStatus st = dead_rules(ctx.policy, refused);
  check_default(ctx, eval);
  const std::vector<bool> no_effect = check_no_effect(ctx, st);
  check_rules(ctx, eval, st, refused, no_effect);
  check_conditions(ctx);
  check_dangerous(ctx, eval, st);
  check_multiplexers(ctx, eval, st);
  check_siblings(ctx, eval, st);
  check_names_per_arch(ctx);
  // A runtime named explicitly makes a missing call an error; the default
  // for JSON profiles (runc) a warning.
  if (ctx.options.runtime) check_runtime_startup(ctx, eval, *ctx.options.runtime, Severity::Error);
  else if (ctx.json_text) check_runtime_startup(ctx, eval, ContainerRuntime::Runc, Severity::Warning);
}

}  // namespace lint_detail

namespace lint_detail {

void sort_findings(std::vector<Finding>& f) {
  std::stable_sort(f.begin(), f.end(), [](const Finding& a, const Finding& b) {
    auto key = [](const Finding& x) {
      return std::tuple(x.location.file, x.location.line.value_or(0), x.location.column.value_or(0), x.severity);
    };
    return key(a) < key(b);
  });
}

}  // namespace lint_detail

LintReport lint_policy(const Policy& policy, std::string_view source, const LintOptions& options,
                       std::optional<std::string_view> json_text) {
  lint_detail::Context ctx{policy, std::string(source), options, json_text, std::nullopt, "", false, {}};
  if (json_text) {
    try {
      const profile_detail::OciMessages messages(*json_text, std::string(source));
      ctx.oci = profile_detail::parse_oci_text(*json_text, messages).profile;
    } catch (const InputError&) {
      // Not an OCI profile after all: findings then point at entries only.
    }
  }
  lint_detail::check_policy(ctx);
  LintReport report{std::string(source), std::move(ctx.findings)};
  lint_detail::sort_findings(report.findings);
  return report;
}

}  // namespace seccage
