// Processes: signals (per arch family), clone and namespace flags, clone3's
// struct clone_args, ptrace requests, resource limits, prctl, personality.
#include <fmt/core.h>

#include "sandbox/decode/families.hpp"
#include "seccage/profile.hpp"

namespace seccage::sandbox::decode_detail {
namespace {

// asm-generic/signal.h: x86, arm, aarch64, ppc, riscv, s390, loongarch, m68k, sh.
constexpr Named kSignalsGeneric[] = {
    {1, "SIGHUP"},    {2, "SIGINT"},    {3, "SIGQUIT"},   {4, "SIGILL"},    {5, "SIGTRAP"},  {6, "SIGABRT"},
    {7, "SIGBUS"},    {8, "SIGFPE"},    {9, "SIGKILL"},   {10, "SIGUSR1"},  {11, "SIGSEGV"}, {12, "SIGUSR2"},
    {13, "SIGPIPE"},  {14, "SIGALRM"},  {15, "SIGTERM"},  {16, "SIGSTKFLT"}, {17, "SIGCHLD"}, {18, "SIGCONT"},
    {19, "SIGSTOP"},  {20, "SIGTSTP"},  {21, "SIGTTIN"},  {22, "SIGTTOU"},  {23, "SIGURG"},  {24, "SIGXCPU"},
    {25, "SIGXFSZ"},  {26, "SIGVTALRM"}, {27, "SIGPROF"}, {28, "SIGWINCH"}, {29, "SIGIO"},   {30, "SIGPWR"},
    {31, "SIGSYS"}};
// arch/mips/include/uapi/asm/signal.h.
constexpr Named kSignalsMips[] = {
    {1, "SIGHUP"},    {2, "SIGINT"},    {3, "SIGQUIT"},   {4, "SIGILL"},    {5, "SIGTRAP"},  {6, "SIGABRT"},
    {7, "SIGEMT"},    {8, "SIGFPE"},    {9, "SIGKILL"},   {10, "SIGBUS"},   {11, "SIGSEGV"}, {12, "SIGSYS"},
    {13, "SIGPIPE"},  {14, "SIGALRM"},  {15, "SIGTERM"},  {16, "SIGUSR1"},  {17, "SIGUSR2"}, {18, "SIGCHLD"},
    {19, "SIGPWR"},   {20, "SIGWINCH"}, {21, "SIGURG"},   {22, "SIGIO"},    {23, "SIGSTOP"}, {24, "SIGTSTP"},
    {25, "SIGCONT"},  {26, "SIGTTIN"},  {27, "SIGTTOU"},  {28, "SIGVTALRM"}, {29, "SIGPROF"}, {30, "SIGXCPU"},
    {31, "SIGXFSZ"}};

// linux/sched.h: the same on every arch. The low byte of clone()'s flags is
// the exit signal; for clone3 and unshare, 0x80 is CLONE_NEWTIME.
constexpr Named kCloneFlags[] = {
    {0x100, "CLONE_VM"},           {0x200, "CLONE_FS"},
    {0x400, "CLONE_FILES"},        {0x800, "CLONE_SIGHAND"},
    {0x1000, "CLONE_PIDFD"},       {0x2000, "CLONE_PTRACE"},
    {0x4000, "CLONE_VFORK"},       {0x8000, "CLONE_PARENT"},
    {0x10000, "CLONE_THREAD"},     {0x20000, "CLONE_NEWNS"},
    {0x40000, "CLONE_SYSVSEM"},    {0x80000, "CLONE_SETTLS"},
    {0x100000, "CLONE_PARENT_SETTID"}, {0x200000, "CLONE_CHILD_CLEARTID"},
    {0x400000, "CLONE_DETACHED"},  {0x800000, "CLONE_UNTRACED"},
    {0x1000000, "CLONE_CHILD_SETTID"}, {0x2000000, "CLONE_NEWCGROUP"},
    {0x4000000, "CLONE_NEWUTS"},   {0x8000000, "CLONE_NEWIPC"},
    {0x10000000, "CLONE_NEWUSER"}, {0x20000000, "CLONE_NEWPID"},
    {0x40000000, "CLONE_NEWNET"},  {0x80000000, "CLONE_IO"},
    {0x100000000, "CLONE_CLEAR_SIGHAND"}, {0x200000000, "CLONE_INTO_CGROUP"}};
constexpr Named kNewTime[] = {{0x80, "CLONE_NEWTIME"}};

// linux/ptrace.h: the same on every arch.
constexpr Named kPtraceCommon[] = {
    {0, "PTRACE_TRACEME"},      {1, "PTRACE_PEEKTEXT"},    {2, "PTRACE_PEEKDATA"},     {3, "PTRACE_PEEKUSER"},
    {4, "PTRACE_POKETEXT"},     {5, "PTRACE_POKEDATA"},    {6, "PTRACE_POKEUSER"},     {7, "PTRACE_CONT"},
    {8, "PTRACE_KILL"},         {9, "PTRACE_SINGLESTEP"},  {16, "PTRACE_ATTACH"},      {17, "PTRACE_DETACH"},
    {24, "PTRACE_SYSCALL"},     {0x4200, "PTRACE_SETOPTIONS"}, {0x4201, "PTRACE_GETEVENTMSG"},
    {0x4202, "PTRACE_GETSIGINFO"}, {0x4203, "PTRACE_SETSIGINFO"}, {0x4204, "PTRACE_GETREGSET"},
    {0x4205, "PTRACE_SETREGSET"}, {0x4206, "PTRACE_SEIZE"},   {0x4207, "PTRACE_INTERRUPT"},
    {0x4208, "PTRACE_LISTEN"},  {0x4209, "PTRACE_PEEKSIGINFO"}, {0x420a, "PTRACE_GETSIGMASK"},
    {0x420b, "PTRACE_SETSIGMASK"}, {0x420c, "PTRACE_SECCOMP_GET_FILTER"}, {0x420d, "PTRACE_SECCOMP_GET_METADATA"},
    {0x420e, "PTRACE_GET_SYSCALL_INFO"}, {0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"},
    {0x4210, "PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG"}, {0x4211, "PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG"}};
// arch/x86/include/uapi/asm/ptrace-abi.h: the other arches number theirs differently.
constexpr Named kPtraceX86[] = {
    {12, "PTRACE_GETREGS"},  {13, "PTRACE_SETREGS"},       {14, "PTRACE_GETFPREGS"},  {15, "PTRACE_SETFPREGS"},
    {18, "PTRACE_GETFPXREGS"}, {19, "PTRACE_SETFPXREGS"},  {21, "PTRACE_OLDSETOPTIONS"}, {25, "PTRACE_GET_THREAD_AREA"},
    {26, "PTRACE_SET_THREAD_AREA"}, {30, "PTRACE_ARCH_PRCTL"}, {31, "PTRACE_SYSEMU"},
    {32, "PTRACE_SYSEMU_SINGLESTEP"}, {33, "PTRACE_SINGLEBLOCK"}};
constexpr Named kPtraceOptions[] = {
    {0x1, "PTRACE_O_TRACESYSGOOD"}, {0x2, "PTRACE_O_TRACEFORK"},     {0x4, "PTRACE_O_TRACEVFORK"},
    {0x8, "PTRACE_O_TRACECLONE"},   {0x10, "PTRACE_O_TRACEEXEC"},    {0x20, "PTRACE_O_TRACEVFORKDONE"},
    {0x40, "PTRACE_O_TRACEEXIT"},   {0x80, "PTRACE_O_TRACESECCOMP"}, {0x100000, "PTRACE_O_EXITKILL"},
    {0x200000, "PTRACE_O_SUSPEND_SECCOMP"}};

// asm-generic/resource.h; MIPS orders five of them differently.
constexpr Named kRlimitGeneric[] = {
    {0, "RLIMIT_CPU"},     {1, "RLIMIT_FSIZE"},      {2, "RLIMIT_DATA"},     {3, "RLIMIT_STACK"},
    {4, "RLIMIT_CORE"},    {5, "RLIMIT_RSS"},        {6, "RLIMIT_NPROC"},    {7, "RLIMIT_NOFILE"},
    {8, "RLIMIT_MEMLOCK"}, {9, "RLIMIT_AS"},         {10, "RLIMIT_LOCKS"},   {11, "RLIMIT_SIGPENDING"},
    {12, "RLIMIT_MSGQUEUE"}, {13, "RLIMIT_NICE"},    {14, "RLIMIT_RTPRIO"},  {15, "RLIMIT_RTTIME"}};
constexpr Named kRlimitMips[] = {
    {0, "RLIMIT_CPU"},     {1, "RLIMIT_FSIZE"},      {2, "RLIMIT_DATA"},     {3, "RLIMIT_STACK"},
    {4, "RLIMIT_CORE"},    {5, "RLIMIT_NOFILE"},     {6, "RLIMIT_AS"},       {7, "RLIMIT_RSS"},
    {8, "RLIMIT_NPROC"},   {9, "RLIMIT_MEMLOCK"},    {10, "RLIMIT_LOCKS"},   {11, "RLIMIT_SIGPENDING"},
    {12, "RLIMIT_MSGQUEUE"}, {13, "RLIMIT_NICE"},    {14, "RLIMIT_RTPRIO"},  {15, "RLIMIT_RTTIME"}};

// linux/prctl.h: the same on every arch.
constexpr Named kPrctl[] = {
    {1, "PR_SET_PDEATHSIG"},   {2, "PR_GET_PDEATHSIG"},     {3, "PR_GET_DUMPABLE"},      {4, "PR_SET_DUMPABLE"},
    {5, "PR_GET_UNALIGN"},     {6, "PR_SET_UNALIGN"},       {7, "PR_GET_KEEPCAPS"},      {8, "PR_SET_KEEPCAPS"},
    {9, "PR_GET_FPEMU"},       {10, "PR_SET_FPEMU"},        {11, "PR_GET_FPEXC"},        {12, "PR_SET_FPEXC"},
    {13, "PR_GET_TIMING"},     {14, "PR_SET_TIMING"},       {15, "PR_SET_NAME"},         {16, "PR_GET_NAME"},
    {19, "PR_GET_ENDIAN"},     {20, "PR_SET_ENDIAN"},       {21, "PR_GET_SECCOMP"},      {22, "PR_SET_SECCOMP"},
    {23, "PR_CAPBSET_READ"},   {24, "PR_CAPBSET_DROP"},     {25, "PR_GET_TSC"},          {26, "PR_SET_TSC"},
    {27, "PR_GET_SECUREBITS"}, {28, "PR_SET_SECUREBITS"},   {29, "PR_SET_TIMERSLACK"},   {30, "PR_GET_TIMERSLACK"},
    {31, "PR_TASK_PERF_EVENTS_DISABLE"}, {32, "PR_TASK_PERF_EVENTS_ENABLE"}, {33, "PR_MCE_KILL"},
    {34, "PR_MCE_KILL_GET"},   {35, "PR_SET_MM"},           {36, "PR_SET_CHILD_SUBREAPER"},
    {37, "PR_GET_CHILD_SUBREAPER"}, {38, "PR_SET_NO_NEW_PRIVS"}, {39, "PR_GET_NO_NEW_PRIVS"},
    {40, "PR_GET_TID_ADDRESS"}, {41, "PR_SET_THP_DISABLE"}, {42, "PR_GET_THP_DISABLE"}, {45, "PR_SET_FP_MODE"},
    {46, "PR_GET_FP_MODE"},    {47, "PR_CAP_AMBIENT"},      {50, "PR_SVE_SET_VL"},       {51, "PR_SVE_GET_VL"},
    {52, "PR_GET_SPECULATION_CTRL"}, {53, "PR_SET_SPECULATION_CTRL"}, {54, "PR_PAC_RESET_KEYS"},
    {55, "PR_SET_TAGGED_ADDR_CTRL"}, {56, "PR_GET_TAGGED_ADDR_CTRL"}, {57, "PR_SET_IO_FLUSHER"},
    {58, "PR_GET_IO_FLUSHER"}, {59, "PR_SET_SYSCALL_USER_DISPATCH"}, {60, "PR_PAC_SET_ENABLED_KEYS"},
    {61, "PR_PAC_GET_ENABLED_KEYS"}, {62, "PR_SCHED_CORE"}, {63, "PR_SME_SET_VL"}, {64, "PR_SME_GET_VL"},
    {65, "PR_SET_MDWE"},       {66, "PR_GET_MDWE"},         {67, "PR_SET_MEMORY_MERGE"}, {68, "PR_GET_MEMORY_MERGE"},
    {0x59616d61, "PR_SET_PTRACER"}, {0x53564d41, "PR_SET_VMA"}};

std::string capability(std::uint64_t cap) {
  // known_capabilities() is in the kernel's numbering (CAP_CHOWN is 0).
  const auto caps = known_capabilities();
  if (cap < caps.size()) return std::string(caps[cap]);
  return fmt::format("{}", cap);
}

// One rlimit field: RLIM_INFINITY is all ones (in the ABI's width).
std::string limit_value(std::uint64_t v, std::size_t width) {
  const std::uint64_t all = width == 8 ? ~std::uint64_t{0} : 0xffffffffu;
  return v == all ? std::string("RLIM_INFINITY") : fmt::format("{}", v);
}

}  // namespace

std::string signal_name(Arch arch, std::uint64_t sig) {
  if (sig == 0) return "0";
  const Family family = family_of(arch);
  if (family == Family::Parisc) return fmt::format("{}", sig);  // PA-RISC's numbering is not carried
  const std::uint64_t max = family == Family::Mips ? 128 : 64;
  if (auto n = find_name(sig, family == Family::Mips ? std::span<const Named>(kSignalsMips) : kSignalsGeneric))
    return std::string(*n);
  // The kernel's real-time signals start at 32 (glibc keeps 32 and 33 for
  // itself and calls 34 SIGRTMIN): numbered as strace does.
  if (sig >= 32 && sig <= max) return fmt::format("SIGRT_{}", sig - 32);
  return fmt::format("{}", sig);
}

std::string clone_flags(Arch arch, std::uint64_t flags, bool with_exit_signal) {
  if (!with_exit_signal) return namespace_flags(flags);
  std::string sig;
  if ((flags & 0xff) != 0) {
    sig = signal_name(arch, flags & 0xff);
    flags &= ~std::uint64_t{0xff};
  }
  if (flags == 0) return sig.empty() ? "0" : sig;
  std::string out = flag_names(flags, kCloneFlags);
  return sig.empty() ? out : out + "|" + sig;
}

std::string namespace_flags(std::uint64_t flags) {
  std::string first;
  if (flags & 0x80) {
    first = "CLONE_NEWTIME";
    flags &= ~std::uint64_t{0x80};
  }
  if (flags == 0) return first.empty() ? "0" : first;
  return flag_names(flags, kCloneFlags, first);
}

std::string clone_args(const Call& call, std::uint64_t addr, std::uint64_t size) {
  // struct clone_args (linux/sched.h): eleven __u64 in version 2; version 0
  // (64 bytes, up to tls) is the smallest the kernel accepts.
  constexpr std::size_t kVer0 = 64, kVer2 = 88;
  if (size < kVer0) return pointer(addr);
  const std::size_t n = size < kVer2 ? static_cast<std::size_t>(size) / 8 * 8 : kVer2;
  auto raw = call.bytes(addr, n);
  if (!raw) return pointer(addr);
  auto field = [&](std::size_t k) { return load(*raw, 8 * k, 8, call.little_endian()); };
  const std::uint64_t flags = field(0);
  std::string out = fmt::format("{{flags={}", namespace_flags(flags));
  if (flags & 0x1000) out += fmt::format(", pidfd={}", pointer(field(1)));
  if (flags & 0x1200000) out += fmt::format(", child_tid={}", pointer(field(2)));
  if (flags & 0x100000) out += fmt::format(", parent_tid={}", pointer(field(3)));
  out += fmt::format(", exit_signal={}, stack={}, stack_size={}", signal_name(call.arch, field(4)),
                     pointer(field(5)), field(6));
  if (flags & 0x80000) out += fmt::format(", tls={}", hex(field(7)));
  if (n >= 80 && field(9) != 0) out += fmt::format(", set_tid={}, set_tid_size={}", pointer(field(8)), field(9));
  if (n >= 88 && (flags & 0x200000000)) out += fmt::format(", cgroup={}", field(10));
  return out + "}";
}

std::string ptrace_request(Arch arch, std::uint64_t request) {
  if (auto n = find_name(request, kPtraceCommon)) return std::string(*n);
  if (arch == Arch::x86_64 || arch == Arch::x32 || arch == Arch::i386) {
    if (auto n = find_name(request, kPtraceX86)) return std::string(*n);
  }
  return hex(request);
}

std::string ptrace_data(const Call& call, std::size_t i, std::size_t request_index) {
  const std::uint64_t v = call.args[i];
  const auto request = find_name(call.args[request_index], kPtraceCommon);
  if (!request) return hex(v);
  const std::string_view r = *request;
  if (r == "PTRACE_SETOPTIONS" || r == "PTRACE_SEIZE") return flag_names(v, kPtraceOptions);
  // The signal delivered on resuming or detaching.
  if (r == "PTRACE_CONT" || r == "PTRACE_SYSCALL" || r == "PTRACE_SINGLESTEP" || r == "PTRACE_DETACH" ||
      r == "PTRACE_LISTEN")
    return signal_name(call.arch, v);
  if (r == "PTRACE_POKETEXT" || r == "PTRACE_POKEDATA" || r == "PTRACE_POKEUSER") return hex(v);
  if (r == "PTRACE_TRACEME" || r == "PTRACE_ATTACH" || r == "PTRACE_KILL" || r == "PTRACE_INTERRUPT")
    return hex(v);  // ignored by the kernel
  return pointer(v);
}

std::string rlimit_resource(Arch arch, std::uint64_t resource) {
  const Family family = family_of(arch);
  if (family == Family::Parisc) return fmt::format("{}", resource);
  return enum_name(resource, family == Family::Mips ? std::span<const Named>(kRlimitMips) : kRlimitGeneric);
}

std::string rlimit64_at(const Call& call, std::uint64_t addr) {
  auto raw = call.bytes(addr, 16);
  if (!raw) return pointer(addr);
  return fmt::format("{{cur={}, max={}}}", limit_value(load(*raw, 0, 8, call.little_endian()), 8),
                     limit_value(load(*raw, 8, 8, call.little_endian()), 8));
}

std::string rlimit_at(const Call& call, std::uint64_t addr) {
  const std::size_t w = call.word();
  auto raw = call.bytes(addr, 2 * w);
  if (!raw) return pointer(addr);
  return fmt::format("{{cur={}, max={}}}", limit_value(load(*raw, 0, w, call.little_endian()), w),
                     limit_value(load(*raw, w, w, call.little_endian()), w));
}

std::string prctl_option(std::uint64_t option) {
  if (auto n = find_name(static_cast<std::uint32_t>(option), kPrctl)) return std::string(*n);
  return fmt::format("{}", option);
}

std::string prctl_argument(const Call& call, std::size_t i, std::size_t option_index) {
  const std::uint64_t v = call.args[i];
  const auto option = find_name(static_cast<std::uint32_t>(call.args[option_index]), kPrctl);
  // Only arg2 has a meaning this decoder knows; the others stay in hex.
  if (!option || i != option_index + 1) return hex(v);
  const std::string_view o = *option;
  if (o == "PR_SET_PDEATHSIG") return signal_name(call.arch, v);
  if (o == "PR_SET_NAME") return call.string_at(v);
  if (o == "PR_SET_SECCOMP") {
    static constexpr Named kModes[] = {{1, "SECCOMP_MODE_STRICT"}, {2, "SECCOMP_MODE_FILTER"}};
    return enum_name(v, kModes);
  }
  if (o == "PR_CAPBSET_READ" || o == "PR_CAPBSET_DROP") return capability(v);
  if (o == "PR_CAP_AMBIENT") {
    static constexpr Named kOps[] = {{1, "PR_CAP_AMBIENT_IS_SET"}, {2, "PR_CAP_AMBIENT_RAISE"},
                                     {3, "PR_CAP_AMBIENT_LOWER"}, {4, "PR_CAP_AMBIENT_CLEAR_ALL"}};
    return enum_name(v, kOps);
  }
  if (o == "PR_SET_DUMPABLE" || o == "PR_SET_NO_NEW_PRIVS" || o == "PR_SET_CHILD_SUBREAPER" ||
      o == "PR_SET_KEEPCAPS" || o == "PR_SET_THP_DISABLE" || o == "PR_SET_TIMERSLACK")
    return fmt::format("{}", call.as_long(i));
  if (o == "PR_SET_PTRACER") return v == ~std::uint64_t{0} || v == 0xffffffff ? "PR_SET_PTRACER_ANY" : fmt::format("{}", v);
  return hex(v);
}

std::string personality(std::uint64_t persona) {
  // 0xffffffff asks for the current persona without changing it.
  if (static_cast<std::uint32_t>(persona) == 0xffffffffu) return "0xffffffff (query)";
  static constexpr Named kDomains[] = {{0x00, "PER_LINUX"}, {0x08, "PER_LINUX32"}};
  static constexpr Named kFlags[] = {
      {0x0020000, "UNAME26"},           {0x0040000, "ADDR_NO_RANDOMIZE"}, {0x0080000, "FDPIC_FUNCPTRS"},
      {0x0100000, "MMAP_PAGE_ZERO"},    {0x0200000, "ADDR_COMPAT_LAYOUT"}, {0x0400000, "READ_IMPLIES_EXEC"},
      {0x0800000, "ADDR_LIMIT_32BIT"},  {0x1000000, "SHORT_INODE"},       {0x2000000, "WHOLE_SECONDS"},
      {0x4000000, "STICKY_TIMEOUTS"},   {0x8000000, "ADDR_LIMIT_3GB"}};
  const std::uint64_t domain = persona & 0xff;
  const auto name = find_name(domain, kDomains);
  std::string first = name ? std::string(*name) : hex(domain);
  persona &= ~std::uint64_t{0xff};
  if (persona == 0) return first;
  return flag_names(persona, kFlags, first);
}

std::string wait_options(std::uint64_t options) {
  static constexpr Named kWait[] = {{1, "WNOHANG"},       {2, "WUNTRACED"},        {4, "WEXITED"},
                                    {8, "WCONTINUED"},    {0x1000000, "WNOWAIT"},  {0x20000000, "__WNOTHREAD"},
                                    {0x40000000, "__WALL"}, {0x80000000, "__WCLONE"}};
  return flag_names(static_cast<std::uint32_t>(options), kWait);
}

std::string id_type(std::uint64_t idtype) {
  static constexpr Named kTypes[] = {{0, "P_ALL"}, {1, "P_PID"}, {2, "P_PGID"}, {3, "P_PIDFD"}};
  return enum_name(static_cast<std::uint32_t>(idtype), kTypes);
}

std::string user_id(std::uint64_t id) {
  const auto v = static_cast<std::uint32_t>(id);
  return v == 0xffffffffu ? std::string("-1") : fmt::format("{}", v);
}

}  // namespace seccage::sandbox::decode_detail
