// Named syscall groups: systemd's filter sets (@system-service, @file-system,
// @privileged, ...), generated from shared/data/systemd-syscall-groups.json by
// scripts/gen-groups.py. The text policy language accepts them wherever it
// accepts a syscall name.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace seccage {

struct SyscallGroup {
  std::string_view name;         // "@system-service"
  std::string_view description;  // systemd's one-line description
  // As systemd writes it: syscall names and nested groups ("@default").
  std::span<const std::string_view> members;
};

// Every group, in systemd's order.
std::span<const SyscallGroup> syscall_groups();
// By name, with or without the leading '@'. nullopt when unknown.
std::optional<SyscallGroup> find_syscall_group(std::string_view name);
// Names of every group ("@aio", ...), sorted, for did-you-mean.
std::span<const std::string_view> syscall_group_names();
// The group's syscalls with nested groups expanded recursively: sorted,
// unique. Names may be absent on some (or every) arch seccage knows, as in
// systemd; callers decide per arch. Throws InputError for an unknown group.
std::vector<std::string> expand_syscall_group(std::string_view name);

}  // namespace seccage
