#include "model_check.hpp"

#include <fmt/format.h>

#include <array>

namespace seccage::compat_test {

std::vector<std::string> mismatches_with_model(const bpf::Program& program, const Policy& policy,
                                               const std::function<bool(Arch, std::uint32_t)>& skip) {
  static constexpr std::array<std::uint64_t, 14> kValues = {
      0, 1, 2, 5, 9, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x100000001, 0x100000005,
      0x1ffffffff, 0x7fffffffffffffff, 0xffffffffffffffff};
  std::vector<std::string> out;
  std::vector<Arch> arches = policy.effective_arches();
  arches.push_back(Arch::aarch64);  // one foreign arch (or a second look at a policy arch)
  for (Arch arch : arches) {
    const ArchInfo& info = arch_info(arch);
    for (std::uint32_t nr = info.nr_offset; nr <= info.max_nr + 8; ++nr) {
      if (skip && skip(arch, nr)) continue;
      for (std::uint64_t a : kValues) {
        for (std::uint64_t b : {std::uint64_t{0}, std::uint64_t{5}, std::uint64_t{0x100000005}}) {
          const std::uint64_t args[6] = {a, b, a, b, a, b};
          bpf::SeccompData data;
          data.arch = info.audit_arch;
          data.nr = static_cast<std::int32_t>(nr);
          for (int i = 0; i < 6; ++i) data.args[static_cast<std::size_t>(i)] = args[i];
          const Action got = bpf::emulate(program, data).action;
          const Action want = evaluate(policy, info.audit_arch, static_cast<std::int32_t>(nr), args);
          if (got != want && out.size() < 20) {
            out.push_back(fmt::format("{} nr {} a={:#x} b={:#x}: program {} model {}", info.name, nr, a, b,
                                      got.to_string(), want.to_string()));
          }
        }
      }
    }
  }
  return out;
}

}  // namespace seccage::compat_test
