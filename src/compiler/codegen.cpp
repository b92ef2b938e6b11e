#include "compiler/codegen.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

namespace seccage::compiler {
namespace {

using bpf::Insn;
namespace op = bpf::op;

constexpr std::uint32_t kMaxShortJump = 255;
constexpr std::size_t kUnplaced = std::numeric_limits<std::size_t>::max();

// Layout order: reverse post-order of a depth-first walk, so that every edge
// points forward (BPF jumps only forward) and a node's false branch tends to
// sit right after it.
std::vector<NodeId> layout(const Graph& g, NodeId root) {
  std::vector<NodeId> post;
  post.reserve(g.size());
  std::vector<std::uint8_t> state(g.size(), 0);  // 0 new, 1 open, 2 done
  std::vector<std::pair<NodeId, int>> stack{{root, 0}};
  state[root] = 1;
  while (!stack.empty()) {
    auto& [id, step] = stack.back();
    const Node& n = g[id];
    if (n.kind == Node::Kind::Test && step < 2) {
      const NodeId next = step == 0 ? n.if_true : n.if_false;
      ++step;
      if (state[next] == 0) {
        state[next] = 1;
        stack.emplace_back(next, 0);
      }
      continue;
    }
    state[id] = 2;
    post.push_back(id);
    stack.pop_back();
  }
  std::reverse(post.begin(), post.end());
  return post;
}

// Emits instructions back to front: when a jump is written, its targets are
// already placed, so its offsets are known and long ones can be detoured.
class BackwardEmitter {
 public:
  explicit BackwardEmitter(std::size_t expected) { code_.reserve(expected); }
  // Distance from the end of the program of the next instruction emitted.
  std::size_t here() const { return code_.size(); }

  std::size_t emit(Insn insn) {
    code_.push_back(insn);
    return code_.size() - 1;
  }

  // Offset from an instruction about to be placed at here() to `target`.
  std::size_t offset_to(std::size_t target) const { return here() - target - 1; }

  bpf::Program finish() {
    std::reverse(code_.begin(), code_.end());
    return std::move(code_);
  }

 private:
  std::vector<Insn> code_;  // reversed
};

struct Placement {
  std::size_t test = kUnplaced;  // the jump instruction (A already loaded)
  std::size_t full = kUnplaced;  // first instruction: the load, or the jump
};

}  // namespace

bpf::Program generate(const Graph& g, NodeId root) {
  const std::vector<NodeId> order = layout(g, root);

  // A test node needs its own load unless every predecessor leaves the same
  // word in A (a test never changes A; only the load and the AND do).
  std::vector<std::uint8_t> needs_load(g.size(), 0);
  needs_load[root] = 1;
  for (NodeId id : order) {
    const Node& n = g[id];
    if (n.kind != Node::Kind::Test) continue;
    for (NodeId succ : {n.if_true, n.if_false}) {
      if (g[succ].kind == Node::Kind::Test && !(g[succ].load == n.load)) needs_load[succ] = 1;
    }
  }

  BackwardEmitter out(order.size() + order.size() / 2);
  std::vector<Placement> placed(g.size());
  std::map<std::uint32_t, std::size_t> nearest_ret;       // return value -> latest copy
  std::map<std::size_t, std::size_t> nearest_trampoline;  // target -> latest JA to it

  auto place_return = [&](std::uint32_t value) {
    return nearest_ret[value] = out.emit(bpf::stmt(op::RET | op::K, value));
  };

  // Where a jump from a node whose A holds `from` should land in `target`.
  auto entry = [&](NodeId target, const Load& from) {
    const Node& t = g[target];
    if (t.kind == Node::Kind::Return) return nearest_ret.at(t.ret);
    return t.load == from ? placed[target].test : placed[target].full;
  };

  // Makes `target` reachable with an 8-bit offset from the next instruction,
  // adding a copy of a return or a JA when it is too far.
  auto reachable = [&](NodeId target, const Load& from) -> std::size_t {
    std::size_t pos = entry(target, from);
    if (out.offset_to(pos) <= kMaxShortJump) return pos;
    if (g[target].kind == Node::Kind::Return) return place_return(g[target].ret);
    auto tramp = nearest_trampoline.find(pos);
    if (tramp != nearest_trampoline.end() && out.offset_to(tramp->second) <= kMaxShortJump) return tramp->second;
    const auto distance = static_cast<std::uint32_t>(out.offset_to(pos));
    return nearest_trampoline[pos] = out.emit(bpf::stmt(op::JMP | op::JA, distance));
  };

  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const NodeId id = *it;
    const Node& n = g[id];
    if (n.kind == Node::Kind::Return) {
      const std::size_t pos = place_return(n.ret);
      placed[id] = {pos, pos};
      continue;
    }
    // Placing one detour can push the other target out of reach: repeat
    // until both fit (each round places at most one instruction per side).
    std::size_t t_pos = 0, f_pos = 0;
    for (;;) {
      t_pos = reachable(n.if_true, n.load);
      f_pos = reachable(n.if_false, n.load);
      if (out.offset_to(t_pos) <= kMaxShortJump && out.offset_to(f_pos) <= kMaxShortJump) break;
    }
    const std::size_t test = out.emit(bpf::jump(static_cast<std::uint16_t>(op::JMP | n.jmp | op::K), n.k,
                                                static_cast<std::uint8_t>(out.offset_to(t_pos)),
                                                static_cast<std::uint8_t>(out.offset_to(f_pos))));
    std::size_t full = test;
    if (needs_load[id]) {
      if (n.load.mask != 0xffffffffu) full = out.emit(bpf::stmt(op::ALU | op::AND | op::K, n.load.mask));
      full = out.emit(bpf::stmt(op::LD | op::W | op::ABS, n.load.offset));
    }
    placed[id] = {test, full};
  }
  return out.finish();
}

}  // namespace seccage::compiler
