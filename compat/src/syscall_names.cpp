#include "syscall_names.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace seccage::compat {
namespace {

struct PseudoEntry {
  std::string_view name;
  int number;
};
constexpr PseudoEntry kPseudo[] = {
#include "pseudo_syscalls.inc"
};

const std::unordered_map<std::string_view, int>& pseudo_by_name() {
  static const auto map = [] {
    std::unordered_map<std::string_view, int> m;
    for (const auto& e : kPseudo) m.emplace(e.name, e.number);
    return m;
  }();
  return map;
}

}  // namespace

std::optional<int> pseudo_number(std::string_view name) {
  const auto& map = pseudo_by_name();
  auto it = map.find(name);
  if (it == map.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string_view> pseudo_name(int number) {
  for (const auto& e : kPseudo) {
    if (e.number == number) return e.name;
  }
  return std::nullopt;
}

std::span<const std::uint32_t> numbers_by_id(Arch arch) { return syscall_numbers_by_id(arch); }

bool has_multiplexer(Arch arch, std::string_view via) { return syscall_number(arch, via).has_value(); }

namespace {

// A socket/IPC sub-call (by name id) on an arch that multiplexes it:
// libseccomp answers with the pseudo number even where the arch also has the
// direct syscall (i386's socket is 359 since Linux 4.3), and expands rules on
// it to both.
std::optional<MultiplexedCall> multiplexed_here(Arch arch, std::uint32_t id) {
  if (id == kNoSyscall) return std::nullopt;
  auto call = multiplexed_call_by_id(id);
  if (call && has_multiplexer(arch, call->via)) return call;
  return std::nullopt;
}

// The arch's number for a name id, or nullopt.
std::optional<std::uint32_t> number_by_id(Arch arch, std::uint32_t id) {
  if (id == kNoSyscall) return std::nullopt;
  const std::uint32_t nr = numbers_by_id(arch)[id];
  if (nr == kNoSyscall) return std::nullopt;
  return nr;
}

// resolve_name for a name already hashed to its id (one hash per call: the
// call runs once per rule when a runtime builds its filter).
int resolve_by_id(Arch arch, std::string_view name, std::uint32_t id) {
  if (multiplexed_here(arch, id)) {
    if (auto pnr = pseudo_number(name)) return *pnr;
  }
  if (auto nr = number_by_id(arch, id)) return static_cast<int>(*nr);
  if (auto pnr = pseudo_number(name)) return *pnr;
  return kNrError;
}

}  // namespace

int resolve_name(Arch arch, std::string_view name) { return resolve_by_id(arch, name, find_syscall_name_id(name)); }

int resolve_name_rewrite(Arch arch, std::string_view name) {
  const std::uint32_t id = find_syscall_name_id(name);
  if (auto call = multiplexed_here(arch, id)) return static_cast<int>(*syscall_number(arch, call->via));
  return resolve_by_id(arch, name, id);
}

std::optional<std::string> resolve_number(Arch arch, int number) {
  if (number < 0) return std::nullopt;
  if (auto name = syscall_name(arch, static_cast<std::uint32_t>(number))) return std::string(*name);
  return std::nullopt;
}

}  // namespace seccage::compat
