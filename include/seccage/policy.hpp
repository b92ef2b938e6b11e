// The policy model: what a filter decides, independent of how it is written
// (text language, OCI JSON, C API) or compiled. Value types throughout.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "seccage/action.hpp"
#include "seccage/arch.hpp"

namespace seccage {

enum class CmpOp : std::uint8_t { EQ, NE, LT, LE, GT, GE, MaskedEq };

// libseccomp's SCMP_CMP_* names, as OCI profiles and lxc spell them: the one
// table every reader, writer and lint uses. In libseccomp's order (NE first),
// which is also the order suggestions are made in.
std::span<const std::string_view> scmp_cmp_names();
std::string_view scmp_cmp_name(CmpOp op);
// Exact match, as runc compares them; nullopt when unknown.
std::optional<CmpOp> cmp_op_from_scmp_name(std::string_view name);

// How much of the 64-bit argument a condition looks at. The kernel reads an
// `int` or `unsigned int` argument as its low 32 bits: write(0x100000002, ..)
// writes to fd 2. A condition of width S32 or U32 first turns the argument
// into what the kernel uses (the low word, sign- or zero-extended to 64 bits)
// and then compares as usual, so no value of the upper half can sidestep it.
// U64 is libseccomp's meaning (and OCI's); seccage's own forms pick the width
// from the syscall's signature (docs/semantics.md, "32-bit arguments").
enum class ArgWidth : std::uint8_t {
  U64,  // all 64 bits
  U32,  // the low word, zero-extended (unsigned int, u32, uid_t)
  S32,  // the low word, sign-extended (int, pid_t)
};

// A test on one syscall argument. For MaskedEq: (x & mask) == value; for the
// others `mask` is unused. x is the argument as `width` reads it; all
// comparisons are unsigned 64-bit, as in libseccomp.
struct Condition {
  std::uint8_t arg = 0;  // 0..5
  CmpOp op = CmpOp::EQ;
  std::uint64_t value = 0;
  std::uint64_t mask = 0;
  ArgWidth width = ArgWidth::U64;

  bool matches(std::uint64_t argument) const;
  // The argument as this condition reads it (sign- or zero-extended low word).
  std::uint64_t view(std::uint64_t argument) const;
  // "arg0 != 1", "arg2 & 0x4 == 0"; the width is not shown (the text form
  // implies it from the syscall, see text_writer.cpp).
  std::string to_string() const;
  friend bool operator==(const Condition&, const Condition&) = default;
};

// Builders: seccage::arg(0) != 1, (seccage::arg(2) & PROT_EXEC) == 0
struct ArgRef {
  std::uint8_t index;
};
struct MaskedArgRef {
  std::uint8_t index;
  std::uint64_t mask;
};
constexpr ArgRef arg(std::uint8_t index) { return {index}; }
constexpr Condition operator==(ArgRef a, std::uint64_t v) { return {a.index, CmpOp::EQ, v, 0, ArgWidth::U64}; }
constexpr Condition operator!=(ArgRef a, std::uint64_t v) { return {a.index, CmpOp::NE, v, 0, ArgWidth::U64}; }
constexpr Condition operator<(ArgRef a, std::uint64_t v) { return {a.index, CmpOp::LT, v, 0, ArgWidth::U64}; }
constexpr Condition operator<=(ArgRef a, std::uint64_t v) { return {a.index, CmpOp::LE, v, 0, ArgWidth::U64}; }
constexpr Condition operator>(ArgRef a, std::uint64_t v) { return {a.index, CmpOp::GT, v, 0, ArgWidth::U64}; }
constexpr Condition operator>=(ArgRef a, std::uint64_t v) { return {a.index, CmpOp::GE, v, 0, ArgWidth::U64}; }
constexpr MaskedArgRef operator&(ArgRef a, std::uint64_t mask) { return {a.index, mask}; }
constexpr Condition operator==(MaskedArgRef a, std::uint64_t v) { return {a.index, CmpOp::MaskedEq, v, a.mask, ArgWidth::U64}; }

// A syscall by name (resolved per arch; a name missing on an arch does not
// apply there) or by number (taken as it is on every arch of the policy).
using SyscallRef = std::variant<std::string, std::uint32_t>;
std::string to_string(const SyscallRef& ref);

// Where a rule was written, as the front end that read it knows it, so that
// lint, reports and learn read fields instead of taking a string apart. Each
// front end fills what it knows and leaves the rest empty (or 0):
//   text language, minijail: file, line, column
//   lxc:                     file, line (its lines have no column to point at)
//   OCI / SPO JSON:          file, json_pointer (and json_args for a split rule)
//   `seccage run` options:   option, the option as written
//   presets, guards, learn:  name, the built-in source
// to_string() is the text messages and reports have always shown
// ("profile.json:/syscalls/3", "file.policy:12:5", "--kill write:arg0!=1").
struct RuleOrigin {
  RuleOrigin() = default;
  // A plain string is a named origin: code that gave Rule a string origin
  // (the API before RuleOrigin) keeps compiling and showing the same text.
  // Front ends that read a file use in_text() or in_json() instead.
  RuleOrigin(const char* source_name) : name(source_name) {}             // NOLINT(google-explicit-constructor)
  RuleOrigin(std::string source_name) : name(std::move(source_name)) {}  // NOLINT(google-explicit-constructor)

