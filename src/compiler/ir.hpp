// The compiler's intermediate form: a DAG of tests and returns, hash-consed so
// that every distinct sub-program exists once. Code generation (codegen.cpp)
// lays it out as BPF; everything before it only builds nodes.
#pragma once

#include <cstdint>
#include <vector>

namespace seccage::compiler {

using NodeId = std::uint32_t;

// FNV-1a style mixing, for the compiler's hash tables (node interning, the
// argument-check builder's memo): collisions only cost a comparison there.
struct FnvHash {
  std::uint64_t h = 1469598103934665603ull;
  void mix(std::uint64_t v) { h = (h ^ v) * 1099511628211ull; }
};

// What the accumulator must hold for a test: a 32-bit word of seccomp_data,
// optionally ANDed with a mask (for masked comparisons that JSET cannot do).
struct Load {
  std::uint32_t offset = 0;
  std::uint32_t mask = 0xffffffffu;  // 0xffffffff: no AND
  friend bool operator==(const Load&, const Load&) = default;
};

struct Node {
  enum class Kind : std::uint8_t { Return, Test };
  Kind kind = Kind::Return;
  std::uint32_t ret = 0;     // Return: the filter's return value
  Load load;                 // Test: what A must hold
  std::uint16_t jmp = 0;     // Test: BPF_JMP|JEQ/JGT/JGE/JSET|BPF_K
  std::uint32_t k = 0;       // Test: the constant
  NodeId if_true = 0;        // Test: successor when the comparison holds
  NodeId if_false = 0;

  friend bool operator==(const Node&, const Node&) = default;
};

class Graph {
 public:
  Graph() { nodes_.reserve(256); }
  NodeId ret(std::uint32_t value);
  // A test whose two successors are the same collapses into that successor.
  NodeId test(Load load, std::uint16_t jmp, std::uint32_t k, NodeId if_true, NodeId if_false);

  const Node& operator[](NodeId id) const { return nodes_[id]; }
  std::size_t size() const { return nodes_.size(); }

 private:
  NodeId intern(const Node& node);
  static std::uint64_t hash(const Node& n);
  void grow();

  std::vector<Node> nodes_;
  // Open addressing over node ids (kEmpty: a free slot); interning runs for
  // every syscall and every tree node, so it must not allocate per node.
  static constexpr NodeId kEmpty = 0xffffffffu;
  std::vector<NodeId> slots_;
};

}  // namespace seccage::compiler
