// The learner's recorder: what the supervisor hands it for every call.
// Kept cheap, since it runs once per syscall of the program: one hash lookup
// by (audit arch, number); names and captured arguments are resolved the
// first time a number is seen.
#include <algorithm>
#include <tuple>

#include "seccage/learn.hpp"

namespace seccage::learn {
namespace {

constexpr int kEnosys = 38;

std::uint64_t key_of(std::uint32_t audit_arch, std::uint32_t nr) {
  return static_cast<std::uint64_t>(audit_arch) << 32 | nr;
}

}  // namespace

std::optional<Arch> arch_of_call(std::uint32_t audit_arch, std::uint32_t nr) {
  std::optional<Arch> best;
  std::uint32_t best_offset = 0;
  for (const ArchInfo& info : all_arches()) {
    if (info.audit_arch != audit_arch || nr < info.nr_offset) continue;
    if (!best || info.nr_offset > best_offset) {
      best = info.arch;
      best_offset = info.nr_offset;
    }
  }
  return best;
}

Recording::Entry& Recording::entry(Arch arch, std::uint32_t audit_arch, std::uint32_t nr) {
  auto [it, fresh] = entries_.try_emplace(key_of(audit_arch, nr));
  if (fresh) {
    Entry& e = it->second;
    e.use.arch = arch;
    e.use.nr = nr;
    if (auto name = syscall_name(arch, nr)) {
      e.use.name = std::string(*name);
      e.captured = captured_args(arch, *name);
      // See the class comment: a filter cannot read clone3's flags.
      if (e.use.name == "clone3") e.use.answered_errno = kEnosys;
    }
  }
  return it->second;
}

void Recording::count(Entry& e, const std::array<std::uint64_t, 6>& args) {
  ++e.use.count;
  if (e.captured.empty() || e.use.too_many_values) return;
  ArgValues v{};
  for (std::size_t i = 0; i < e.captured.size(); ++i) v[i] = args[e.captured[i].index] & e.captured[i].mask;
  e.use.values.insert(v);
  if (e.use.values.size() > options_.max_values) {
    // Enough to know that the syscall will be allowed whole: keeping more
    // would only cost memory.
    e.use.too_many_values = true;
    e.use.values.clear();
  }
}

int Recording::record(std::uint32_t audit_arch, std::uint32_t nr, const std::array<std::uint64_t, 6>& args) {
  auto found = entries_.find(key_of(audit_arch, nr));
  if (found == entries_.end()) {
    const auto arch = arch_of_call(audit_arch, nr);
    if (!arch) {
      ++unknown_arch_calls_;
      return 0;
    }
    Entry& e = entry(*arch, audit_arch, nr);
    count(e, args);
    return e.use.answered_errno;
  }
  count(found->second, args);
  return found->second.use.answered_errno;
}

void Recording::add(Arch arch, std::uint32_t nr, const std::array<std::uint64_t, 6>& args) {
  count(entry(arch, arch_info(arch).audit_arch, nr), args);
}

std::vector<SyscallUse> Recording::uses() const {
  std::vector<SyscallUse> out;
  out.reserve(entries_.size());
  for (const auto& [key, e] : entries_) out.push_back(e.use);
  std::sort(out.begin(), out.end(), [](const SyscallUse& a, const SyscallUse& b) {
    return std::make_tuple(a.arch, a.name.empty(), a.name, a.nr) < std::make_tuple(b.arch, b.name.empty(), b.name, b.nr);
  });
  return out;
}

}  // namespace seccage::learn
