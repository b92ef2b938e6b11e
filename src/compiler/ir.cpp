#include "compiler/ir.hpp"

namespace seccage::compiler {

std::uint64_t Graph::hash(const Node& n) {
  FnvHash f;
  f.mix(static_cast<std::uint64_t>(n.kind));
  f.mix(n.ret);
  f.mix(n.load.offset);
  f.mix(n.load.mask);
  f.mix(n.jmp);
  f.mix(n.k);
  f.mix(n.if_true);
  f.mix(n.if_false);
  return f.h ^ (f.h >> 29);
}

void Graph::grow() {
  slots_.assign(slots_.empty() ? 256 : slots_.size() * 2, kEmpty);
  const std::size_t mask = slots_.size() - 1;
  for (NodeId id = 0; id < nodes_.size(); ++id) {
    std::size_t s = hash(nodes_[id]) & mask;
    while (slots_[s] != kEmpty) s = (s + 1) & mask;
    slots_[s] = id;
  }
}

NodeId Graph::intern(const Node& node) {
  if (2 * (nodes_.size() + 1) > slots_.size()) grow();  // load factor at most 1/2
  const std::size_t mask = slots_.size() - 1;
  std::size_t s = hash(node) & mask;
  for (; slots_[s] != kEmpty; s = (s + 1) & mask) {
    if (nodes_[slots_[s]] == node) return slots_[s];
  }
  const auto id = static_cast<NodeId>(nodes_.size());
  nodes_.push_back(node);
  slots_[s] = id;
  return id;
}

NodeId Graph::ret(std::uint32_t value) {
  Node n;
  n.kind = Node::Kind::Return;
  n.ret = value;
  return intern(n);
}

NodeId Graph::test(Load load, std::uint16_t jmp, std::uint32_t k, NodeId if_true, NodeId if_false) {
  if (if_true == if_false) return if_true;
  Node n;
  n.kind = Node::Kind::Test;
  n.load = load;
  n.jmp = jmp;
  n.k = k;
  n.if_true = if_true;
  n.if_false = if_false;
  return intern(n);
}

}  // namespace seccage::compiler
