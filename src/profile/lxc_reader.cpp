// LXC seccomp configs (lxc.seccomp.profile), read as lxc's src/lxc/seccomp.c
// builds its libseccomp filter. docs/formats.md lists each construct.
//
//   2
//   denylist errno 38          <- policy style and default action
//   [all]
//   kexec_load errno 1         <- name, action, then up to 6 [arg] conditions
//   ioctl errno 1 [1,0x5412,SCMP_CMP_EQ]
//   [x86]
//   ...
//
// Version 1 is an allowlist of syscall numbers, one per line.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

#include <fmt/format.h>

#include "profile/suggest.hpp"
#include "seccage/error.hpp"
#include "seccage/formats.hpp"

namespace seccage {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(pos, end - pos);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    out.push_back(l);
    pos = end + 1;
  }
  return out;
}

// The arches lxc's filter holds on a host: the host's and the compat ABIs it
// adds contexts for (get_new_ctx in seccomp.c).
std::vector<Arch> lxc_filter_arches(Arch host) {
  switch (host) {
    case Arch::x86_64: return {Arch::x86_64, Arch::i386, Arch::x32};
    case Arch::aarch64: return {Arch::aarch64, Arch::arm};
    case Arch::ppc64: return {Arch::ppc64, Arch::ppc};
    case Arch::mips64: return {Arch::mips64, Arch::mips64n32, Arch::mips};
    case Arch::mips64el: return {Arch::mips64el, Arch::mipsel64n32, Arch::mipsel};
    default: return {host};
  }
}

struct Section {
  std::string_view name;
  // The hosts on which lxc reads the section's lines (others skip them).
  std::vector<Arch> hosts;
};

// lxc's section names (exact, lower or upper case); [all] applies everywhere.
const std::vector<Section>& sections() {
  static const std::vector<Section> s = {
      {"x86", {Arch::i386, Arch::x86_64}},
      {"x32", {Arch::x86_64}},
      {"x86_64", {Arch::x86_64}},
      {"arm", {Arch::arm, Arch::aarch64}},
      {"arm64", {Arch::aarch64}},
      {"ppc64le", {Arch::ppc64le}},
      {"ppc64", {Arch::ppc64}},
      {"ppc", {Arch::ppc, Arch::ppc64}},
      {"mips64", {Arch::mips64}},
      {"mips64n32", {Arch::mips64}},
      {"mips", {Arch::mips, Arch::mips64}},
      {"mipsel64", {Arch::mips64el}},
      {"mipsel64n32", {Arch::mips64el}},
      {"mipsel", {Arch::mipsel, Arch::mips64el}},
      {"s390x", {Arch::s390x}},
      {"s390", {Arch::s390}},
  };
  return s;
}

class LxcReader {
 public:
  LxcReader(std::string_view source, const ForeignPolicyOptions& options, ForeignPolicy& out)
      : source_(source), options_(options), out_(out) {
    out_.files.emplace_back(source);
    out_.policy.arches = options.arches.empty() ? lxc_filter_arches(options.host_arch) : options.arches;
    // libseccomp's defaults, which lxc keeps: SCMP_ACT_KILL (the thread) for
    // other arches, and no ENOSYS for numbers it does not know.
    out_.policy.bad_arch_action = Action::kill_thread();
    out_.policy.enosys_for_unknown = false;
  }

  void run(std::string_view text) {
    const auto lines = split_lines(text);
    const std::string_view version = lines.empty() ? "" : trim(lines[0]);
    if (version != "1" && version != "2")
      fail(1, fmt::format("the first line must be the version, 1 or 2; found '{}'", version));
    if (lines.size() < 2) fail(2, "missing the policy line (allowlist, denylist) after the version");
    const std::string_view style = trim(lines[1]);
    if (style.find("debug") != std::string_view::npos) fail(2, "'debug' is not implemented by lxc either");
    if (version == "1") {
      if (style.find("allowlist") == std::string_view::npos && style.find("whitelist") == std::string_view::npos)
        fail(2, "version 1 supports only 'allowlist' policies");
      out_.policy.default_action = Action::kill_thread();
      // Version 1 adds its rules to libseccomp's native context only.
      if (options_.arches.empty()) out_.policy.arches = {options_.host_arch};
      for (std::size_t i = 2; i < lines.size(); ++i) v1_line(i + 1, lines[i]);
      return;
    }
    header(style);
    bool applies = true;
    for (std::size_t i = 2; i < lines.size(); ++i) {
      line_ = i + 1;
      std::string_view l = lines[i];
      while (!l.empty() && (l.back() == ' ' || l.back() == '\t')) l.remove_suffix(1);
      if (l.empty() || l.front() == '#') continue;
      if (l.front() == '[') {
        applies = section(l);
        continue;
      }
      if (applies) rule_line(l);
    }
  }

 private:
  [[noreturn]] void fail(std::size_t line, const std::string& message) const {
    throw InputError(fmt::format("{}:{}: LXC: {}", source_, line, message));
  }
  [[noreturn]] void fail(const std::string& message) const { fail(line_, message); }
  void warn(const std::string& message) { out_.warnings.push_back(fmt::format("{}:{}: LXC: {}", source_, line_, message)); }

