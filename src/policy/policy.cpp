// The policy model's small pieces: conditions, names, the fluent Filter and
// validate(). The meaning of a policy is in semantics.cpp.
#include "seccage/policy.hpp"

#include <algorithm>
#include <array>
#include <span>

#include <fmt/core.h>

#include "policy/validate.hpp"
#include "seccage/error.hpp"

namespace seccage {
namespace {

std::string number(std::uint64_t v) {
  // Small values read best in decimal (fds, flags counts); large ones are
  // almost always bit patterns or boundaries, clearer in hex; small negative
  // ones (AT_FDCWD = -100) as written in C. The text language reads all three.
  if (v >= (std::uint64_t{1} << 63) && ~v + 1 <= 0xffff) return fmt::format("-{}", ~v + 1);
  return v < 0x10000 ? fmt::format("{}", v) : fmt::format("{:#x}", v);
}

}  // namespace

std::uint64_t Condition::view(std::uint64_t argument) const {
  switch (width) {
    case ArgWidth::U64: return argument;
    case ArgWidth::U32: return static_cast<std::uint32_t>(argument);
    case ArgWidth::S32:
      return static_cast<std::uint64_t>(std::int64_t{static_cast<std::int32_t>(static_cast<std::uint32_t>(argument))});
  }
  return argument;
}

bool Condition::matches(std::uint64_t raw) const {
  const std::uint64_t argument = view(raw);
  switch (op) {
    case CmpOp::EQ: return argument == value;
    case CmpOp::NE: return argument != value;
    case CmpOp::LT: return argument < value;
    case CmpOp::LE: return argument <= value;
    case CmpOp::GT: return argument > value;
    case CmpOp::GE: return argument >= value;
    // libseccomp masks the operand too: bits outside the mask are dropped.
    case CmpOp::MaskedEq: return (argument & mask) == (value & mask);
  }
  return false;
}

std::string Condition::to_string() const {
  const char* sym = "==";
  switch (op) {
    case CmpOp::EQ: sym = "=="; break;
    case CmpOp::NE: sym = "!="; break;
    case CmpOp::LT: sym = "<"; break;
    case CmpOp::LE: sym = "<="; break;
    case CmpOp::GT: sym = ">"; break;
    case CmpOp::GE: sym = ">="; break;
    case CmpOp::MaskedEq:
      return fmt::format("arg{} & {:#x} == {}", arg, mask, number(value));
  }
  return fmt::format("arg{} {} {}", arg, sym, number(value));
}

std::span<const std::string_view> runtime_filter_flag_names() {
  // The flags the runtime spec lists and runc/crun accept. The kernel's
  // NEW_LISTENER and TSYNC_ESRCH are set by the runtimes themselves when they
  // need them and are refused in a profile.
  static constexpr std::array<std::string_view, 4> kNames = {
      "SECCOMP_FILTER_FLAG_TSYNC",
      "SECCOMP_FILTER_FLAG_LOG",
      "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
      "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
  };
  return kNames;
}

std::string to_string(const SyscallRef& ref) {
  if (const auto* name = std::get_if<std::string>(&ref)) return *name;
  return fmt::format("#{}", std::get<std::uint32_t>(ref));
}

std::vector<Arch> Policy::effective_arches() const {
  if (arches.empty()) return {native_arch()};
  std::vector<Arch> out;
  for (Arch a : arches) {
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  }
  return out;
}

Filter::Filter(Action default_action) { policy_.default_action = default_action; }

Filter& Filter::arch(Arch a) {
  policy_.arches.push_back(a);
  return *this;
}

Filter& Filter::add(Action action, SyscallRef syscall, std::vector<Condition> conditions) {
  policy_.rules.push_back(Rule{std::move(syscall), action, std::move(conditions), {}});
  apply_kernel_widths(policy_.rules.back());
  return *this;
}

namespace {

// `where_of()` names the action's place; it is only called to report an
// error (policies have hundreds of rules, and naming one allocates).
template <class Where>
void check_action(const Action& a, const Where& where_of) {
  if (a.kind == ActionKind::Errno && a.data > 4095)
    throw InputError(fmt::format("{}: ERRNO({}) is above 4095, the largest errno the kernel returns", where_of(), a.data));
}

// A name applies on an arch when the arch's table has it, or when the arch
// reaches it through socketcall/ipc.
bool name_applies(Arch arch, std::span<const std::uint32_t> numbers, std::uint32_t id) {
  if (numbers[id] != kNoSyscall) return true;
  auto mux = multiplexed_call_by_id(id);
  return mux && syscall_number(arch, mux->via).has_value();
}

}  // namespace

void validate(const Policy& policy) { (void)validated_name_ids(policy); }

std::vector<std::uint32_t> validated_name_ids(const Policy& policy) {
  std::vector<std::uint32_t> ids(policy.rules.size(), kNoNameId);
  check_action(policy.default_action, [] { return "default action"; });
  check_action(policy.bad_arch_action, [] { return "bad-arch action"; });
  const std::vector<Arch> arches = policy.effective_arches();
  std::vector<std::span<const std::uint32_t>> numbers;  // by arch, then name id
  for (Arch a : arches) numbers.push_back(syscall_numbers_by_id(a));
  for (std::size_t i = 0; i < policy.rules.size(); ++i) {
    const Rule& rule = policy.rules[i];
    // Only errors need the rule's description.
    auto where_of = [&] { return rule_origin(rule, i); };
    check_action(rule.action, where_of);
    std::array<bool, 6> seen{};
    for (const Condition& c : rule.conditions) {
      if (c.arg > 5)
        throw InputError(fmt::format("{}: argument index {} is out of range (syscalls have arguments 0 to 5)", where_of(),
                                     static_cast<unsigned>(c.arg)));
      // libseccomp refuses a second condition on one argument (EINVAL); runc
      // and crun split such conditions into alternative rules. Keeping one per
      // argument keeps seccage's meaning identical to libseccomp's.
      if (seen[c.arg])
        throw InputError(fmt::format(
            "{}: two conditions on arg{} in one rule; libseccomp allows one condition per argument. "
            "Write them as separate rules (they then OR), or combine them into one comparison",
            where_of(), static_cast<unsigned>(c.arg)));
      seen[c.arg] = true;
    }
    if (const auto* name = std::get_if<std::string>(&rule.syscall)) {
      const std::uint32_t id = find_syscall_name_id(*name);
      bool known = false;
      for (std::size_t a = 0; id != kNoSyscall && !known && a < arches.size(); ++a)
        known = name_applies(arches[a], numbers[a], id);
      if (known) ids[i] = id;
      if (!known) {
        // resolve_syscall throws with a did-you-mean when the name is a typo;
        // when it is a real syscall of other arches, say so.
        if (id == kNoSyscall) {
          try {
            (void)resolve_syscall(arches.front(), *name);
          } catch (const InputError& e) {
            throw InputError(fmt::format("{}: {}", where_of(), e.what()));
          }
        }
        std::string list;
        for (Arch a : arches) list += (list.empty() ? "" : ", ") + std::string(arch_name(a));
        throw InputError(fmt::format("{}: syscall '{}' does not exist on {}", where_of(), *name, list));
      }
    }
  }
  return ids;
}

}  // namespace seccage
