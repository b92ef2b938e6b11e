// From a filter's state to seccage's Policy and compiled program.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "context.hpp"
#include "seccage/bpf.hpp"
#include "seccage/policy.hpp"

namespace seccage::compat {

// How rules on socket/IPC sub-calls reach socketcall/ipc (docs/compat.md):
// seccage's Safe mode unless SECCAGE_COMPAT_MULTIPLEX=compatible asks for
// libseccomp's.
MultiplexMode multiplex_mode();

// Whether the rule names a syscall one of the arches has (rules by number
// always apply).
bool rule_applies_somewhere(const Rule& rule, const std::vector<Arch>& arches);

// The Policy the state stands for. Rules on a name that none of the filter's
// arches has are left out: they can never match (libseccomp files them under
// a pseudo number no syscall has). `kept`, when given, receives the index in
// state.rules of each rule of the result.
Policy to_policy(const FilterState& state, const std::vector<Rule>& rules, std::vector<std::size_t>* kept = nullptr);

// The index (in `rules`) of the first rule libseccomp would refuse for the
// state's arches, in libseccomp's multiplexer expansion or in the mode the
// filter is built with: a rule refused in either is refused at once, so the
// compiled policy never drops a rule the caller was told was added.
// nullopt when none is.
std::optional<std::size_t> first_refused(const FilterState& state, const std::vector<Rule>& rules);

// The program of the context's current state, built once and kept until the
// state changes. Throws InputError for a filter without arches or one whose
// program would pass the kernel's 4096 instructions.
const bpf::Program& built_program(FilterContext& ctx);

}  // namespace seccage::compat
