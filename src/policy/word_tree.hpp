// A model of how libseccomp 2.5.4 turns the rules of one syscall into a tree
// of 32-bit word comparisons, and in which order its generated BPF walks that
// tree. seccage's semantics are defined as "what libseccomp's filter returns"
// (docs/semantics.md), and for overlapping conditional rules with different
// actions that answer depends on how libseccomp merges, prunes and orders the
// tree as rules arrive, so the model replays those steps node for node rather
// than deriving precedence from a simpler rule (every simpler rule we tried
// disagreed with libseccomp on some random policy).
//
// Internal to src/policy: semantics.cpp turns the finished trees into
// Decisions; nothing else should depend on the node layout.
#pragma once

#include <cstdint>
#include <array>
#include <deque>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "seccage/decision.hpp"
#include "seccage/policy.hpp"

namespace seccage::detail {

// One condition as libseccomp stores it for a rule: at most one per argument.
struct ArgCheck {
  bool valid = false;
  CmpOp op = CmpOp::EQ;
  std::uint64_t value = 0;
  std::uint64_t mask = ~std::uint64_t{0};
  // A 32-bit argument (ArgWidth S32/U32, already lowered to a test on the
  // low word with a 32-bit operand): one node on the low word, as on a
  // 32-bit ABI.
  bool low_only = false;
};

// A rule as it reaches one arch's tree: one syscall number, up to six argument
// checks indexed by argument, an action (as the 32-bit return value, because
// libseccomp compares actions by that value) and the Policy rule it came from.
struct WordRule {
  std::int64_t nr = 0;
  std::array<ArgCheck, 6> args{};
  std::uint32_t ret = 0;
  int rule = -1;
};

// The comparison tree of one arch (libseccomp keeps one per arch filter).
// Copyable, so that a rule can be added to every arch and rolled back on all of
// them when one refuses it, as libseccomp's transaction does.
class WordTree {
 public:
  // Numbers in [dense_first, dense_last] (the arch's table) are kept in a flat
  // array, any other number (rules by raw number, pseudo numbers) in a map.
  WordTree(bool words_are_32bit, std::uint32_t dense_first, std::uint32_t dense_last)
      : narrow_(words_are_32bit), dense_first_(dense_first), dense_(std::size_t{dense_last} - dense_first + 1) {}

  // Adds a rule; returns 0, or a negative errno when libseccomp would refuse
  // it (-EEXIST: the same comparisons already lead to another action) or
  // could not build a filter after it (-ELOOP: its tree now has a loop and
  // libseccomp 2.5.4 never finishes). On failure the tree may be
  // half-updated: callers roll back with a copy.
  int add(const WordRule& rule);
  // add() for a rule without conditions, which needs no WordRule: it only
  // ever sets or replaces the syscall's entry, and is never refused.
  void add_unconditional(std::int64_t nr, std::uint32_t ret, int rule);

  // A rule touches only its own syscall's nodes and appends new ones, so
  // undoing a refused rule needs only that syscall's entry and nodes, not a
  // copy of the whole tree (which dominated compile time).
  struct Checkpoint;
  Checkpoint checkpoint(std::int64_t nr) const;
  void rollback(const Checkpoint& cp);

  // Per syscall number: the first-match cases libseccomp's BPF evaluates, and
  // whether the syscall has any entry at all.
  bool has(std::int64_t nr) const { return find(nr) != nullptr; }
  Decision decision(std::int64_t nr, Action fallthrough) const;

 private:
  struct Node {
    std::uint8_t arg = 0;
    bool high = false;
    WordOp op = WordOp::EQ;
    CmpOp orig = CmpOp::EQ;       // the rule's operator, which orders the level
    std::uint32_t value = 0;
    std::uint32_t mask = 0xffffffffu;
    std::uint64_t full = 0;       // the rule's 64-bit operand
    unsigned refs = 0;
    int prev = -1, next = -1;     // neighbours on the level
    int on_true = -1, on_false = -1;  // first node of the next level
    bool has_true = false, has_false = false;
    std::uint32_t ret_true = 0, ret_false = 0;
    int rule_true = -1, rule_false = -1;
    bool dead = false;
  };
  struct Syscall {
    int chains = -1;         // first node of the top level, or -1: unconditional
    std::uint32_t ret = 0;   // the action when unconditional
    int rule = -1;
    bool present = false;    // a dense slot in use
  };
  struct PruneState {
    unsigned flags = 0;
    std::uint32_t ret = 0;
    Syscall* sys = nullptr;
  };
  struct Generated {
    int chains = -1;
    std::uint32_t ret = 0;
    int rule = -1;
  };

  int add_rule(const WordRule& rule);
  Generated generate(const WordRule& rule);
  // Every walk counts its steps: libseccomp's tree can become cyclic, and the
  // model must then stop where libseccomp would loop.
  void step() const;
  static constexpr unsigned long kStepBudget = 5'000'000;
  mutable unsigned long steps_ = 0;
  int new_node();
  int& link(int node, bool branch) { return branch ? nodes_[node].on_true : nodes_[node].on_false; }

  int get(int node);
  unsigned put(int& node);
  unsigned put_level(int node);
  unsigned put_tree(int& node);
  unsigned remove(int& tree, int node);
  bool actions_all(int tree, std::uint32_t ret) const;
  bool leaf(int node) const { return nodes_[node].on_true < 0 && nodes_[node].on_false < 0; }
  bool zombie(int node) const { return leaf(node) && !nodes_[node].has_true && !nodes_[node].has_false; }
  bool before(int a, int b) const;  // libseccomp's "a < b" on a level
  bool same(int a, int b) const;
  int level_start(int node) const;
  int prune(int existing, int incoming, PruneState& state);
  int merge(int& existing, int incoming);
  bool well_formed(int node, std::vector<char>& seen) const;

  void cases(int level, std::vector<WordTest>& path, std::vector<DecisionCase>& out, int depth) const;

  const Syscall* find(std::int64_t nr) const;
  Syscall* find(std::int64_t nr) { return const_cast<Syscall*>(std::as_const(*this).find(nr)); }
  void insert(std::int64_t nr, int chains, std::uint32_t ret, int rule);
  void erase(std::int64_t nr);

  bool narrow_;
  std::deque<Node> nodes_;  // stable addresses: links are taken by reference
  std::int64_t dense_first_;
  std::vector<Syscall> dense_;
  std::map<std::int64_t, Syscall> sparse_;

 public:
  struct Checkpoint {
    std::int64_t nr = 0;
    std::optional<Syscall> entry;
    std::size_t node_count = 0;
    std::vector<std::pair<int, Node>> nodes;  // the syscall's nodes as they were
  };
};

}  // namespace seccage::detail
