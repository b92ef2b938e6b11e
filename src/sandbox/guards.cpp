#include "sandbox/guards.hpp"

#include <algorithm>
#include <cerrno>

#include "seccage/compiler.hpp"

namespace seccage::sandbox {
namespace {

constexpr std::uint32_t kTiocsti = 0x5412;
constexpr std::uint32_t kTioclinux = 0x541C;
constexpr std::uint32_t kTiocsetd = 0x5423;
// The virtual console's ioctl families (linux/kd.h 'K' 0x4B, linux/vt.h
// 0x56): one masked test each, not a dozen equality tests on every ioctl.
constexpr std::uint32_t kKdFamily = 0x4B00;
constexpr std::uint32_t kVtFamily = 0x5600;
constexpr std::uint32_t kFamilyMask = 0xffffff00u;

bool is_trap(const Action& a) { return a.kind == ActionKind::Trap; }

// What a guarded call gets in the supervised variant: the supervisor, unless
// the variant traps it (the kernel's TRAP outranks any errno, the guard's
// included, and only the kernel can raise the SIGSYS a handler expects).
Action to_supervisor(const Action& a) { return is_trap(a) ? a : Action::user_notif(); }

bool traps_somewhere(const Decision& d) {
  return is_trap(d.otherwise) || std::any_of(d.cases.begin(), d.cases.end(), [](const DecisionCase& c) { return is_trap(c.action); });
}

void guard_one(Decision& d, const Guard& g) {
  if (!g.ioctl_request) {
    // The whole syscall.
    if (!traps_somewhere(d)) {
      d = Decision{{}, Action::user_notif()};
      return;
    }
    for (DecisionCase& c : d.cases) c.action = to_supervisor(c.action);
    d.otherwise = to_supervisor(d.otherwise);
    return;
  }
  const WordTest request{1, false, g.request_mask == 0xffffffffu ? WordOp::EQ : WordOp::MaskedEq, *g.ioctl_request,
                         g.request_mask, true};
  std::vector<DecisionCase> guarded;
  if (traps_somewhere(d)) {
    // The request's share of the original decision, first match first, with
    // every outcome but a trap sent to the supervisor.
    for (const DecisionCase& c : d.cases) {
      DecisionCase copy = c;
      copy.tests.insert(copy.tests.begin(), request);
      copy.action = to_supervisor(c.action);
      guarded.push_back(std::move(copy));
    }
    guarded.push_back(DecisionCase{{request}, to_supervisor(d.otherwise), -1});
  } else {
    guarded.push_back(DecisionCase{{request}, Action::user_notif(), -1});
  }
  d.cases.insert(d.cases.begin(), guarded.begin(), guarded.end());
}

}  // namespace

const std::vector<Guard>& guards() {
  static const std::vector<Guard> all = [] {
    std::vector<Guard> g{
        {"ioctl", kTiocsti, "seccage: no terminal input injection (TIOCSTI)"},
        {"ioctl", kTioclinux, "seccage: no terminal input injection (TIOCLINUX)"},
        // A line discipline set on the caller's terminal outlives the run
        // (N_NULL leaves the user a terminal that discards everything), and
        // asking for one loads its module (n_gsm, n_hdlc: exploit routes).
        {"ioctl", kTiocsetd, "seccage: the terminal's line discipline stays (TIOCSETD)"},
        // On a virtual console the program shares with the user, these
        // outlive the run: raw keyboard mode or an emptied keymap leave a
        // console nobody can type on, a graphics display mode one nobody can
        // read, and a font or console switch stays. The getters go too: a
        // console program has no business here.
        {"ioctl", kKdFamily, "seccage: the virtual console stays as it is (KD* ioctls)", kFamilyMask},
        {"ioctl", kVtFamily, "seccage: the virtual console stays as it is (VT_* ioctls)", kFamilyMask},
    };
    // request_key with a callout makes the kernel run /sbin/request-key as
    // root of the host, in the host's namespaces, with the program's
    // arguments: a program started outside the sandbox (no-exec's promise
    // broken, and the host's helpers exposed to any user).
    g.push_back({"request_key", std::nullopt, "seccage: no key request upcalls (request_key)"});
    for (const char* name : {"mount", "umount", "umount2", "pivot_root", "move_mount", "open_tree", "open_tree_attr",
                             "fsopen", "fsmount", "fspick", "mount_setattr"})
      g.push_back({name, std::nullopt, "seccage: the sandbox's /proc stays (no mounting)"});
    return g;
  }();
  return all;
}

const Guard* guard_for(std::uint32_t audit_arch, std::uint32_t nr, const std::array<std::uint64_t, 6>& args) {
  const auto arch = arch_of_call(audit_arch, nr);
  if (!arch) return nullptr;
  const auto name = syscall_name(*arch, nr);
  if (!name) return nullptr;
  for (const Guard& g : guards()) {
    if (*name != g.syscall) continue;
    if (!g.ioctl_request || (static_cast<std::uint32_t>(args[1]) & g.request_mask) == *g.ioctl_request) return &g;
  }
  return nullptr;
}

std::vector<Arch> callable_arches(const Policy& policy) {
  std::vector<Arch> out = policy.effective_arches();
  std::vector<Arch> compat;
  if (native_arch() == Arch::x86_64) compat = {Arch::x86_64, Arch::i386, Arch::x32};
  if (native_arch() == Arch::aarch64) compat = {Arch::aarch64, Arch::arm};
  for (Arch a : compat)
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  return out;
}

void guard_decisions(std::vector<ArchDecisions>& decisions) {
  for (ArchDecisions& d : decisions) {
    for (const Guard& g : guards()) {
      const auto nr = syscall_number(d.arch, g.syscall);
      if (!nr) continue;
      auto it = std::find_if(d.by_number.begin(), d.by_number.end(), [&](const auto& e) { return e.first == *nr; });
      // Every number of the arch's table is listed (decision.hpp).
      if (it != d.by_number.end()) guard_one(it->second, g);
    }
  }
}

bpf::Program guard_program(const std::vector<Arch>& arches) {
  if (arches.empty()) return {};
  Policy h;
  h.default_action = Action::allow();
  h.bad_arch_action = Action::allow();  // another filter's ABI, or one this machine cannot run
  h.arches = arches;
  h.enosys_for_unknown = false;
  for (const Guard& g : guards()) {
    const bool known = std::any_of(arches.begin(), arches.end(), [&](Arch a) { return syscall_number(a, g.syscall).has_value(); });
    if (!known) continue;
    Rule r;
    r.syscall = std::string(g.syscall);
    r.action = Action::errno_(EPERM);
    if (g.ioctl_request) r.conditions.push_back(Condition{1, CmpOp::MaskedEq, *g.ioctl_request, g.request_mask});
    r.origin = RuleOrigin::named(g.why);
    h.rules.push_back(std::move(r));
  }
  return compile(h);
}

}  // namespace seccage::sandbox
