#include "compiler/ir.hpp"

namespace seccage::compiler {

std::size_t Graph::NodeHash::operator()(const Node& n) const {
  // FNV-style mixing of every field; collisions only cost a comparison.
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::uint64_t v) { h = (h ^ v) * 1099511628211ull; };
  mix(static_cast<std::uint64_t>(n.kind));
  mix(n.ret);
  mix(n.load.offset);
  mix(n.load.mask);
  mix(n.jmp);
  mix(n.k);
  mix(n.if_true);
  mix(n.if_false);
  return static_cast<std::size_t>(h);
}

NodeId Graph::intern(const Node& node) {
  auto it = index_.find(node);
  if (it != index_.end()) return it->second;
  const auto id = static_cast<NodeId>(nodes_.size());
  nodes_.push_back(node);
  index_.emplace(node, id);
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
