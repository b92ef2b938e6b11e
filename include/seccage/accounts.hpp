// Users and groups by name for `seccage run --user/--group`, read from
// /etc/passwd and /etc/group themselves rather than through glibc's NSS: the
// seccage binary is linked statically (start-up cost, docs/run.md), and a
// static binary cannot load NSS modules reliably. Container runtimes resolve
// names the same way. Directory users (LDAP, sssd) are given by number.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace seccage::sandbox {

struct Account {
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;  // the primary group
};

// The first entry with that name or uid; nullopt when there is none or the
// file cannot be read. Malformed lines are skipped.
std::optional<Account> find_user(std::string_view name, const std::string& passwd_file = "/etc/passwd");
std::optional<Account> find_user_by_uid(std::uint32_t uid, const std::string& passwd_file = "/etc/passwd");
std::optional<std::uint32_t> find_group(std::string_view name, const std::string& group_file = "/etc/group");

}  // namespace seccage::sandbox
