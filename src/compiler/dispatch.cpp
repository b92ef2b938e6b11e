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
    // Triangular tables (only spans i <= j exist), left uninitialised: every
    // cell is written before it is read. The split loop reads row i of the
    // costs and column j; a second copy stored by column makes both reads
    // contiguous, which decides the speed once the tables outgrow the cache.
    row_base_.resize(n);
    std::vector<std::size_t> column_base(n);
    for (std::size_t i = 0; i < n; ++i) {
      row_base_[i] = i * n - i * (i + 1) / 2;
      column_base[i] = i * (i + 1) / 2;
    }
    const std::size_t cells = n * (n + 1) / 2;
    auto cost = std::make_unique_for_overwrite<double[]>(cells);
    auto cost_by_column = std::make_unique_for_overwrite<double[]>(cells);
    root_ = std::make_unique_for_overwrite<std::uint32_t[]>(cells);
    leaf_ = std::make_unique_for_overwrite<std::uint8_t[]>(cells);
    for (std::size_t i = 0; i < n; ++i) {
      cost[at(i, i)] = 0;
      cost_by_column[column_base[i] + i] = 0;
      leaf_[at(i, i)] = 1;
    }
    // Row by row from the last, each row left to right: a span's two Knuth
    // bounds are then the cell to its left and the cell below it, both
    // already known, and each row's reads are contiguous.
    const std::size_t max_leaf_span = 2 * max_exceptions_;  // j - i of the longest leaf
    for (std::size_t i = n - 1; i-- > 0;) {
      double* row = &cost[row_base_[i]];  // row[k] = cost of span i..k
      std::uint32_t* root_row = &root_[row_base_[i]];
      const std::uint32_t* root_below = &root_[row_base_[i + 1]];  // spans i+1..j
      std::uint8_t* leaf_row = &leaf_[row_base_[i]];
      const double weight_before = prefix_[i] - kInstructionCost;
      // Span i..i+1: the one split there is.
      row[i + 1] = row[i] + cost_by_column[column_base[i + 1] + i + 1] + (prefix_[i + 2] - weight_before);
      root_row[i + 1] = static_cast<std::uint32_t>(i + 1);
      leaf_row[i + 1] = 0;
      cost_by_column[column_base[i + 1] + i] = row[i + 1];
      for (std::size_t j = i + 2; j < n; ++j) {
        const double* column = &cost_by_column[column_base[j]];  // column[k] = cost of span k..j
        const std::uint32_t from = std::max<std::uint32_t>(root_row[j - 1], static_cast<std::uint32_t>(i + 1));
        const std::uint32_t to = std::max(root_below[j], from);  // root_below[j] <= j
        double best = row[from - 1] + column[from];
        std::uint32_t best_k = from;
        for (std::uint32_t k = from + 1; k <= to; ++k) {
          const double c = row[k - 1] + column[k];
          if (c < best) {
            best = c;
            best_k = k;
          }
        }
        double c = best + (prefix_[j + 1] - weight_before);
        root_row[j] = best_k;
        std::uint8_t leaf = 0;
        if (j - i <= max_leaf_span && (j - i) % 2 == 0) {
          const double as_leaf = leaf_cost(i, j);
          if (as_leaf < c) {
            c = as_leaf;
            leaf = 1;
          }
        }
        leaf_row[j] = leaf;
        row[j] = c;
        cost_by_column[column_base[j] + i] = c;
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
    if (tables && leaf_[at(i, j)]) {
      const std::vector<Range> ex = *exceptions(i, j);
      NodeId code = r_[i].code;
      for (auto e = ex.rbegin(); e != ex.rend(); ++e) code = g_.test(Load{bpf::kOffNr}, bpf::op::JEQ, e->first, e->code, code);
      return code;
    }
    const std::size_t k = tables ? root_[at(i, j)] : halving_split(i, j);
    const NodeId high = emit(k, j, tables);
    const NodeId low = emit(i, k - 1, tables);
    return g_.test(Load{bpf::kOffNr}, bpf::op::JGE, r_[k].first, high, low);
  }

  Graph& g_;
  const std::vector<Range>& r_;
  std::size_t max_exceptions_;
  std::vector<double> prefix_;
  std::vector<std::size_t> row_base_;
  std::unique_ptr<std::uint32_t[]> root_;  // best split of span i..j
  std::unique_ptr<std::uint8_t[]> leaf_;   // span i..j is an equality-test leaf
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
