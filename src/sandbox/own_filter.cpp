#include "sandbox/own_filter.hpp"

#include <algorithm>
#include <cstring>

#include "sandbox/proc.hpp"
#include "seccage/error.hpp"

namespace seccage::sandbox {
namespace {

constexpr std::uint32_t kSeccompSetModeFilter = 1;  // SECCOMP_SET_MODE_FILTER
constexpr std::uint32_t kPrSetSeccomp = 22;         // PR_SET_SECCOMP
constexpr std::uint64_t kSeccompModeFilter = 2;     // SECCOMP_MODE_FILTER

bool is_kill(const Action& a) { return a.kind == ActionKind::KillProcess || a.kind == ActionKind::KillThread; }

// Whether the policy kills `nr` for any arguments: a case or the fallthrough.
bool policy_kills(const Decision& d) {
  return is_kill(d.otherwise) || std::any_of(d.cases.begin(), d.cases.end(), [](const DecisionCase& c) { return is_kill(c.action); });
}

}  // namespace

bool installs_filter(const std::string& name, const std::array<std::uint64_t, 6>& args) {
  // A NULL program is a probe (libseccomp asks the kernel which flags it
  // knows that way): the kernel answers EFAULT and installs nothing.
  if (args[2] == 0) return false;
  if (name == "seccomp") return static_cast<std::uint32_t>(args[0]) == kSeccompSetModeFilter;
  if (name == "prctl") return static_cast<std::uint32_t>(args[0]) == kPrSetSeccomp && args[1] == kSeccompModeFilter;
  return false;
}

std::optional<bpf::Program> read_installing_filter(pid_t tid, Arch arch, const std::array<std::uint64_t, 6>& args) {
  // struct sock_fprog as a 64-bit process lays it out: a 16-bit length,
  // padding, then the pointer at offset 8.
  if (arch != native_arch() || !arch_info(arch).is_64bit) return std::nullopt;
  // seccomp(2) and prctl(2) both take it as their third argument.
  const std::uint64_t fprog_addr = args[2];
  auto header = read_memory(tid, fprog_addr, 16, false);
  if (!header || header->size() != 16) return std::nullopt;
  std::uint16_t len = 0;
  std::uint64_t insns = 0;
  std::memcpy(&len, header->data(), sizeof len);
  std::memcpy(&insns, header->data() + 8, sizeof insns);
  if (len == 0 || len > bpf::kMaxInsns) return std::nullopt;
  auto bytes = read_memory(tid, insns, std::size_t{len} * sizeof(bpf::Insn), false);
  if (!bytes || bytes->size() != std::size_t{len} * sizeof(bpf::Insn)) return std::nullopt;
  bpf::Program p(len);
  std::memcpy(p.data(), bytes->data(), bytes->size());
  if (bpf::verify(p)) return std::nullopt;  // the kernel refuses it too
  return p;
}

void find_outranked_kills(const bpf::Program& filter, const Classifier& policy, Arch arch, OwnFilter& out) {
  const ArchDecisions& decisions = policy.evaluator().decisions(arch);
  for (const auto& [nr, decision] : decisions.by_number) {
    if (!policy_kills(decision)) continue;
    bpf::SeccompData data;
    data.nr = static_cast<std::int32_t>(nr);
    data.arch = arch_info(arch).audit_arch;
    bpf::EmuResult r;
    try {
      r = bpf::emulate(filter, data);
    } catch (const Error&) {
      return;  // a program the kernel would not run either
    }
    const ActionKind k = r.action.kind;
    const bool outranks = k == ActionKind::Errno || k == ActionKind::Trap;
    // An answer that depends on the arguments may outrank for other values.
    const bool depends = r.read_args || r.read_ip;
    if (!outranks && !depends) continue;
    auto name = syscall_name(arch, nr);
    out.outranks_kills.push_back(name ? std::string(*name) : "#" + std::to_string(nr));
    if (depends) out.exact = false;
  }
}

}  // namespace seccage::sandbox
