// Runs a compiler IR graph (src/compiler/ir.hpp) directly on a seccomp_data:
// the reference the dispatch, argument-check and code generation unit tests
// hold emitted BPF to, without going through codegen itself.
#pragma once

#include <cstdint>
#include <stdexcept>

#include "compiler/ir.hpp"
#include "seccage/bpf.hpp"

namespace seccage::test {

// The 32-bit word of seccomp_data at `offset`, as BPF's LD W ABS reads it.
inline std::uint32_t seccomp_word(const bpf::SeccompData& d, std::uint32_t offset, bool little_endian) {
  if (offset == bpf::kOffNr) return static_cast<std::uint32_t>(d.nr);
  if (offset == bpf::kOffArch) return d.arch;
  if (offset >= 16 && offset < 64 && offset % 4 == 0) {
    const std::uint64_t arg = d.args[(offset - 16) / 8];
    const bool first_half = (offset - 16) % 8 == 0;
    // The first word in memory is the low one on little-endian arches.
    const bool low = first_half == little_endian;
    return low ? static_cast<std::uint32_t>(arg) : static_cast<std::uint32_t>(arg >> 32);
  }
  throw std::invalid_argument("seccomp_word: offset outside nr, arch and args");
}

// The return value the graph gives for `d`.
inline std::uint32_t run_graph(const compiler::Graph& g, compiler::NodeId root, const bpf::SeccompData& d,
                               bool little_endian = true) {
  compiler::NodeId id = root;
  for (std::size_t steps = 0; steps <= g.size(); ++steps) {
    const compiler::Node& n = g[id];
    if (n.kind == compiler::Node::Kind::Return) return n.ret;
    const std::uint32_t a = seccomp_word(d, n.load.offset, little_endian) & n.load.mask;
    bool holds = false;
    switch (n.jmp) {
      case bpf::op::JEQ: holds = a == n.k; break;
      case bpf::op::JGT: holds = a > n.k; break;
      case bpf::op::JGE: holds = a >= n.k; break;
      case bpf::op::JSET: holds = (a & n.k) != 0; break;
      default: throw std::invalid_argument("run_graph: unknown jump");
    }
    id = holds ? n.if_true : n.if_false;
  }
  throw std::logic_error("run_graph: the graph has a cycle");
}

}  // namespace seccage::test
