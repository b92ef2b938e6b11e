#include "policy/word_tree.hpp"

// Map to libseccomp 2.5.4 (src/db.c unless noted), so that each step of the
// replay can be checked against the function it mirrors. seccage's names
// differ; the logic, not the code, is followed:
//   op_rank              __db_chain_op_priority
//   WordTree::before     _db_chain_lt (with __db_chain_arg_priority)
//   WordTree::same       _db_chain_eq
//   WordTree::leaf       _db_chain_leaf
//   WordTree::zombie     _db_chain_zombie
//   WordTree::get        _db_node_get
//   WordTree::put        _db_node_put
//   WordTree::put_level  _db_level_clean
//   WordTree::put_tree   _db_tree_put
//   WordTree::remove     _db_tree_remove
//   WordTree::actions_all _db_tree_act_check (true where it returns 0)
//   WordTree::prune      _db_tree_prune (flags: _DB_IST_*)
//   WordTree::merge      _db_tree_add
//   WordTree::generate   _db_rule_gen_64 / _db_rule_gen_32 (narrow_)
//   WordTree::add_rule   db_rule_add (the per-arch part of seccomp_rule_add)
//   WordTree::add_unconditional  db_rule_add, for a rule without arguments
//   find/insert/erase    the walk of db_filter's syscall list in db_rule_add
//   checkpoint/rollback  db_col_transaction_start / db_col_transaction_abort
//                        (libseccomp snapshots every filter; the model only
//                        the syscall the rule touches)
//   WordTree::cases      gen_bpf.c: _gen_bpf_chain and _gen_bpf_node (the
//                        order the generated BPF tries the tree in)
//   WordTree::decision   gen_bpf.c: _gen_bpf_syscall
//   WordTree::well_formed, step  no counterpart: they detect the cyclic
//                        levels libseccomp never finishes walking (ELOOP)

#include <algorithm>
#include <cerrno>
#include <stdexcept>

