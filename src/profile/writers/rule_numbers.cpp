#include "profile/writers/rule_numbers.hpp"

#include <map>
#include <numeric>
#include <variant>

namespace seccage::writer_detail {

std::set<ArchNumber> numbers_of_rule(const Policy& policy, std::size_t index) {
  const Rule& rule = policy.rules[index];
  std::set<ArchNumber> out;
  for (Arch arch : policy.effective_arches()) {
    if (const auto* nr = std::get_if<std::uint32_t>(&rule.syscall)) {
      out.emplace(arch, *nr);
      continue;
    }
    const std::string& name = std::get<std::string>(rule.syscall);
    if (auto nr = syscall_number(arch, name)) out.emplace(arch, *nr);
    if (auto mux = multiplexed_call(name)) {
      if (auto via = syscall_number(arch, mux->via)) out.emplace(arch, *via);
    }
  }
  return out;
}

std::vector<std::vector<std::size_t>> interacting_groups(const Policy& policy) {
  // Union-find over rules, joined through the numbers they reach.
  std::vector<std::size_t> parent(policy.rules.size());
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  auto find = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::map<ArchNumber, std::size_t> first_rule;
  for (std::size_t i = 0; i < policy.rules.size(); ++i) {
    for (const ArchNumber& n : numbers_of_rule(policy, i)) {
      auto [it, fresh] = first_rule.emplace(n, i);
      if (!fresh) parent[find(i)] = find(it->second);
    }
  }
  std::map<std::size_t, std::vector<std::size_t>> by_root;
  for (std::size_t i = 0; i < policy.rules.size(); ++i) by_root[find(i)].push_back(i);
  std::vector<std::vector<std::size_t>> out;
  for (auto& [root, members] : by_root) out.push_back(std::move(members));
  return out;
}

}  // namespace seccage::writer_detail