  std::string file;                  // the profile, as named to the loader ("stdin" for standard input)
  unsigned line = 0;                 // 1-based; 0 = not known
  unsigned column = 0;               // 1-based; 0 = not known
  std::string json_pointer;          // the syscalls[] entry, from the document's root ("/linux/seccomp/syscalls/3")
  std::vector<unsigned> json_args;   // the entry's args[] this rule keeps when the entry was split; empty = all
  std::string option;                // a rule option as written ("--kill write:arg0!=1")
  std::string name;                  // a source that is not a file ("preset stdio: exit", "io_uring guard: ...")

  static RuleOrigin in_text(std::string file, unsigned line, unsigned column = 0);
  static RuleOrigin in_json(std::string file, std::string json_pointer, std::vector<unsigned> json_args = {});
  static RuleOrigin from_option(std::string option);
  static RuleOrigin named(std::string name);

  bool empty() const;
  // "file:line:column", "file:line", "file:/pointer[/args/0+1]", the option
  // or the name; "" when empty.
  std::string to_string() const;
  // A JSON pointer to the place in the document (the entry, or its one arg
  // when the rule keeps only one); "" for origins outside JSON.
  std::string json_location() const;

  friend bool operator==(const RuleOrigin&, const RuleOrigin&) = default;
  friend auto operator<=>(const RuleOrigin&, const RuleOrigin&) = default;
};

struct Rule {
  SyscallRef syscall;
  Action action;
  std::vector<Condition> conditions;  // AND; empty = unconditional
  RuleOrigin origin;                  // where it was written, for reports (not part of equality)
  friend bool operator==(const Rule& a, const Rule& b) {
    return a.syscall == b.syscall && a.action == b.action && a.conditions == b.conditions;
  }
};

// Where a rule comes from, for messages: its origin's text when it has one,
// else "rule N (name)" with the number the caller counts by.
std::string rule_origin(const Rule& rule, std::size_t number);

// How the i386-style multiplexers (socketcall, ipc) are treated when a policy
// names a sub-call such as socket or semop.
enum class MultiplexMode : std::uint8_t {
  // libseccomp's way: a rule on `socket` becomes an unconditional rule on
  // socketcall(SYS_SOCKET) (its conditions cannot be checked behind the
  // pointer) and on the direct socket syscall where the arch has one.
  Compatible,
  // Conditions on sub-calls cannot be checked, so a conditional allow-rule on
  // a sub-call does not allow it through socketcall; only unconditional rules
  // carry over.
  Safe,
};

// What a container runtime takes from a profile besides the decisions: the
// filter flags and the user-notification listener (OCI `flags`,
// `listenerPath`, `listenerMetadata`). The compiler ignores them; every
// reader and writer carries them, so no format conversion loses them.
struct RuntimeSettings {
  std::vector<std::string> flags;            // "SECCOMP_FILTER_FLAG_LOG", ..., as written
  std::optional<std::string> listener_path;  // where the runtime sends the listener fd
  std::string listener_metadata;             // passed to the agent as is
  friend bool operator==(const RuntimeSettings&, const RuntimeSettings&) = default;
};

// The SECCOMP_FILTER_FLAG_* names runc and crun accept in a profile.
std::span<const std::string_view> runtime_filter_flag_names();

struct Policy {
  Action default_action = Action::kill_process();
  std::vector<Arch> arches;            // empty = the native arch
  std::vector<Rule> rules;
  Action bad_arch_action = Action::kill_process();  // for ABIs not in `arches`
  // Syscall numbers the table does not know for an arch (newer than seccage)
  // get ENOSYS when the default action denies, so libc falls back as on an old
  // kernel. Off: they get the default action.
  bool enosys_for_unknown = true;
  // Safe for every input (text, OCI, presets, Filter): never lets more
  // through a multiplexer than the conditions allow. Compatible only when
  // asked (matching libseccomp is then the point).
  MultiplexMode multiplex = MultiplexMode::Safe;
  RuntimeSettings runtime;

