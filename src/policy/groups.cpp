// Syscall groups: the generated table and its recursive expansion.
#include "seccage/groups.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/core.h>

#include "seccage/error.hpp"
#include "util/did_you_mean.hpp"

namespace seccage {
namespace detail {
namespace {
struct GroupRow {
  std::string_view name;
  std::string_view description;
  std::span<const std::string_view> members;
};
#include "policy/syscall_groups.inc"
}  // namespace
}  // namespace detail

namespace {

const std::vector<SyscallGroup>& groups() {
  static const std::vector<SyscallGroup> all = [] {
    std::vector<SyscallGroup> v;
    for (const auto& row : detail::kGroupRows) v.push_back({row.name, row.description, row.members});
    return v;
  }();
  return all;
}

// `stack` guards against a cycle in the data (systemd has none; a bad
// regeneration must not hang the program).
void expand_into(const SyscallGroup& g, std::set<std::string>& out, std::vector<std::string_view>& stack) {
  if (std::find(stack.begin(), stack.end(), g.name) != stack.end()) return;
  stack.push_back(g.name);
  for (std::string_view m : g.members) {
    if (m.starts_with('@')) {
      if (auto nested = find_syscall_group(m)) expand_into(*nested, out, stack);
    } else {
      out.emplace(m);
    }
  }
  stack.pop_back();
}

}  // namespace

std::span<const SyscallGroup> syscall_groups() { return groups(); }

std::optional<SyscallGroup> find_syscall_group(std::string_view name) {
  if (!name.starts_with('@')) {
    for (const SyscallGroup& g : groups())
      if (g.name.substr(1) == name) return g;
    return std::nullopt;
  }
  for (const SyscallGroup& g : groups())
    if (g.name == name) return g;
  return std::nullopt;
}

std::span<const std::string_view> syscall_group_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const SyscallGroup& g : groups()) v.push_back(g.name);
    std::sort(v.begin(), v.end());
    return v;
  }();
  return names;
}

std::vector<std::string> expand_syscall_group(std::string_view name) {
  auto g = find_syscall_group(name);
  if (!g) {
    std::string msg = fmt::format("unknown syscall group '{}'", name);
    std::string word = name.starts_with('@') ? std::string(name) : "@" + std::string(name);
    if (auto s = did_you_mean(word, syscall_group_names())) msg += fmt::format(" (did you mean '{}'?)", *s);
    throw InputError(msg + "; `seccage groups` lists them");
  }
  std::set<std::string> out;
  std::vector<std::string_view> stack;
  expand_into(*g, out, stack);
  return {out.begin(), out.end()};
}

}  // namespace seccage
