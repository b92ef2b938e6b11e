#include "lint/checks/policy_checks.hpp"

namespace seccage::lint_detail {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

std::string arch_list(const std::vector<Arch>& arches) {
  std::vector<std::string> names;
  for (Arch a : arches) names.emplace_back(arch_name(a));
  return join(names);
}

std::string conditions_text(const Rule& r) {
  std::vector<std::string> parts;
  for (const Condition& c : r.conditions) parts.push_back(c.to_string());
  return join(parts, " && ");
}

bool name_exists(Arch arch, const std::string& name) {
  if (syscall_number(arch, name)) return true;
  auto mux = multiplexed_call(name);
  return mux && syscall_number(arch, mux->via);
}

}  // namespace seccage::lint_detail
