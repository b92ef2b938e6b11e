#include "compiler/dispatch.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <memory>
#include <optional>

#include "seccage/bpf.hpp"

namespace seccage::compiler {
namespace {

// Past this many ranges the quadratic tables get large; split by weight instead.
constexpr std::size_t kOptimalLimit = 1500;

// What one more instruction in the program is worth, in the units of the
// weights (syscalls executing one more test): a tie-breaker that prefers the
// smaller of two trees of nearly the same mean.
constexpr double kInstructionCost = 4.0;

class TreeBuilder {
 public:
  TreeBuilder(Graph& g, const std::vector<Range>& r, std::size_t max_exceptions)
      : g_(g), r_(r), max_exceptions_(max_exceptions), prefix_(r.size() + 1, 0.0) {
    for (std::size_t i = 0; i < r.size(); ++i) prefix_[i + 1] = prefix_[i] + r[i].weight;
  }

  // Dynamic programming over spans of ranges. A span is either split by a
  // JGE (every number in it pays one test), or, when it alternates one code
  // with lone numbers, handled as a leaf of equality tests (see
  // fold_exceptions). The split search keeps Knuth's bounds, which make it
  // O(n^2); with leaves in play they are a heuristic rather than a proof of
  // optimality, and the result is a valid tree either way.
  NodeId optimal() {
    const std::size_t n = r_.size();
    // Rows are computed from the last to the first, each left to right, so
    // that a span's two Knuth bounds are the cell to its left and the cell
    // below it, both known. The split loop reads the costs of row i (kept in
    // `row`, the only row it needs) and of column j (a triangular table
    // stored by column, so that both reads are contiguous). Tables are left
    // uninitialised: every cell is written before it is read.
    row_base_.resize(n);
    for (std::size_t i = 0; i < n; ++i) row_base_[i] = i * n - i * (i + 1) / 2;
    const std::size_t cells = n * (n + 1) / 2;
    // The tables reach megabytes for a block with several hundred ranges
    // (i386, x32). Fresh ones per compile cost more in page faults and in
    // returning them to the kernel than the search itself, so each thread
    // keeps its largest pair and reuses it.
    thread_local std::unique_ptr<double[]> column_table;
    thread_local std::unique_ptr<std::uint32_t[]> root_table;
    thread_local std::size_t table_cells = 0;
    if (table_cells < cells) {
      column_table = std::make_unique_for_overwrite<double[]>(cells);
      root_table = std::make_unique_for_overwrite<std::uint32_t[]>(cells);
      table_cells = cells;
    }
    double* column_costs = column_table.get();  // span k..j at j*(j+1)/2 + k
    root_ = root_table.get();
    std::vector<double> row(n);
    for (std::size_t i = 0; i < n; ++i) {
      column_costs[i * (i + 1) / 2 + i] = 0;
      root_[at(i, i)] = kLeaf;
    }
    const std::size_t max_leaf_span = 2 * max_exceptions_;  // j - i of the longest leaf
    const double* prefix = prefix_.data();
    for (std::size_t i = n - 1; i-- > 0;) {
      std::uint32_t* root_row = &root_[row_base_[i]];
      const std::uint32_t* root_below = &root_[row_base_[i + 1]];  // spans i+1..j
      const double weight_before = prefix[i] - kInstructionCost;
      row[i] = 0;
      // Span i..i+1: the one split there is.
      std::size_t column_start = (i + 1) * (i + 2) / 2;  // column i+1
      double c = prefix[i + 2] - weight_before;
      row[i + 1] = c;
      column_costs[column_start + i] = c;
      root_row[i + 1] = static_cast<std::uint32_t>(i + 1);
      std::uint32_t left_root = static_cast<std::uint32_t>(i + 1);
      // The best split of span i..j (its root, its cost), from the Knuth
      // bounds; advances column_start to column j.
      auto split = [&](std::size_t j) {
        column_start += j;  // column j starts j*(j+1)/2
        const double* column = &column_costs[column_start];  // column[k] = cost of span k..j
        const std::uint32_t from = left_root;
        const std::uint32_t to = std::max(root_below[j] & ~kLeaf, from);  // root(i+1, j) <= j
        double best = row[from - 1] + column[from];
        std::uint32_t best_k = from;
        for (std::uint32_t k = from + 1; k <= to; ++k) {
          const double t = row[k - 1] + column[k];
          if (t < best) {
            best = t;
            best_k = k;
          }
        }
        left_root = best_k;
        return best + (prefix[j + 1] - weight_before);
      };
      auto store = [&](std::size_t j, double cost, std::uint32_t cell) {
        root_row[j] = cell;
        row[j] = cost;
        column_costs[column_start + i] = cost;
      };
      // The short spans, which may be equality-test leaves, apart from the
      // rest: leaf_cost is a call, and keeping it out of the main loop lets
      // the compiler hold that loop's values in registers (with the call in
      // it, they were spilled and reloaded on every cell).
      const std::size_t leaf_end = std::min(n, i + max_leaf_span + 1);
      std::size_t j = i + 2;
      for (; j < leaf_end; ++j) {
        c = split(j);
        std::uint32_t cell = left_root;
        if ((j - i) % 2 == 0) {
          const double as_leaf = leaf_cost(i, j);
          if (as_leaf < c) {
            c = as_leaf;
            cell |= kLeaf;
          }
        }
        store(j, c, cell);
      }
      for (; j < n; ++j) {
        c = split(j);
        store(j, c, left_root);
      }
    }
    return emit(0, n - 1, true);
  }