  void v1_line(std::size_t line, std::string_view l) {
    // lxc reads each line with sscanf("%d") and stops with an error at the
    // first that is not a number.
    const std::string_view t = trim(l);
    std::uint32_t nr = 0;
    const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), nr);
    if (ec != std::errc() || p != t.data() + t.size())
      fail(line, fmt::format("version 1 lines are syscall numbers; found '{}'", t));
    out_.policy.rules.push_back(Rule{nr, Action::allow(), {}, RuleOrigin::in_text(source_, static_cast<unsigned>(line))});
  }

  void header(std::string_view style) {
    const bool deny = style.starts_with("denylist") || style.starts_with("blacklist");
    if (!deny && !style.starts_with("allowlist") && !style.starts_with("whitelist"))
      fail(2, fmt::format("expected 'allowlist' or 'denylist' (or the older whitelist, blacklist); found '{}'", style));
    // The default for syscalls with no rule, and the action of a rule line
    // that names none.
    out_.policy.default_action = deny ? Action::allow() : Action::kill_thread();
    rule_default_ = deny ? Action::kill_thread() : Action::allow();
    line_ = 2;
    if (auto space = style.find(' '); space != std::string_view::npos) {
      if (auto a = action(trim(style.substr(space + 1)))) out_.policy.default_action = *a;
    }
  }

  // lxc's get_v2_default_action: kill, errno N, allow, trap, notify. nullopt
  // for nothing; anything else is an error.
  std::optional<Action> action(std::string_view s) {
    if (s.empty() || s.front() == '#') return std::nullopt;
    const std::string_view word = s.substr(0, s.find_first_of(" \t"));
    if (word == "kill") return Action::kill_thread();
    if (word == "allow") return Action::allow();
    if (word == "trap") return Action::trap();
    if (word == "notify") {
      warn("notify sends calls to the seccomp proxy lxc.seccomp.notify.proxy names; seccage run has no such agent");
      return Action::user_notif();
    }
    if (word == "errno") {
      const std::string_view rest = trim(s.substr(word.size()));
      const std::string_view num = rest.substr(0, rest.find_first_of(" \t"));
      int e = -1;
      const auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), e);
      if (ec != std::errc() || p != num.data() + num.size() || e < 0 || e > 4095)
        fail(fmt::format("errno needs a number from 0 to 4095; found '{}'", num));
      return Action::errno_(static_cast<std::uint16_t>(e));
    }
    fail(fmt::format("unknown action '{}' (lxc accepts kill, errno N, allow, trap, notify)", word));
  }

  bool section(std::string_view l) {
    const std::string_view inner = l.substr(1, l.size() > 2 && l.back() == ']' ? l.size() - 2 : l.size() - 1);
    std::string lower(inner);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) { return char(std::tolower(c)); });
    const bool lxc_spelling = std::string(inner) == lower ||
                              std::all_of(inner.begin(), inner.end(), [](char c) { return !std::islower(c); });
    if (l.back() == ']' && lxc_spelling) {
      if (lower == "all") return true;
      for (const Section& s : sections()) {
        if (s.name != lower) continue;
        const bool here = std::find(s.hosts.begin(), s.hosts.end(), options_.host_arch) != s.hosts.end();
        if (here && lower != "all")
          warn(fmt::format("lxc adds the rules under [{}] to every arch of its filter, not only to {}; seccage "
                           "does the same",
                           inner, inner));
        return here;
      }
    }
    std::vector<std::string_view> names{"all"};
    for (const Section& s : sections()) names.push_back(s.name);
    fail(fmt::format("unsupported architecture section '{}'{}{}", l, lower == "i386" ? " (lxc calls it [x86])" : "",
                     lower == "i386" ? "" : profile_detail::suggestion_suffix(lower, names)));
  }

  void rule_line(std::string_view l);
  Condition argument(std::string_view spec);

  std::string source_;
  const ForeignPolicyOptions& options_;
  ForeignPolicy& out_;
  std::size_t line_ = 2;
  Action rule_default_ = Action::allow();
};

