// Capability names for Docker's includes/excludes `caps` and the `--caps`
// option.
#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "profile/suggest.hpp"
#include "seccage/error.hpp"
#include "seccage/profile.hpp"

namespace seccage {

namespace {

// linux/capability.h, in number order (0..40).
constexpr std::array<std::string_view, 41> kCapabilities = {
    "CAP_CHOWN",           "CAP_DAC_OVERRIDE",   "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
    "CAP_FSETID",          "CAP_KILL",           "CAP_SETGID",          "CAP_SETUID",
    "CAP_SETPCAP",         "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",       "CAP_NET_RAW",        "CAP_IPC_LOCK",        "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",      "CAP_SYS_RAWIO",      "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",       "CAP_SYS_ADMIN",      "CAP_SYS_BOOT",        "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",    "CAP_SYS_TIME",       "CAP_SYS_TTY_CONFIG",  "CAP_MKNOD",
    "CAP_LEASE",           "CAP_AUDIT_WRITE",    "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",    "CAP_MAC_ADMIN",      "CAP_SYSLOG",          "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",   "CAP_AUDIT_READ",     "CAP_PERFMON",         "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

std::string upper(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::span<const std::string_view> known_capabilities() { return kCapabilities; }

const CapabilitySet& docker_default_capabilities() {
  // moby's default capability set (oci/caps/defaults.go), which is also the
  // set Docker's default profile is written against.
  static const CapabilitySet caps = {
      "CAP_CHOWN",  "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",     "CAP_MKNOD",
      "CAP_NET_RAW", "CAP_SETGID",      "CAP_SETUID",           "CAP_SETFCAP",    "CAP_SETPCAP",
      "CAP_NET_BIND_SERVICE",           "CAP_SYS_CHROOT",       "CAP_KILL",       "CAP_AUDIT_WRITE",
  };
  return caps;
}

CapabilitySet parse_capabilities(std::string_view list) {
  CapabilitySet caps;
  std::size_t start = 0;
  bool any = false;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    std::string_view item = trim(list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    start = comma == std::string_view::npos ? list.size() + 1 : comma + 1;
    if (item.empty()) {
      // "a,,b" or a trailing comma is almost always an editing slip; an empty
      // list must be said as "none" so it is never an accident.
      throw InputError(fmt::format("capability list '{}': empty capability name in the list (write 'none' for no capabilities)", list));
    }
    any = true;
    const std::string u = upper(item);
    if (u == "NONE") continue;
    if (u == "DOCKER-DEFAULT" || u == "DEFAULT") {
      caps.insert(docker_default_capabilities().begin(), docker_default_capabilities().end());
      continue;
    }
    if (u == "ALL") {
      caps.insert(kCapabilities.begin(), kCapabilities.end());
      continue;
    }
    const std::string name = u.starts_with("CAP_") ? u : "CAP_" + u;
    if (std::find(kCapabilities.begin(), kCapabilities.end(), name) == kCapabilities.end()) {
      throw InputError(fmt::format("unknown capability '{}'{}", item,
                                   profile_detail::suggestion_suffix(name, kCapabilities)));
    }
    caps.insert(name);
  }
  if (!any) throw InputError("empty capability list (write 'none' for no capabilities)");
  return caps;
}

}  // namespace seccage