  NodeId by_weight() { return emit(0, r_.size() - 1, false); }

 private:
  double weight(std::size_t i, std::size_t j) const { return prefix_[j + 1] - prefix_[i]; }
  // Span i..j (i <= j) in the row-major triangular tables.
  std::size_t at(std::size_t i, std::size_t j) const { return row_base_[i] + j; }

  // The lone numbers of a span i..j that alternates one code with them, or
  // nothing when the span does not have that shape.
  std::optional<std::vector<Range>> exceptions(std::size_t i, std::size_t j) const {
    if ((j - i) % 2 != 0 || (j - i) / 2 > max_exceptions_) return std::nullopt;
    std::vector<Range> out;
    for (std::size_t e = i + 1; e < j; e += 2) {
      if (r_[e].first != r_[e].last || r_[e + 1].code != r_[i].code) return std::nullopt;
      out.push_back(r_[e]);
    }
    // The heaviest is tested first.
    std::stable_sort(out.begin(), out.end(), [](const Range& a, const Range& b) { return a.weight > b.weight; });
    return out;
  }

  // exceptions() without building the list: the DP asks for every span.
  double leaf_cost(std::size_t i, std::size_t j) const {
    constexpr double kNever = std::numeric_limits<double>::infinity();
    if ((j - i) % 2 != 0 || (j - i) / 2 > max_exceptions_) return kNever;
    std::vector<double>& w = scratch_;
    w.clear();
    for (std::size_t e = i + 1; e < j; e += 2) {
      if (r_[e].first != r_[e].last || r_[e + 1].code != r_[i].code) return kNever;
      w.push_back(r_[e].weight);
    }
    std::sort(w.begin(), w.end(), std::greater<>());
    double c = 0, ex_weight = 0;
    for (std::size_t t = 0; t < w.size(); ++t) {
      c += static_cast<double>(t + 1) * w[t];
      ex_weight += w[t];
    }
    return c + static_cast<double>(w.size()) * (weight(i, j) - ex_weight + kInstructionCost);
  }

  // Without tables: the split that best halves the weight.
  std::size_t halving_split(std::size_t i, std::size_t j) const {
    const double half = (prefix_[i] + prefix_[j + 1]) / 2;
    std::size_t k = i + 1;
    while (k < j && prefix_[k + 1] <= half) ++k;
    return k;
  }

  NodeId emit(std::size_t i, std::size_t j, bool tables) {
    if (i == j) return r_[i].code;
    if (tables && (root_[at(i, j)] & kLeaf)) {
      const std::vector<Range> ex = *exceptions(i, j);
      NodeId code = r_[i].code;
      for (auto e = ex.rbegin(); e != ex.rend(); ++e) code = g_.test(Load{bpf::kOffNr}, bpf::op::JEQ, e->first, e->code, code);
      return code;
    }
    const std::size_t k = tables ? root_[at(i, j)] & ~kLeaf : halving_split(i, j);
    const NodeId high = emit(k, j, tables);
    const NodeId low = emit(i, k - 1, tables);
    return g_.test(Load{bpf::kOffNr}, bpf::op::JGE, r_[k].first, high, low);
  }

  Graph& g_;
  const std::vector<Range>& r_;
  std::size_t max_exceptions_;
  std::vector<double> prefix_;
  std::vector<std::size_t> row_base_;
  // Per span i..j: the best split, or kLeaf set when the span is an
  // equality-test leaf.
  static constexpr std::uint32_t kLeaf = 0x80000000u;
  std::uint32_t* root_ = nullptr;  // the thread's table (optimal())
  mutable std::vector<double> scratch_;  // leaf_cost's weights, reused
};

}  // namespace

void append_range(std::vector<Range>& ranges, Range r) {
  if (!ranges.empty() && ranges.back().code == r.code && ranges.back().last + 1 == r.first) {
    ranges.back().last = r.last;
    ranges.back().weight += r.weight;
    return;
  }
  ranges.push_back(r);
}

std::vector<Range> fold_exceptions(Graph& graph, const std::vector<Range>& ranges, std::size_t max_exceptions) {
  std::vector<Range> out;
  std::size_t i = 0;
  while (i < ranges.size()) {
    Range base = ranges[i];
    std::vector<Range> exceptions;
    std::size_t j = i + 1;
    // Absorb (lone number, same code again) pairs while they last.
    while (exceptions.size() < max_exceptions && j + 1 < ranges.size() && ranges[j].first == ranges[j].last &&
           ranges[j + 1].code == base.code) {
      exceptions.push_back(ranges[j]);
      base.last = ranges[j + 1].last;
      base.weight += ranges[j].weight + ranges[j + 1].weight;
      j += 2;
    }
    // The heaviest exception is tested first.
    std::stable_sort(exceptions.begin(), exceptions.end(),
                     [](const Range& a, const Range& b) { return a.weight > b.weight; });
    NodeId code = base.code;
    for (auto e = exceptions.rbegin(); e != exceptions.rend(); ++e)
      code = graph.test(Load{bpf::kOffNr}, bpf::op::JEQ, e->first, e->code, code);
    base.code = code;
    out.push_back(base);
    i = j;
  }
  return out;
}

NodeId search_tree(Graph& graph, const std::vector<Range>& ranges, std::size_t max_exceptions) {
  if (ranges.size() <= kOptimalLimit) return TreeBuilder(graph, ranges, max_exceptions).optimal();
  const std::vector<Range> folded = fold_exceptions(graph, ranges, 1);
  return TreeBuilder(graph, folded, 0).by_weight();
}

}  // namespace seccage::compiler