namespace seccage::detail {
namespace {

// What a prune pass learned about the incoming chain against the tree.
constexpr unsigned kMatch = 0x1;        // the chain matched a path so far
constexpr unsigned kMatchOnce = 0x2;    // it matched at some point
constexpr unsigned kTreeDone = 0x10;    // the tree's path ended at the match
constexpr unsigned kChainDone = 0x20;   // the chain ended at the match
constexpr unsigned kTreeLonger = 0x100; // the tree had extra nodes before the match
constexpr unsigned kChainLonger = 0x200;
constexpr unsigned kMatched = kMatch | kMatchOnce;
// The tree already holds a shorter path to the same action: drop the chain.
constexpr unsigned kRedundant = kMatch | kTreeDone | kChainLonger;

// Mirrors __db_chain_op_priority.
// Level order: later arguments first, the high word before the low one, then
// equality tests, then LT/LE, then GT/GE; within one operator by operand.
unsigned op_rank(CmpOp op) {
  switch (op) {
    case CmpOp::EQ:
    case CmpOp::NE:
    case CmpOp::MaskedEq:
      return 3;
    case CmpOp::LT:
    case CmpOp::LE:
      return 2;
    case CmpOp::GT:
    case CmpOp::GE:
      return 1;
  }
  return 0;
}

}  // namespace

int WordTree::new_node() {
  nodes_.emplace_back();
  return static_cast<int>(nodes_.size() - 1);
}

// Mirrors _db_node_get.
int WordTree::get(int node) {
  if (node >= 0) ++nodes_[node].refs;
  return node;
}

// Mirrors _db_node_put.
// Drops one reference. A node that loses its last one leaves its level (its
// neighbours are re-linked) and releases the levels below it; `node` is then
// moved to a surviving neighbour, as callers walking a level expect.
unsigned WordTree::put(int& node) {
  if (node < 0) return 0;
  unsigned count = 0;
  Node& n = nodes_[node];
  if (--n.refs == 0) {
    int left = n.prev, right = n.next;
    int below_true = n.on_true, below_false = n.on_false;
    if (left >= 0) nodes_[left].next = -1;
    if (right >= 0) nodes_[right].prev = -1;
    if (left >= 0) count += put(left);
    if (right >= 0) count += put(right);
    if (left >= 0) nodes_[left].next = get(right);
    if (right >= 0) nodes_[right].prev = get(left);
    node = left >= 0 ? left : right;
    count += put_tree(below_true);
    count += put_tree(below_false);
    n.dead = true;
    ++count;
  }
  return count;
}

// Mirrors _db_level_clean.
// Frees a whole level when nothing but the level's own sibling links refers
// to any of its nodes.
unsigned WordTree::put_level(int node) {
  int start = level_start(node);
  for (int m = start; m >= 0; m = nodes_[m].next) {
    unsigned links = (nodes_[m].prev >= 0 ? 1u : 0u) + (nodes_[m].next >= 0 ? 1u : 0u);
    if (nodes_[m].refs > links) return 0;
  }
  unsigned count = 0;
  int m = start;
  while (m >= 0) {
    step();
    count += put(m);
  }
  return count;
}

// Mirrors _db_tree_put.
unsigned WordTree::put_tree(int& node) {
  unsigned count = put(node);
  if (node >= 0) count += put_level(node);
  return count;
}

int WordTree::level_start(int node) const {
  for (std::size_t guard = 0; nodes_[node].prev >= 0; ++guard) {
    if (guard > nodes_.size()) throw std::logic_error("word tree: cycle on a level");
    node = nodes_[node].prev;
  }
  return node;
}

void WordTree::step() const {
  if (++steps_ > kStepBudget) throw std::logic_error("word tree: walk does not terminate");
}

// Mirrors _db_tree_remove.
// Searches the tree below `tree` for `node` and unlinks it with everything
// beneath it. Nodes left with neither a branch nor an action on the way are
// removed instead; the search stops at the first removal.
unsigned WordTree::remove(int& tree, int node) {
  if (tree < 0 || node < 0) return 0;
  unsigned count = 0;
  int c = level_start(tree);
  bool found = false;
  do {
    step();
    if (c == node) {
      found = true;
      break;
    }
    count += remove(nodes_[c].on_true, node);
    count += remove(nodes_[c].on_false, node);
    if (zombie(c)) {
      found = true;
      break;
    }
    c = nodes_[c].next;
  } while (c >= 0 && count == 0);
  if (!found) return count;

  Node& n = nodes_[c];
  if (c == tree) tree = n.prev >= 0 ? n.prev : n.next;
  if (n.prev >= 0) nodes_[n.prev].next = n.next;
  if (n.next >= 0) nodes_[n.next].prev = n.prev;
  n.prev = -1;
  n.next = -1;
  count += put(c);
  return count;
}

// Mirrors _db_tree_act_check (which returns 0 where this returns true).
// True when every action on `tree`'s level and below it equals `ret`.
bool WordTree::actions_all(int tree, std::uint32_t ret) const {
  if (tree < 0) return true;
  for (int c = level_start(tree); c >= 0; c = nodes_[c].next) {
    step();
    const Node& n = nodes_[c];
    if (n.has_true && n.ret_true != ret) return false;
    if (n.has_false && n.ret_false != ret) return false;
    if (!actions_all(n.on_true, ret) || !actions_all(n.on_false, ret)) return false;
  }
  return true;
}

// Mirrors _db_chain_lt.
bool WordTree::before(int a, int b) const {
  const Node& x = nodes_[a];
  const Node& y = nodes_[b];
  unsigned xa = x.arg * 2u + (x.high ? 1u : 0u), ya = y.arg * 2u + (y.high ? 1u : 0u);
  if (xa != ya) return xa < ya;
  unsigned xo = op_rank(x.orig), yo = op_rank(y.orig);
  if (xo != yo) return xo < yo;
  // LT/LE order the other way round so that smaller bounds are tried first.
  if (x.orig == CmpOp::LT || x.orig == CmpOp::LE) return x.value > y.value;
  return x.value < y.value;
}

// Mirrors _db_chain_eq.
bool WordTree::same(int a, int b) const {
  const Node& x = nodes_[a];
  const Node& y = nodes_[b];
  return x.arg == y.arg && x.high == y.high && x.op == y.op && x.value == y.value && x.mask == y.mask;
}

// Mirrors _db_rule_gen_64, and _db_rule_gen_32 for narrow (32-bit) arches.
WordTree::Generated WordTree::generate(const WordRule& rule) {
  Generated g;
  g.rule = rule.rule;
  std::vector<int> open;  // nodes whose `branch` continues to the next check
  bool branch = false;
  auto attach = [&](int node) {
    for (int p : open) link(p, branch) = get(node);
    open.clear();
    if (g.chains < 0) g.chains = get(node);
  };
  auto make = [&](std::uint8_t arg, bool high, WordOp op, const ArgCheck& c, std::uint32_t value, std::uint32_t mask) {
    int id = new_node();
    Node& n = nodes_[id];
    n.arg = arg;
    n.high = high;
    n.op = op;
    n.orig = c.op;
    n.mask = mask;
    n.value = value & mask;  // libseccomp masks the operand, even for MaskedEq
    n.full = c.value;
    return id;
  };

  for (std::uint8_t arg = 0; arg < 6; ++arg) {
    const ArgCheck& c = rule.args[arg];
    if (!c.valid) continue;
    std::uint32_t lo_mask = static_cast<std::uint32_t>(c.mask);
    std::uint32_t hi_mask = static_cast<std::uint32_t>(c.mask >> 32);
    std::uint32_t lo = static_cast<std::uint32_t>(c.value);
    std::uint32_t hi = static_cast<std::uint32_t>(c.value >> 32);
    if (narrow_ || c.low_only) {
      // 32-bit ABIs, and 32-bit arguments: one node on the low word; the
      // operand's high half is dropped. A masked test with no mask bits is
      // skipped as always true.
      if (c.op == CmpOp::MaskedEq && lo_mask == 0) continue;
      WordOp op = WordOp::EQ;
      bool next_branch = true;
      switch (c.op) {
        case CmpOp::EQ: op = WordOp::EQ; break;
        case CmpOp::NE: op = WordOp::EQ; next_branch = false; break;
        case CmpOp::GT: op = WordOp::GT; break;
        case CmpOp::GE: op = WordOp::GE; break;
        case CmpOp::LT: op = WordOp::GE; next_branch = false; break;
        case CmpOp::LE: op = WordOp::GT; next_branch = false; break;
        case CmpOp::MaskedEq: op = WordOp::MaskedEq; break;
      }
      int n = make(arg, false, op, c, lo, c.op == CmpOp::MaskedEq ? lo_mask : 0xffffffffu);
      attach(n);
      open = {n};
      branch = next_branch;
      continue;
    }
    if (c.op == CmpOp::MaskedEq && c.mask == 0) continue;
    switch (c.op) {
      case CmpOp::GT:
      case CmpOp::GE:
      case CmpOp::LT:
      case CmpOp::LE: {
        // hi > R.hi decides at once; hi == R.hi defers to the low word.
        bool strict_low = c.op == CmpOp::GT || c.op == CmpOp::LE;
        int above = make(arg, true, WordOp::GT, c, hi, 0xffffffffu);
        int equal = make(arg, true, WordOp::EQ, c, hi, 0xffffffffu);
        int low = make(arg, false, strict_low ? WordOp::GT : WordOp::GE, c, lo, 0xffffffffu);
        attach(above);
        nodes_[above].on_false = get(equal);
        nodes_[equal].on_true = get(low);
        if (c.op == CmpOp::GT || c.op == CmpOp::GE) {
          open = {above, low};
          branch = true;
        } else {
          open = {equal, low};
          branch = false;
        }
        break;
      }
      case CmpOp::EQ:
      case CmpOp::NE:
      case CmpOp::MaskedEq: {
        bool masked = c.op == CmpOp::MaskedEq;
        WordOp op = masked ? WordOp::MaskedEq : WordOp::EQ;
        int high = make(arg, true, op, c, hi, masked ? hi_mask : 0xffffffffu);
        int low = make(arg, false, op, c, lo, masked ? lo_mask : 0xffffffffu);
        attach(high);
        nodes_[high].on_true = get(low);
        if (c.op == CmpOp::NE) {
          open = {high, low};
          branch = false;
        } else {
          open = {low};
          branch = true;
        }
        break;
      }
    }
  }

  if (g.chains >= 0) {
    for (int p : open) {
      Node& n = nodes_[p];
      if (branch) {
        n.has_true = true;
        n.ret_true = rule.ret;
        n.rule_true = rule.rule;
      } else {
        n.has_false = true;
        n.ret_false = rule.ret;
        n.rule_false = rule.rule;
      }
    }
  } else {
    g.ret = rule.ret;
  }
  return g;
}

// Mirrors _db_tree_prune.
// Compares the incoming chain with the tree before merging: removes tree paths
// the chain makes unnecessary (the chain is a prefix of them and they all lead
// to the chain's action) and detects a chain the tree already covers. Returns
// the number of nodes removed.
int WordTree::prune(int existing, int incoming, PruneState& state) {
  int count = 0;
  PruneState local = state;
  int x = existing;
  const int n = incoming;

  auto finish = [&]() {
    if (local.flags & kMatch)
      state.flags |= local.flags;
    else
      state.flags &= ~kMatch;
    return count;
  };
  // Descends one level on the tree side or the chain side with `sub` flags;
  // returns true when the caller should stop looking at this level.
  auto descend = [&](int tree_below, int chain_below, unsigned clear, unsigned set, bool stop_on_match,
                     bool& x_gone) {
    get(x);
    PruneState next = state;
    next.flags &= ~clear;
    next.flags |= set;
    count += prune(tree_below, chain_below, next);
    count += static_cast<int>(put(x));
    x_gone = x < 0;
    if (next.flags & kMatch) {
      local.flags |= next.flags;
      return stop_on_match;
    }
    return false;
  };

  if (n < 0 || x < 0) return finish();
  if ((state.flags & kMatched) == kMatchOnce) return finish();
  x = level_start(x);

  do {
    step();
    int x_next = nodes_[x].next;
    bool x_gone = false;
    if (same(x, n)) {
      local.flags |= kMatched;
      if (leaf(n)) local.flags |= kChainDone;
      if (leaf(x)) local.flags |= kTreeDone;
      const Node& xn = nodes_[x];
      const Node& nn = nodes_[n];
      if ((xn.has_true || xn.on_true >= 0) && !(nn.has_true || nn.on_true >= 0)) return finish();
      if ((xn.has_false || xn.on_false >= 0) && !(nn.has_false || nn.on_false >= 0)) return finish();
      if ((local.flags & kChainDone) && (local.flags & kTreeDone)) {
        if (nn.has_true != xn.has_true || nn.ret_true != xn.ret_true) return finish();
        if (nn.has_false != xn.has_false || nn.ret_false != xn.ret_false) return finish();
      }
      if (nodes_[n].on_true >= 0) {
        descend(nodes_[x].on_true, nodes_[n].on_true, 0, kMatched, false, x_gone);
        if (x_gone) goto next_node;
      }
      if (nodes_[n].on_false >= 0) {
        descend(nodes_[x].on_false, nodes_[n].on_false, 0, kMatched, false, x_gone);
        if (x_gone) goto next_node;
      }
      if (actions_all(x, local.ret) && (local.flags & kMatch) && (local.flags & kChainDone) &&
          (local.flags & kTreeLonger)) {
        // The chain is shorter and leads to the same action: the tree's
        // longer path goes.
        count += static_cast<int>(remove(state.sys->chains, x));
        if (state.sys->chains < 0) return finish();
      } else if (actions_all(x, local.ret) && (local.flags & kMatch) && (local.flags & kTreeDone) &&
                 (local.flags & kChainLonger)) {
        return finish();
      }
    } else if (before(x, n)) {
      if (state.flags & kChainLonger) return finish();
      if (nodes_[x].on_true >= 0) {
        if (descend(nodes_[x].on_true, n, kMatch, kTreeLonger, true, x_gone)) return finish();
        if (x_gone) goto next_node;
      }
      if (nodes_[x].on_false >= 0) {
        if (descend(nodes_[x].on_false, n, kMatch, kTreeLonger, true, x_gone)) return finish();
        if (x_gone) goto next_node;
      }
    } else {
      if (state.flags & kTreeLonger) return finish();
      if (nodes_[n].on_true >= 0) {
        if (descend(x, nodes_[n].on_true, kMatch, kChainLonger, true, x_gone)) return finish();
        if (x_gone) goto next_node;
      }
      if (nodes_[n].on_false >= 0) {
        if (descend(x, nodes_[n].on_false, kMatch, kChainLonger, true, x_gone)) return finish();
        if (x_gone) goto next_node;
      }
    }
  next_node:
    x = x_next;
  } while (x >= 0);

  local.flags &= ~kMatch;
  return finish();
}

// Mirrors _db_tree_add.
// Merges the incoming chain into the tree level by level: equal nodes are
// shared, a new node goes to its place in the level's order. Returns -EEXIST
// when the same comparisons already end in a different action.
int WordTree::merge(int& existing, int incoming) {
  int x = existing;
  Node& n = nodes_[incoming];
  do {
    step();
    Node& xn = nodes_[x];
    if (same(x, incoming)) {
      if (n.has_true) {
        if (!xn.has_true) {
          if (!actions_all(xn.on_true, n.ret_true)) return -EEXIST;
          put(xn.on_true);
          xn.on_true = -1;
          xn.ret_true = n.ret_true;
          xn.rule_true = n.rule_true;
          xn.has_true = true;
        } else if (n.ret_true != xn.ret_true) {
          if (n.high && n.full > xn.full) {
            xn.ret_true = n.ret_true;
            xn.rule_true = n.rule_true;
          }
          if (leaf(x) || leaf(incoming)) return -EEXIST;
        }
      }
      if (n.has_false) {
        if (!xn.has_false) {
          if (!actions_all(xn.on_false, n.ret_false)) return -EEXIST;
          put(xn.on_false);
          xn.on_false = -1;
          xn.ret_false = n.ret_false;
          xn.rule_false = n.rule_false;
          xn.has_false = true;
        } else if (n.ret_false != xn.ret_false) {
          // libseccomp 2.5.4 updates the true action here, not the false
          // one; the model follows it.
          if (n.high && n.full < xn.full) {
            xn.ret_true = n.ret_true;
            xn.rule_true = n.rule_true;
          }
          if (leaf(x) || leaf(incoming)) return -EEXIST;
        }
      }
      if (n.on_true >= 0) {
        if (xn.on_true >= 0) {
          int rc = merge(xn.on_true, n.on_true);
          if (rc != 0) return rc;
        } else if (!xn.has_true) {
          xn.on_true = get(n.on_true);
        } else {
          return 0;  // the tree already decides here with a shorter path
        }
      }
      if (n.on_false >= 0) {
        if (xn.on_false >= 0) {
          int rc = merge(xn.on_false, n.on_false);
          if (rc != 0) return rc;
        } else if (!xn.has_false) {
          xn.on_false = get(n.on_false);
        } else {
          return 0;
        }
      }
      return 0;
    }
    if (!before(x, incoming)) {
      if (xn.next < 0) {
        n.prev = get(x);
        xn.next = get(incoming);
        return 0;
      }
      x = xn.next;
      continue;
    }
    // Insert before x.
    if (xn.prev >= 0) {
      nodes_[xn.prev].next = get(incoming);
      n.prev = xn.prev;
      xn.prev = get(incoming);
      n.next = x;
    } else {
      xn.prev = get(incoming);
      n.next = get(x);
    }
    if (existing == x) {
      existing = get(incoming);
      put(x);
    }
    return 0;
  } while (x >= 0);
  return 0;
}

// find, insert and erase stand for db_rule_add's walk of the syscall list.
const WordTree::Syscall* WordTree::find(std::int64_t nr) const {
  const std::int64_t slot = nr - dense_first_;
  if (slot >= 0 && slot < static_cast<std::int64_t>(dense_.size())) {
    const Syscall& s = dense_[static_cast<std::size_t>(slot)];
    return s.present ? &s : nullptr;
  }
  auto it = sparse_.find(nr);
  return it == sparse_.end() ? nullptr : &it->second;
}

void WordTree::insert(std::int64_t nr, int chains, std::uint32_t ret, int rule) {
  const std::int64_t slot = nr - dense_first_;
  Syscall& out = slot >= 0 && slot < static_cast<std::int64_t>(dense_.size()) ? dense_[static_cast<std::size_t>(slot)]
                                                                              : sparse_[nr];
  // Field by field: copying a Syscall built on the stack just before stalls
  // on store forwarding, and this runs for every rule on every arch.
  out.chains = chains;
  out.ret = ret;
  out.rule = rule;
  out.present = true;
}

void WordTree::erase(std::int64_t nr) {
  const std::int64_t slot = nr - dense_first_;
  if (slot >= 0 && slot < static_cast<std::int64_t>(dense_.size())) dense_[static_cast<std::size_t>(slot)] = Syscall{};
  else sparse_.erase(nr);
}

// checkpoint and rollback stand for db_col_transaction_start and
// db_col_transaction_abort, narrowed to the one syscall a rule touches.
WordTree::Checkpoint WordTree::checkpoint(std::int64_t nr) const {
  Checkpoint cp;
  cp.nr = nr;
  cp.node_count = nodes_.size();
  const Syscall* entry = find(nr);
  if (entry == nullptr) return cp;
  cp.entry = *entry;
  std::vector<int> todo{entry->chains};
  std::vector<char> seen(nodes_.size());
  while (!todo.empty()) {
    const int n = todo.back();
    todo.pop_back();
    if (n < 0 || seen[static_cast<std::size_t>(n)]) continue;
    seen[static_cast<std::size_t>(n)] = 1;
    const Node& node = nodes_[static_cast<std::size_t>(n)];
    cp.nodes.emplace_back(n, node);
    for (int next : {node.prev, node.next, node.on_true, node.on_false}) todo.push_back(next);
  }
  return cp;
}

void WordTree::rollback(const Checkpoint& cp) {
  nodes_.resize(cp.node_count);
  for (const auto& [index, node] : cp.nodes) nodes_[static_cast<std::size_t>(index)] = node;
  if (cp.entry) insert(cp.nr, cp.entry->chains, cp.entry->ret, cp.entry->rule);
  else erase(cp.nr);
}

// The per-arch step of seccomp_rule_add (db_rule_add), with libseccomp's
// endless loop turned into -ELOOP.
int WordTree::add(const WordRule& rule) {
  steps_ = 0;
  try {
    return add_rule(rule);
  } catch (const std::logic_error&) {
    // A loop in the tree: libseccomp would never finish either.
    return -ELOOP;
  }
}

// Mirrors db_rule_add for a rule without argument checks.
void WordTree::add_unconditional(std::int64_t nr, std::uint32_t ret, int rule) {
  Syscall* existing = find(nr);
  if (existing == nullptr) {
    insert(nr, -1, ret, rule);
  } else if (existing->chains >= 0) {
    // An unconditional rule replaces every conditional one, whatever the
    // actions and the order.
    steps_ = 0;
    put_tree(existing->chains);
    *existing = Syscall{-1, ret, rule, true};
  }
}

// Mirrors db_rule_add: generate the chain, then the prune loop and the
// merge (_db_tree_prune, _db_tree_add).
int WordTree::add_rule(const WordRule& rule) {
  const bool unconditional =
      std::none_of(rule.args.begin(), rule.args.end(), [](const ArgCheck& c) { return c.valid; });
  // Most rules in real profiles are unconditional: they need no nodes.
  if (unconditional) {
    add_unconditional(rule.nr, rule.ret, rule.rule);
    return 0;
  }
  Syscall* existing = find(rule.nr);
  Generated g = generate(rule);
  if (existing == nullptr) {
    insert(rule.nr, g.chains, g.ret, g.rule);
    return 0;
  }
  Syscall& s = *existing;
  bool pruned = false;
  for (;;) {
    if (s.chains < 0) {
      // Unconditional already: nothing can add to it, unless pruning just
      // emptied the tree, in which case the new chain replaces it.
      if (pruned) {
        s.chains = g.chains;
        s.ret = g.ret;
        s.rule = g.rule;
      } else {
        put_tree(g.chains);
      }
      return 0;
    }
    if (g.chains < 0) {
      // An unconditional rule replaces every conditional one, whatever the
      // actions and the order.
      put_tree(s.chains);
      s.chains = -1;
      s.ret = rule.ret;
      s.rule = rule.rule;
      return 0;
    }
    PruneState state;
    state.ret = rule.ret;
    state.sys = &s;
    int removed = prune(s.chains, g.chains, state);
    if (removed > 0) {
      pruned = true;
      if (s.chains < 0) continue;
    } else if ((state.flags & kRedundant) == kRedundant) {
      put_tree(g.chains);
      return 0;
    }
    break;
  }
  int rc = merge(s.chains, g.chains);
  if (rc < 0) return rc;
  put_tree(g.chains);
  std::vector<char> seen(nodes_.size());
  if (!well_formed(s.chains, seen)) return -ELOOP;
  return 0;
}

// No libseccomp counterpart (see the map at the top).
// libseccomp 2.5.4 can link a level into a loop (inserting a node before one
// reached through a second parent pointer that is not the level's head); it
// then never finishes generating the filter. Such a tree has no meaning to
// model, so the rule that made it is refused.
bool WordTree::well_formed(int node, std::vector<char>& seen) const {
  if (node < 0) return true;
  // A level longer than there are nodes goes round in a circle.
  const std::size_t limit = nodes_.size();
  int start = node;
  for (std::size_t steps = 0; nodes_[start].prev >= 0; ++steps) {
    if (steps > limit) return false;
    start = nodes_[start].prev;
  }
  if (seen[static_cast<std::size_t>(start)]) return true;
  seen[static_cast<std::size_t>(start)] = 1;
  std::size_t steps = 0;
  for (int c = start; c >= 0; c = nodes_[c].next) {
    if (++steps > limit) return false;
    if (!well_formed(nodes_[c].on_true, seen) || !well_formed(nodes_[c].on_false, seen)) return false;
  }
  return true;
}

// Mirrors the control flow of gen_bpf.c's _gen_bpf_chain and _gen_bpf_node.
// The BPF libseccomp generates tries a level's nodes in order; a branch with
// neither a deeper level nor an action falls through to the next node, and the
// end of a level falls back to the node after the one that led into it. So a
// depth-first walk that emits each action with the tests on its path yields
// the first-match list.
void WordTree::cases(int level, std::vector<WordTest>& path, std::vector<DecisionCase>& out, int depth) const {
  if (depth > 64) throw std::logic_error("word tree: level nesting too deep");
  for (int c = level_start(level); c >= 0; c = nodes_[c].next) {
    const Node& n = nodes_[c];
    for (bool branch : {true, false}) {
      WordTest t;
      t.arg = n.arg;
      t.high = n.high;
      t.op = n.op;
      t.value = n.value;
      t.mask = n.op == WordOp::MaskedEq ? n.mask : 0xffffffffu;
      t.expect = branch;
      int below = branch ? n.on_true : n.on_false;
      bool has = branch ? n.has_true : n.has_false;
      if (below < 0 && !has) continue;
      path.push_back(t);
      if (below >= 0) {
        cases(below, path, out, depth + 1);
      } else {
        out.push_back(DecisionCase{path, Action::from_ret(branch ? n.ret_true : n.ret_false),
                                   branch ? n.rule_true : n.rule_false});
      }
      path.pop_back();
    }
  }
}

// Mirrors gen_bpf.c's _gen_bpf_syscall: an unconditional entry is one
// action, a tree is its first-match cases.
Decision WordTree::decision(std::int64_t nr, Action fallthrough) const {
  Decision d;
  d.otherwise = fallthrough;
  const Syscall* s = find(nr);
  if (s == nullptr) return d;
  if (s->chains < 0) {
    d.otherwise = Action::from_ret(s->ret);
    return d;
  }
  std::vector<WordTest> path;
  cases(s->chains, path, d.cases, 0);
  return d;
}

}  // namespace seccage::detail
