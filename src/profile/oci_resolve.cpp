#include "profile/oci_resolve.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "profile/suggest.hpp"

namespace seccage::profile_detail {
namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

// One split alternative of a syscalls[] entry: the conditions and which args
// they came from.
struct Alternative {
  std::vector<Condition> conditions;
  std::vector<std::size_t> arg_positions;  // indexes into the entry's args[]
};

// OCI's MASKED_EQ is (arg & value) == valueTwo; seccage's (arg & mask) == value.
Condition condition_of(const oci::Arg& a) {
  Condition c;
  c.arg = static_cast<std::uint8_t>(a.index);
  c.op = a.op;
  if (a.op == CmpOp::MaskedEq) {
    c.mask = a.value;
    c.value = a.value_two.value_or(0);
  } else {
    c.value = a.value;
  }
  return c;
}

class Resolver {
 public:
  Resolver(const ParsedOci& parsed, const OciMessages& messages, const OciResolveOptions& options)
      : model_(parsed.profile), messages_(messages), options_(options) {
    out_.warnings = parsed.warnings;
    out_.from_config_json = model_.from_config_json;
  }

  OciProfile run() {
    out_.policy.default_action = model_.default_action;
    // libseccomp's bad-arch action stays at its default, SCMP_ACT_KILL (kill
    // the thread), in runc and crun alike.
    out_.policy.bad_arch_action = Action::kill_thread();
    resolve_arches();
    out_.policy.runtime.flags = model_.flags;
    out_.policy.runtime.listener_path = model_.listener_path;
    if (model_.listener_metadata) out_.policy.runtime.listener_metadata = *model_.listener_metadata;
    for (const oci::Entry& e : model_.syscalls) resolve_entry(e);

    bool notify = out_.policy.default_action.kind == ActionKind::UserNotif;
    for (const auto& r : out_.policy.rules) notify = notify || r.action.kind == ActionKind::UserNotif;
    if (notify && !out_.policy.runtime.listener_path)
      warn(model_.at, "SCMP_ACT_NOTIFY is used but no listenerPath is given: runc and crun have no agent to send "
                      "the notifications to");
    report_unknown_names();
    return std::move(out_);
  }

 private:
  void warn(const std::string& pointer, const std::string& message) {
    out_.warnings.push_back(messages_.warning(pointer, message));
  }

  Arch arch_of(const oci::ArchRef& ref) const { return ref.arch.value_or(options_.host_arch); }

  void resolve_arches();
  bool known_on_arches(const std::string& name) const;
  KernelVersion host_kernel();
  std::optional<std::string> gated_out(const oci::Entry& e);
  void resolve_entry(const oci::Entry& e);
  std::vector<Alternative> split(const std::vector<Condition>& conds) const;
  void report_unknown_names();