  // The arches the policy applies to (`arches`, or the native one).
  std::vector<Arch> effective_arches() const;
};

// A rule that libseccomp would refuse, and that seccage's semantics therefore
// leave without effect (see docs/semantics.md, "Refused rules").
struct RefusedRule {
  int rule = -1;       // index into Policy::rules
  int error = 0;       // libseccomp's answer: -EEXIST, or -ELOOP where it would never finish
  std::string reason;  // "on x86_64 the same comparisons already lead to another action"
};

// Every rule libseccomp would refuse for this policy, with the reason.
std::vector<RefusedRule> refused_rules(const Policy& policy);

// Puts `later` over `policy` as statements written after it, the text
// language's "later statements win": where a rule of `later` matches, its
// action wins over the policy and over earlier rules of `later`; every other
// call keeps what the policy decided. The syscalls `later` names are
// rewritten as rules that never overlap. Throws InputError when the policy's
// own rules on such a syscall are no order (conditional rules with different
// actions that overlap: libseccomp's precedence decides those), or when one
// argument is compared with two widths. `seccage run`'s rule options use it.
void apply_later_rules(Policy& policy, std::span<const Rule> later);

// The fluent form of the seed's libseccomp example:
//   seccage::Filter f(seccage::Action::allow());
//   f.add(seccage::Action::kill_process(), "write", {seccage::arg(0) != 1});
//   f.load();
class Filter {
 public:
  explicit Filter(Action default_action);
  Filter& arch(Arch a);
  // Conditions on arguments the kernel reads as 32 bits (fds, most flags;
  // see syscall_arg_width()) get that width, as in the text language: the
  // rule decides on what the kernel uses. Add to policy().rules directly for
  // libseccomp's 64-bit meaning.
  Filter& add(Action action, SyscallRef syscall, std::vector<Condition> conditions = {});
  const Policy& policy() const { return policy_; }
  Policy& policy() { return policy_; }
  // Compiles, verifies and installs on the calling thread (NO_NEW_PRIVS set).
  void load() const;

 private:
  Policy policy_;
};

// How the kernel reads argument `arg` (0..5) of the named syscall: S32 for
// `int` (and pid_t, clockid_t, key_serial_t), U32 for `unsigned int` (and u32,
// uid_t, gid_t, umode_t), U64 for long, size_t, pointers, and for every
// syscall or argument the table (src/policy/arg_types.cpp) does not list.
ArgWidth syscall_arg_width(std::string_view syscall, unsigned arg);
// Gives each U64 condition of a rule by name the width the kernel reads its
// argument with: what seccage's own policy forms do. Rules by number keep
// 64-bit meaning (the table is by name).
void apply_kernel_widths(Rule& rule);

// Throws InputError when a rule is malformed: arg index above 5, an ERRNO
// above 4095, a syscall name unknown on every arch of the policy.
void validate(const Policy& policy);

// What the policy decides for one syscall as a filter would see it: the
// reference semantics that the compiler must reproduce (docs/semantics.md).
Action evaluate(const Policy& policy, std::uint32_t audit_arch, std::int32_t nr, const std::uint64_t (&args)[6]);

}  // namespace seccage
