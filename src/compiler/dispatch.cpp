#include "compiler/dispatch.hpp"

#include <algorithm>
#include <limits>

#include "seccage/bpf.hpp"

namespace seccage::compiler {
namespace {

// Past this many ranges the quadratic tables get large; split by weight instead.
constexpr std::size_t kOptimalLimit = 1500;

class TreeBuilder {
 public:
  TreeBuilder(Graph& g, const std::vector<Range>& r) : g_(g), r_(r), prefix_(r.size() + 1, 0.0) {
    for (std::size_t i = 0; i < r.size(); ++i) prefix_[i + 1] = prefix_[i] + r[i].weight;
  }

  NodeId optimal() {
    const std::size_t n = r_.size();
    // cost[i][j]: weighted tests to tell ranges i..j apart; root[i][j]: the
    // first range of the right-hand side at the best split.
    std::vector<std::vector<double>> cost(n, std::vector<double>(n, 0.0));
    root_.assign(n, std::vector<std::size_t>(n, 0));
    for (std::size_t i = 0; i + 1 < n; ++i) {
      cost[i][i + 1] = weight(i, i + 1);
      root_[i][i + 1] = i + 1;
    }
    for (std::size_t len = 3; len <= n; ++len) {
      for (std::size_t i = 0; i + len <= n; ++i) {
        const std::size_t j = i + len - 1;
        double best = std::numeric_limits<double>::infinity();
        std::size_t best_k = i + 1;
        // Knuth: the best split lies between those of the two sub-problems.
        const std::size_t from = std::max(root_[i][j - 1], i + 1);
        const std::size_t to = std::min(root_[i + 1][j], j);
        for (std::size_t k = from; k <= to; ++k) {
          const double c = (k - 1 > i ? cost[i][k - 1] : 0.0) + (k < j ? cost[k][j] : 0.0);
          if (c < best) {
            best = c;
            best_k = k;
          }
        }
        cost[i][j] = best + weight(i, j);
        root_[i][j] = best_k;
      }
    }
    return emit(0, n - 1, true);
  }

  NodeId by_weight() { return emit(0, r_.size() - 1, false); }

 private:
  double weight(std::size_t i, std::size_t j) const { return prefix_[j + 1] - prefix_[i]; }

  // Without tables: the split that best halves the weight.
  std::size_t halving_split(std::size_t i, std::size_t j) const {
    const double half = (prefix_[i] + prefix_[j + 1]) / 2;
    std::size_t k = i + 1;
    while (k < j && prefix_[k + 1] <= half) ++k;
    return k;
  }

  NodeId emit(std::size_t i, std::size_t j, bool tables) {
    if (i == j) return r_[i].code;
    const std::size_t k = tables ? root_[i][j] : halving_split(i, j);
    const NodeId high = emit(k, j, tables);
    const NodeId low = emit(i, k - 1, tables);
    return g_.test(Load{bpf::kOffNr}, bpf::op::JGE, r_[k].first, high, low);
  }

  Graph& g_;
  const std::vector<Range>& r_;
  std::vector<double> prefix_;
  std::vector<std::vector<std::size_t>> root_;
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

NodeId search_tree(Graph& graph, const std::vector<Range>& ranges) {
  TreeBuilder builder(graph, ranges);
  return ranges.size() <= kOptimalLimit ? builder.optimal() : builder.by_weight();
}

}  // namespace seccage::compiler
