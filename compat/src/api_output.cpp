// What a filter becomes: seccomp_precompute, seccomp_load, and the exports.
// The program is always the one seccage's compiler built for the rules.
#include <seccomp.h>

#include <linux/filter.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "context.hpp"
#include "errors.hpp"
#include "pfc.hpp"
#include "policy_build.hpp"
#include "seccage/error.hpp"

namespace seccage::compat {
namespace {

// A filter that cannot be built: no arch left, or over the kernel's size.
constexpr int kCannotBuild = -EINVAL;

int build(FilterContext& ctx) {
  try {
    built_program(ctx);
    return 0;
  } catch (const InputError&) {
    return kCannotBuild;
  }
}

bool needs_listener(const FilterContext& ctx) {
  if ((ctx.state.attrs.act_default & 0xffff0000u) == SCMP_ACT_NOTIFY) return true;
  auto notifies = [](const FilterState& group) {
    for (const Rule& r : group.rules) {
      if (r.action.kind == ActionKind::UserNotif) return true;
    }
    return false;
  };
  if (notifies(ctx.state)) return true;
  for (const FilterState& group : ctx.state.merged) {
    if (notifies(group)) return true;
  }
  return false;
}

// Writes all of `data` to fd, through short writes and EINTR.
int write_all(const FilterContext& ctx, int fd, const void* data, std::size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return system_error_code(&ctx, errno);
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return 0;
}

// The installation itself: only system calls on a program built beforehand,
// so it allocates nothing (async-signal-safe after seccomp_precompute).
int install(FilterContext& ctx) {
  const bpf::Program& program = *ctx.program;
  const Attributes& a = ctx.state.attrs;
  if (a.nnp && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return system_error_code(&ctx, errno);
  // linux/seccomp.h's SECCOMP_FILTER_FLAG_* bits.
  unsigned flags = 0;
  const bool listener = needs_listener(ctx) && ctx.notify_fd < 0;
  if (a.tsync) flags |= 1u << 0;
  if (a.log) flags |= 1u << 1;
  if (a.ssb) flags |= 1u << 2;
  if (listener) flags |= 1u << 3;
  if (listener && a.tsync) flags |= 1u << 4;  // TSYNC_ESRCH: the kernel needs it with both
  if (listener && a.waitkill) flags |= 1u << 5;
  sock_fprog fprog{static_cast<unsigned short>(program.size()),
                   reinterpret_cast<sock_filter*>(const_cast<bpf::Insn*>(program.data()))};
  long rc = ::syscall(SYS_seccomp, 1 /* SECCOMP_SET_MODE_FILTER */, flags, &fprog);
  if (rc < 0) return system_error_code(&ctx, errno);
  if (listener) {
    ctx.notify_fd = static_cast<int>(rc);
  } else if (a.tsync && rc > 0) {
    return -ESRCH;  // thread rc could not be synchronized
  }
  return 0;
}

}  // namespace
}  // namespace seccage::compat

using namespace seccage;
using namespace seccage::compat;

extern "C" {

int seccomp_precompute(const scmp_filter_ctx handle) {
  FilterContext* ctx = context_of(handle);
  if (ctx == nullptr) return -EINVAL;
  return guarded([&] { return build(*ctx); });
}

int seccomp_load(const scmp_filter_ctx handle) {
  FilterContext* ctx = context_of(handle);
  if (ctx == nullptr) return -EINVAL;
  if (!ctx->program) {
    int rc = guarded([&] { return build(*ctx); });
    if (rc != 0) return rc;
  }
  return install(*ctx);
}

int seccomp_export_bpf(const scmp_filter_ctx handle, int fd) {
  FilterContext* ctx = context_of(handle);
  if (ctx == nullptr) return -EINVAL;
  return guarded([&] {
    if (int rc = build(*ctx); rc != 0) return rc;
    const bpf::Program& p = *ctx->program;
    return write_all(*ctx, fd, p.data(), p.size() * sizeof(bpf::Insn));
  });
}

int seccomp_export_bpf_mem(const scmp_filter_ctx handle, void* buf, size_t* len) {
  FilterContext* ctx = context_of(handle);
  if (ctx == nullptr || len == nullptr) return -EINVAL;
  return guarded([&] {
    if (int rc = build(*ctx); rc != 0) return rc;
    const bpf::Program& p = *ctx->program;
    const std::size_t size = p.size() * sizeof(bpf::Insn);
    if (buf == nullptr) {  // a size query
      *len = size;
      return 0;
    }
    if (*len < size) {
      *len = size;
      return -ERANGE;
    }
    std::memcpy(buf, p.data(), size);
    *len = size;
    return 0;
  });
}

int seccomp_export_pfc(const scmp_filter_ctx handle, int fd) {
  FilterContext* ctx = context_of(handle);
  if (ctx == nullptr) return -EINVAL;
  return guarded([&] {
    if (int rc = build(*ctx); rc != 0) return rc;
    const std::string text = pfc_text(*ctx);
    return write_all(*ctx, fd, text.data(), text.size());
  });
}

}  // extern "C"
