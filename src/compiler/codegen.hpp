// Lays out an IR graph as a BPF program.
#pragma once

#include "compiler/ir.hpp"
#include "seccage/bpf.hpp"

namespace seccage::compiler {

// Emits the sub-graph reachable from `root`. Each test node loads its word
// only where some path reaches it with another word in A; a conditional jump
// that would pass 255 instructions goes through a JA, or, when its target is
// a return, to a nearby copy of that return (one instruction either way).
bpf::Program generate(const Graph& graph, NodeId root);

}  // namespace seccage::compiler