// "[index,value,op]" or "[index,value,op,mask]" as lxc's sscanf reads them;
// op is SCMP_CMP_* or the symbols != < <= == >= > &=.
Condition LxcReader::argument(std::string_view spec) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = spec.find(',', start);
    parts.emplace_back(trim(spec.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (parts.size() != 3 && parts.size() != 4)
    fail(fmt::format("an argument condition is [index,value,op] or [index,value,op,mask]; found '[{}]'", spec));
  auto number = [&](const std::string& s, std::string_view what) {
    std::uint64_t v = 0;
    std::string_view d = s;
    int base = 10;
    if (d.starts_with("0x") || d.starts_with("0X")) base = 16, d.remove_prefix(2);
    else if (d.size() > 1 && d.front() == '0') base = 8, d.remove_prefix(1);
    const auto [p, ec] = std::from_chars(d.data(), d.data() + d.size(), v, base);
    if (d.empty() || ec != std::errc() || p != d.data() + d.size())
      fail(fmt::format("the argument {} '{}' is not an unsigned 64-bit number", what, s));
    return v;
  };
  const std::uint64_t index = number(parts[0], "index");
  if (index > 5) fail(fmt::format("argument index {} is out of range (0 to 5)", index));
  // lxc's own symbols; the SCMP_CMP_* names come from the one table.
  static const std::map<std::string, CmpOp, std::less<>> symbols = {
      {"!=", CmpOp::NE}, {"<", CmpOp::LT}, {"<=", CmpOp::LE}, {"==", CmpOp::EQ},
      {">=", CmpOp::GE}, {">", CmpOp::GT}, {"&=", CmpOp::MaskedEq}};
  std::optional<CmpOp> op = cmp_op_from_scmp_name(parts[2]);
  if (auto sym = symbols.find(parts[2]); !op && sym != symbols.end()) op = sym->second;
  if (!op) fail(fmt::format("unknown comparison '{}' (SCMP_CMP_EQ, ==, SCMP_CMP_MASKED_EQ, &=, ...)", parts[2]));
  Condition c{static_cast<std::uint8_t>(index), *op, number(parts[1], "value"), 0, ArgWidth::U64};
  // lxc passes (mask, value) to libseccomp for MASKED_EQ: (arg & mask) == value.
  if (*op == CmpOp::MaskedEq) c.mask = parts.size() == 4 ? number(parts[3], "mask") : 0;
  return c;
}

void LxcReader::rule_line(std::string_view l) {
  // lxc lines have no column worth pointing at: the rule is the line.
  const RuleOrigin origin = RuleOrigin::in_text(source_, static_cast<unsigned>(line_));
  const std::size_t space = l.find(' ');
  const std::string name(l.substr(0, space));
  const std::string_view rest = space == std::string_view::npos ? "" : trim(l.substr(space + 1));
  if (name == "reject_force_umount") {
    // lxc's shorthand: umount2(..., MNT_FORCE) fails with EACCES.
    out_.policy.rules.push_back(
        Rule{std::string("umount2"), Action::errno_(13), {Condition{1, CmpOp::MaskedEq, 1, 1, ArgWidth::U64}}, origin});
    return;
  }
  if (!rest.empty() && rest.front() == '[')
    fail("an argument condition needs the action before it ('name errno 1 [0,1,SCMP_CMP_EQ]'), as lxc reads it");
  const Action act = action(rest).value_or(rule_default_);
  std::vector<Condition> conds;
  for (std::size_t open = rest.find('['); open != std::string_view::npos; open = rest.find('[', open + 1)) {
    const std::size_t close = rest.find(']', open);
    if (close == std::string_view::npos) fail("an argument condition is missing its ']'");
    if (conds.size() == 6) fail("more than 6 argument conditions (lxc reads at most 6)");
    conds.push_back(argument(rest.substr(open + 1, close - open - 1)));
    for (std::size_t k = 0; k + 1 < conds.size(); ++k)
      if (conds[k].arg == conds.back().arg)
        fail(fmt::format("two conditions on argument {}: libseccomp refuses the rule, so lxc fails to start the "
                         "container",
                         conds.back().arg));
  }
  if (act == out_.policy.default_action)
    fail(fmt::format("the action of '{}' is the default action: libseccomp refuses such a rule, so lxc fails to "
                     "start the container",
                     name));
  bool known = false;
  for (Arch a : out_.policy.arches) known = known || syscall_number(a, name).has_value();
  if (auto m = multiplexed_call(name))
    for (Arch a : out_.policy.arches) known = known || syscall_number(a, m->via).has_value();
  if (!known) {
    // lxc logs these and goes on.
    const auto everywhere = all_syscall_names();
    const bool elsewhere = std::binary_search(everywhere.begin(), everywhere.end(), std::string_view(name));
    warn(fmt::format("'{}' is not a syscall on any arch of the filter; lxc skips it{}", name,
                     elsewhere ? "" : profile_detail::suggestion_suffix(name, everywhere)));
    return;
  }
  out_.policy.rules.push_back(Rule{name, act, std::move(conds), origin});
}

}  // namespace

ForeignPolicy read_lxc_policy_text(std::string_view text, std::string_view source_name,
                                   const ForeignPolicyOptions& options) {
  ForeignPolicy out;
  LxcReader(source_name, options, out).run(text);
  return out;
}

ForeignPolicy read_foreign_policy_text(PolicyFormat format, std::string_view text, std::string_view source_name,
                                       const ForeignPolicyOptions& options) {
  if (format == PolicyFormat::Minijail) return read_minijail_policy_text(text, source_name, options);
  if (format == PolicyFormat::Lxc) return read_lxc_policy_text(text, source_name, options);
  throw InputError(fmt::format("{}: {} is not a line-based foreign format (read it with its own reader)", source_name,
                               policy_format_name(format)));
}

}  // namespace seccage