  const oci::Profile& model_;
  const OciMessages& messages_;
  const OciResolveOptions& options_;
  OciProfile out_;
  std::optional<KernelVersion> kernel_;
  std::map<std::string, std::string> unknown_first_ptr_;
  std::vector<std::string> unknown_order_;
};

void Resolver::resolve_arches() {
  std::vector<Arch> listed;
  for (const oci::ArchRef& a : model_.architectures) listed.push_back(arch_of(a));
  // Docker takes the first archMap entry for the host arch and stops there.
  std::vector<Arch> mapped;
  bool host_in_map = false;
  for (const oci::ArchMapEntry& e : model_.arch_map) {
    if (arch_of(e.architecture) != options_.host_arch) continue;
    host_in_map = true;
    mapped.push_back(options_.host_arch);
    for (const oci::ArchRef& s : e.sub_architectures) mapped.push_back(arch_of(s));
    break;
  }
  // archMap with an entry for the host: that entry. Otherwise the listed
  // architectures. Docker passes an empty list when the host has no archMap
  // entry, and libseccomp's filter always holds the native arch, so the
  // host is in the result in every case.
  std::vector<Arch> result = host_in_map ? mapped : listed;
  if (std::find(result.begin(), result.end(), options_.host_arch) == result.end())
    result.insert(result.begin(), options_.host_arch);
  // The caller's list of covered arches wins: names are then checked
  // against exactly the arches the filter will hold.
  if (!options_.arches.empty()) result = options_.arches;
  for (Arch a : result)
    if (std::find(out_.policy.arches.begin(), out_.policy.arches.end(), a) == out_.policy.arches.end())
      out_.policy.arches.push_back(a);
}

bool Resolver::known_on_arches(const std::string& name) const {
  for (Arch a : out_.policy.arches)
    if (syscall_number(a, name)) return true;
  // A socketcall/ipc sub-call the arch only has through its multiplexer is
  // still a syscall a rule can name there.
  if (auto m = multiplexed_call(name)) {
    for (Arch a : out_.policy.arches)
      if (syscall_number(a, m->via)) return true;
  }
  return false;
}

KernelVersion Resolver::host_kernel() {
  if (!kernel_) kernel_ = options_.kernel ? *options_.kernel : running_kernel_version();
  return *kernel_;
}

// Docker's order (moby setupSeccomp): excludes first (any matching condition
// drops the entry), then includes (every listed condition must hold; every
// listed cap must be granted). Returns why the entry is dropped.
std::optional<std::string> Resolver::gated_out(const oci::Entry& e) {
  const std::string host = std::string(docker_arch_name(options_.host_arch));
  auto has_cap = [&](const std::string& c) { return options_.capabilities.count(c) > 0; };
  auto lists_host = [&](const oci::Gate& g) {
    return std::find(g.arches->begin(), g.arches->end(), host) != g.arches->end();
  };
  if (const auto& exc = e.excludes) {
    if (exc->arches && !exc->arches->empty() && lists_host(*exc))
      return fmt::format("excludes.arches lists this host's arch \"{}\"", host);
    for (const auto& c : exc->caps.value_or(std::vector<std::string>{}))
      if (has_cap(c)) return fmt::format("excludes.caps: {} is granted", c);
    if (exc->min_kernel && host_kernel() >= *exc->min_kernel)
      return fmt::format("excludes.minKernel: kernel {} >= {}", host_kernel().to_string(), exc->min_kernel->to_string());
  }
  if (const auto& inc = e.includes) {
    if (inc->arches && !inc->arches->empty() && !lists_host(*inc))
      return fmt::format("includes.arches does not list this host's arch \"{}\"",
                         host.empty() ? arch_name(options_.host_arch) : host);
    for (const auto& c : inc->caps.value_or(std::vector<std::string>{}))
      if (!has_cap(c)) return fmt::format("includes.caps: {} is not granted", c);
    if (inc->min_kernel && host_kernel() < *inc->min_kernel)
      return fmt::format("includes.minKernel: kernel {} < {}", host_kernel().to_string(), inc->min_kernel->to_string());
  }
  return std::nullopt;
}

void Resolver::resolve_entry(const oci::Entry& e) {
  const RuleOrigin origin = RuleOrigin::in_json(messages_.source(), e.at);
  if (auto why = gated_out(e)) {
    out_.skipped.push_back({origin, *why});
    return;
  }
  if (e.action.kind == ActionKind::UserNotif)
    for (const oci::SyscallName& n : e.names)
      if (n.name == "write")
        warn(n.at, "runc refuses SCMP_ACT_NOTIFY on write (it needs write to hand over the listener)");

  std::vector<Condition> conds;
  for (const oci::Arg& a : e.args) conds.push_back(condition_of(a));
  const auto alternatives = split(conds);
  bool added = false;
  for (const oci::SyscallName& n : e.names) {
    if (!known_on_arches(n.name)) {
      if (unknown_first_ptr_.emplace(n.name, n.at).second) unknown_order_.push_back(n.name);
      continue;
    }
    for (const auto& alt : alternatives) {
      Rule r;
      r.syscall = n.name;
      r.action = e.action;
      r.conditions = alt.conditions;
      r.origin = origin;
      if (alternatives.size() > 1 || alt.arg_positions.size() != conds.size())
        for (std::size_t k : alt.arg_positions) r.origin.json_args.push_back(static_cast<unsigned>(k));
      out_.policy.rules.push_back(std::move(r));
      added = true;
    }
  }
  if (added && e.action == out_.policy.default_action) out_.redundant_rules.push_back(origin);
}

// Splits a rule's conditions into alternatives that OR (see ArgSplit).
std::vector<Alternative> Resolver::split(const std::vector<Condition>& conds) const {
  std::map<std::uint8_t, std::vector<std::size_t>> by_index;
  for (std::size_t k = 0; k < conds.size(); ++k) by_index[conds[k].arg].push_back(k);
  const bool repeated =
      std::any_of(by_index.begin(), by_index.end(), [](const auto& kv) { return kv.second.size() > 1; });
  if (!repeated) {
    Alternative all;
    all.conditions = conds;
    for (std::size_t k = 0; k < conds.size(); ++k) all.arg_positions.push_back(k);
    return {all};
  }
  std::vector<Alternative> out;
  if (options_.arg_split == ArgSplit::Runtime) {
    for (std::size_t k = 0; k < conds.size(); ++k) out.push_back({{conds[k]}, {k}});
    return out;
  }
  // Product: one condition from each index (a single one where the index is
  // not repeated), in args order within each alternative.
  out.push_back({});
  for (const auto& [index, ks] : by_index) {
    std::vector<Alternative> next;
    for (const auto& partial : out) {
      for (std::size_t k : ks) {
        Alternative a = partial;
        a.arg_positions.push_back(k);
        next.push_back(std::move(a));
      }
    }
    out = std::move(next);
  }
  for (auto& a : out) {
    std::sort(a.arg_positions.begin(), a.arg_positions.end());
    for (std::size_t k : a.arg_positions) a.conditions.push_back(conds[k]);
  }
  return out;
}

void Resolver::report_unknown_names() {
  if (unknown_order_.empty()) return;
  std::vector<std::string> arches;
  for (Arch a : out_.policy.arches) arches.emplace_back(arch_name(a));
  const auto everywhere = all_syscall_names();
  std::vector<std::string> items;
  for (const auto& n : unknown_order_) {
    out_.unknown_syscalls.push_back(n);
    // A name some other arch has is not a typo; only suggest for names no
    // arch knows.
    const bool known_somewhere = std::binary_search(everywhere.begin(), everywhere.end(), std::string_view(n));
    items.push_back(known_somewhere ? n : n + suggestion_suffix(n, everywhere));
  }
  const std::string msg = fmt::format("{} syscall name{} not on {} {} skipped: {}", items.size(),
                                      items.size() == 1 ? " is" : "s are", join(arches, ", "),
                                      items.size() == 1 ? "and is" : "and are", join(items, ", "));
  const std::string& first = unknown_first_ptr_.at(unknown_order_.front());
  if (options_.strict) messages_.fail(first, msg + " (an error with strict)");
  warn("", msg);
}

}  // namespace

OciProfile resolve_oci(const ParsedOci& parsed, const OciMessages& messages, const OciResolveOptions& options) {
  return Resolver(parsed, messages, options).run();
}

}  // namespace seccage::profile_detail
