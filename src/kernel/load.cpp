// Installing filters (SECCOMP_SET_MODE_FILTER) and strict mode.
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>

#include <fmt/core.h>

#include "kernel/sys.hpp"
#include "seccage/error.hpp"
#include "seccage/kernel.hpp"

namespace seccage::kernel {
namespace {

// bpf::Insn promises the layout of struct sock_filter; the copy below relies on it.
static_assert(sizeof(bpf::Insn) == sizeof(sock_filter));
static_assert(offsetof(bpf::Insn, code) == offsetof(sock_filter, code));
static_assert(offsetof(bpf::Insn, jt) == offsetof(sock_filter, jt));
static_assert(offsetof(bpf::Insn, jf) == offsetof(sock_filter, jf));
static_assert(offsetof(bpf::Insn, k) == offsetof(sock_filter, k));

std::uint32_t requested_bits(const LoadOptions& o) {
  std::uint32_t bits = 0;
  if (o.tsync) bits |= flag_bit(FilterFlag::Tsync);
  if (o.log) bits |= flag_bit(FilterFlag::Log);
  if (o.spec_allow) bits |= flag_bit(FilterFlag::SpecAllow);
  if (o.new_listener) bits |= flag_bit(FilterFlag::NewListener);
  if (o.tsync_esrch) bits |= flag_bit(FilterFlag::TsyncEsrch);
  if (o.wait_killable_recv) bits |= flag_bit(FilterFlag::WaitKillableRecv);
  // The kernel refuses TSYNC with NEW_LISTENER unless TSYNC_ESRCH says how a
  // TSYNC failure is reported: a positive return would otherwise be either a
  // listener fd or the id of the thread that could not be synchronized.
  if (o.tsync && o.new_listener) bits |= flag_bit(FilterFlag::TsyncEsrch);
  return bits;
}

// Probes every requested flag so that a missing one is named, rather than the
// whole call failing with a bare EINVAL after NO_NEW_PRIVS has been set.
void require_flags(std::uint32_t bits, const LoadOptions& options) {
  for (FilterFlag f : kAllFilterFlags) {
    if ((bits & flag_bit(f)) == 0) continue;
    if (flag_supported(f)) continue;
    std::string what = fmt::format("the kernel does not support {} (Linux {}+)", flag_name(f), flag_since(f));
    if (f == FilterFlag::TsyncEsrch && !options.tsync_esrch)
      what += "; it is needed to combine TSYNC with NEW_LISTENER, so install the filter on each thread without "
              "TSYNC, or drop new_listener";
    else
      what += fmt::format("; load without it, or check with `seccage probe`");
    throw SystemError(what, EINVAL);
  }
}

// Explains a refusal of SECCOMP_SET_MODE_FILTER. Called only when no filter
// was installed, so it may allocate.
[[noreturn]] void throw_refusal(int err, std::size_t size, const LoadOptions& options) {
  std::string what;
  switch (err) {
    case EINVAL:
      what = fmt::format(
          "the kernel refused the filter ({} instructions) with EINVAL: it failed the kernel's checks (an opcode "
          "seccomp does not allow, a jump past the end, a load outside seccomp_data, no final return); verify it "
          "with `seccage disasm`, which runs the same checks and names the instruction",
          size);
      break;
    case EACCES:
      what = options.no_new_privs == NoNewPrivs::Keep
                 ? "the kernel refused the filter with EACCES: NO_NEW_PRIVS is not set and the caller lacks "
                   "CAP_SYS_ADMIN; use NoNewPrivs::Set (the default) or run with CAP_SYS_ADMIN"
                 : "the kernel refused the filter with EACCES although NO_NEW_PRIVS is set";
      break;
    case ENOMEM:
      what = fmt::format(
          "the kernel refused the filter ({} instructions) with ENOMEM: the filters on this thread would pass "
          "the kernel's limit of 32768 instructions in all (each filter counting 4 more); install fewer or "
          "smaller filters",
          size);
      break;
    case EBUSY:
      what = "the kernel refused NEW_LISTENER with EBUSY: a filter already installed on this thread has a "
             "listener, and only one is allowed along a filter chain";
      break;
    case ESRCH:
      what = "TSYNC failed with ESRCH: another thread of the process could not be synchronized (it runs under "
             "a different, unrelated filter or is in strict mode); nothing was installed";
      break;
    case EFAULT:
      what = "the kernel could not read the filter (EFAULT)";
      break;
    default:
      what = "seccomp(SECCOMP_SET_MODE_FILTER) failed";
      break;
  }
  throw SystemError(what, err);
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

UniqueFd::~UniqueFd() { reset(); }

int UniqueFd::release() noexcept {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::reset(int fd) noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

LoadResult load_filter(const bpf::Program& program, const LoadOptions& options) {
  // Everything that can fail on bad input, or allocate, comes first.
  if (program.empty())
    throw InputError("cannot load an empty program: a seccomp filter needs at least one instruction (a return)");
  if (program.size() > bpf::kMaxInsns)
    throw InputError(fmt::format("cannot load a program of {} instructions: the kernel accepts at most {}",
                                 program.size(), bpf::kMaxInsns));
  if (options.wait_killable_recv && !options.new_listener)
    throw InputError("wait_killable_recv applies to user notifications: it needs new_listener as well");

  const std::uint32_t bits = requested_bits(options);
  require_flags(bits, options);

  // The kernel gets a private copy: the caller's vector may be changed by
  // another thread while this one is inside seccomp(2), and sock_filter is the
  // type the kernel ABI names.
  const std::size_t size = program.size();
  std::unique_ptr<sock_filter[]> copy(new sock_filter[size]);
  std::memcpy(copy.get(), program.data(), size * sizeof(sock_filter));
  sock_fprog fprog{static_cast<unsigned short>(size), copy.get()};

  if (options.no_new_privs == NoNewPrivs::Set && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    throw SystemError("prctl(PR_SET_NO_NEW_PRIVS) failed, so the filter was not installed", errno);

  const long ret = detail::seccomp_call(SECCOMP_SET_MODE_FILTER, bits, &fprog);
  if (ret < 0) throw_refusal(errno, size, options);
  // Plain TSYNC (without TSYNC_ESRCH) reports a thread it could not
  // synchronize by returning its id; nothing was installed then.
  if (ret > 0 && (bits & flag_bit(FilterFlag::Tsync)) && !(bits & flag_bit(FilterFlag::NewListener)))
    throw SystemError(fmt::format("TSYNC failed: thread {} could not be synchronized (it runs under a different, "
                                  "unrelated filter or is in strict mode); nothing was installed",
                                  ret),
                      ESRCH);

  // The filter is on. From here on: no allocation, no exception (UniqueFd's
  // constructor and the move are noexcept; `copy` is only freed).
  LoadResult result;
  result.flags = bits;
  if (bits & flag_bit(FilterFlag::NewListener)) result.listener.reset(static_cast<int>(ret));
  return result;
}

void enter_strict_mode() {
  if (detail::seccomp_call(SECCOMP_SET_MODE_STRICT, 0, nullptr) != 0)
    throw SystemError(
        "the kernel refused SECCOMP_MODE_STRICT (a filter may already be installed: the two modes do not mix)",
        errno);
}

}  // namespace seccage::kernel
