// Which syscall numbers a rule can reach on each arch. Two rules interact (the
// order between them can change what the filter decides) only when they reach
// one number on one arch: libseccomp keeps one comparison tree per syscall
// and arch, and refuses or merges a rule only against that tree. The OCI
// writer uses this to regroup rules without reordering interacting ones; the
// linter to test a rule against only the rules that can affect it.
#pragma once

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "seccage/policy.hpp"

namespace seccage::writer_detail {

using ArchNumber = std::pair<Arch, std::uint32_t>;

// Every (arch, number) rule `index` may add to a comparison tree for: its own
// number, and the socketcall/ipc multiplexer where the arch routes the call
// through one. Over-approximates (the multiplexer is listed in every mode).
std::set<ArchNumber> numbers_of_rule(const Policy& policy, std::size_t index);

// Groups of rule indexes that interact, directly or through other rules
// (connected components), each sorted; every rule is in exactly one group.
std::vector<std::vector<std::size_t>> interacting_groups(const Policy& policy);

}  // namespace seccage::writer_detail
