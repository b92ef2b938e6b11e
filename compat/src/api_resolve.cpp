// Names and numbers (seccomp_syscall_resolve_*), the version and the API level.
#include <seccomp.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "api_level.hpp"
#include "arch_tokens.hpp"
#include "syscall_names.hpp"

using namespace seccage;
using namespace seccage::compat;

extern "C" {

const struct scmp_version* seccomp_version(void) {
  static const scmp_version version{SCMP_VER_MAJOR, SCMP_VER_MINOR, SCMP_VER_MICRO};
  return &version;
}

unsigned int seccomp_api_get(void) { return api_level(); }

int seccomp_api_set(unsigned int level) {
  if (level < 1 || level > kMaxApiLevel) return -EINVAL;
  set_api_level(level);
  return 0;
}

// The caller frees the name with free().
char* seccomp_syscall_resolve_num_arch(uint32_t arch_token, int num) {
  auto arch = arch_from_token(arch_token);
  if (!arch) return nullptr;
  auto name = resolve_number(*arch, num);
  if (!name) return nullptr;
  return ::strdup(name->c_str());
}

int seccomp_syscall_resolve_name_arch(uint32_t arch_token, const char* name) {
  auto arch = arch_from_token(arch_token);
  if (!arch || name == nullptr) return kNrError;
  return resolve_name(*arch, name);
}

int seccomp_syscall_resolve_name_rewrite(uint32_t arch_token, const char* name) {
  auto arch = arch_from_token(arch_token);
  if (!arch || name == nullptr) return kNrError;
  return resolve_name_rewrite(*arch, name);
}

int seccomp_syscall_resolve_name(const char* name) { return seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name); }

}  // extern "C"
