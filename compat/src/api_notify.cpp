// User notification: thin wrappers over the kernel's listener ioctls, with
// buffers sized by SECCOMP_GET_NOTIF_SIZES so a newer kernel's larger
// structures fit.
#include <seccomp.h>

#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "context.hpp"
#include "seccage/kernel.hpp"

using namespace seccage;
using namespace seccage::compat;

namespace {

// The kernel's sizes when it says them, never below this header's.
std::size_t notif_size() {
  auto sizes = kernel::notif_sizes();
  return std::max<std::size_t>(sizeof(seccomp_notif), sizes ? sizes->notif : 0);
}
std::size_t notif_resp_size() {
  auto sizes = kernel::notif_sizes();
  return std::max<std::size_t>(sizeof(seccomp_notif_resp), sizes ? sizes->notif_resp : 0);
}

constexpr unsigned long kIoctlRecv = SECCOMP_IOCTL_NOTIF_RECV;
constexpr unsigned long kIoctlSend = SECCOMP_IOCTL_NOTIF_SEND;
constexpr unsigned long kIoctlIdValid = SECCOMP_IOCTL_NOTIF_ID_VALID;

}  // namespace

extern "C" {

int seccomp_notify_alloc(struct seccomp_notif** req, struct seccomp_notif_resp** resp) {
  if (req == nullptr && resp == nullptr) return -EINVAL;
  if (req != nullptr) {
    *req = static_cast<seccomp_notif*>(std::calloc(1, notif_size()));
    if (*req == nullptr) return -ENOMEM;
  }
  if (resp != nullptr) {
    *resp = static_cast<seccomp_notif_resp*>(std::calloc(1, notif_resp_size()));
    if (*resp == nullptr) {
      if (req != nullptr) {
        std::free(*req);
        *req = nullptr;
      }
      return -ENOMEM;
    }
  }
  return 0;
}

void seccomp_notify_free(struct seccomp_notif* req, struct seccomp_notif_resp* resp) {
  std::free(req);
  std::free(resp);
}

int seccomp_notify_receive(int fd, struct seccomp_notif* req) {
  if (req == nullptr) return -EINVAL;
  // The kernel wants the buffer zeroed.
  std::memset(req, 0, notif_size());
  while (::ioctl(fd, kIoctlRecv, req) < 0) {
    if (errno != EINTR) return -ECANCELED;
  }
  return 0;
}

int seccomp_notify_respond(int fd, struct seccomp_notif_resp* resp) {
  if (resp == nullptr) return -EINVAL;
  while (::ioctl(fd, kIoctlSend, resp) < 0) {
    if (errno != EINTR) return -ECANCELED;
  }
  return 0;
}

int seccomp_notify_id_valid(int fd, uint64_t id) {
  if (::ioctl(fd, kIoctlIdValid, &id) < 0) return -ENOENT;
  return 0;
}

// libseccomp answers -EFAULT before the filter with a listener is loaded.
int seccomp_notify_fd(const scmp_filter_ctx handle) {
  FilterContext* ctx = context_of(handle);
  if (ctx == nullptr) return -EINVAL;
  return ctx->notify_fd >= 0 ? ctx->notify_fd : -EFAULT;
}

}  // extern "C"
