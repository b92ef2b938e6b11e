// Graphviz picture of a policy's decisions: the filter as a reviewer thinks
// of it (which arch, which syscalls, which argument tests, which action),
// drawn from the same per-arch Decisions the compiler compiles, so the
// picture cannot drift from the program.
#include <map>
#include <set>

#include <fmt/core.h>

#include "policy/evaluator.hpp"
#include "seccage/writers.hpp"

namespace seccage {
namespace {

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string_view fill_of(const Action& a) {
  switch (a.kind) {
    case ActionKind::Allow: return "palegreen";
    case ActionKind::Log: return "lightyellow";
    case ActionKind::UserNotif:
    case ActionKind::Trace: return "lightblue";
    case ActionKind::Errno: return "orange";
    case ActionKind::Trap: return "salmon";
    case ActionKind::KillThread:
    case ActionKind::KillProcess: return "tomato";
  }
  return "white";
}

// What a decision means, without the rule indexes that produced it: syscalls
// with equal keys are drawn as one node.
std::string decision_key(const Decision& d) {
  std::string k = fmt::format("{:08x}", d.otherwise.to_ret());
  for (const DecisionCase& c : d.cases) {
    k += "|" + fmt::format("{:08x}", c.action.to_ret());
    for (const WordTest& t : c.tests) k += ";" + t.to_string();
  }
  return k;
}

// Names wrapped a few to a line, so a 300-syscall set stays a tall box rather
// than a kilometre-wide one.
std::string wrap_names(const std::vector<std::string>& names, std::size_t per_line = 6) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i % per_line == 0 ? "\n" : " ";
    out += names[i];
  }
  return out;
}

class DotWriter {
 public:
  explicit DotWriter(std::string_view title) {
    out_ += "digraph seccage {\n";
    out_ += fmt::format("  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label=\"{}\"];\n", escape(title));
    out_ += "  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n";
  }

  // One node per action per cluster: edges into one box read as "these end
  // here", which is the question a reviewer asks.
  std::string action_node(const std::string& scope, const Action& a) {
    const std::string id = fmt::format("{}_act_{:08x}", scope, a.to_ret());
    if (declared_.insert(id).second) {
      out_ += fmt::format("    {} [shape=box, style=\"rounded,filled\", fillcolor={}, label=\"{}\"];\n", id,
                          fill_of(a), escape(a.describe()));
    }
    return id;
  }

  void line(std::string s) { out_ += s; }
  std::string finish() { return out_ + "}\n"; }

 private:
  std::string out_;
  std::set<std::string> declared_;
};

std::string numbers_label(const std::vector<std::uint32_t>& nrs) {
  // Consecutive numbers folded into ranges ("0-3, 5, 9-12"): the search tree
  // the compiler builds works on such ranges.
  std::string out;
  for (std::size_t i = 0; i < nrs.size();) {
    std::size_t j = i;
    while (j + 1 < nrs.size() && nrs[j + 1] == nrs[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    out += i == j ? fmt::format("{}", nrs[i]) : fmt::format("{}-{}", nrs[i], nrs[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace

std::string write_dot(const Policy& policy, std::string_view title) {
  const Evaluator eval(policy);
  DotWriter w(title);
  w.line("  syscall [shape=circle, label=\"syscall\"];\n");

  std::size_t ai = 0;
  for (const ArchDecisions& d : eval.all_decisions()) {
    const ArchInfo& info = arch_info(d.arch);
    const std::string scope = fmt::format("a{}", ai++);
    std::string how = fmt::format("arch {:#x}", info.audit_arch);
    if (d.arch == Arch::x86_64) how += "\\nnr < 0x40000000";
    if (d.arch == Arch::x32) how += "\\nnr >= 0x40000000";
    w.line(fmt::format("  syscall -> {} [label=\"{}\"];\n", scope, how));
    w.line(fmt::format("  subgraph cluster_{} {{\n    label=\"{}\";\n    style=rounded;\n", scope, info.name));
    w.line(fmt::format("    {} [shape=box, style=bold, label=\"{}\"];\n", scope, info.name));

    // Syscalls grouped by what is decided for them, in number order within
    // a group; groups in the order their first syscall comes.
    struct Group {
      const Decision* decision;
      std::vector<std::string> names;
      std::vector<std::uint32_t> numbers;
    };
    std::vector<Group> groups;
    std::map<std::string, std::size_t> by_key;
    for (const auto& [nr, dec] : d.by_number) {
      // The default for a plain syscall is drawn as one edge, not a list.
      if (!dec.depends_on_args() && dec.otherwise == policy.default_action) continue;
      auto [it, fresh] = by_key.emplace(decision_key(dec), groups.size());
      if (fresh) groups.push_back(Group{&dec, {}, {}});
      Group& g = groups[it->second];
      auto name = syscall_name(d.arch, nr);
      g.names.push_back(name ? std::string(*name) : fmt::format("#{}", nr));
      g.numbers.push_back(nr);
    }

    std::size_t gi = 0;
    for (const Group& g : groups) {
      const std::string id = fmt::format("{}_g{}", scope, gi++);
      const std::string label = fmt::format("{} syscall{} ({})\n{}", g.names.size(), g.names.size() == 1 ? "" : "s",
                                            numbers_label(g.numbers), wrap_names(g.names));
      w.line(fmt::format("    {} [shape=note, label=\"{}\"];\n", id, escape(label)));
      w.line(fmt::format("    {} -> {};\n", scope, id));
      if (!g.decision->depends_on_args()) {
        w.line(fmt::format("    {} -> {};\n", id, w.action_node(scope, g.decision->otherwise)));
        continue;
      }
      // First matching case wins: a chain of tests, each falling through to
      // the next on failure.
      std::string prev = id;
      std::string prev_label;
      std::size_t ci = 0;
      for (const DecisionCase& c : g.decision->cases) {
        const std::string cid = fmt::format("{}_c{}", id, ci++);
        std::string tests;
        for (const WordTest& t : c.tests) tests += (tests.empty() ? "" : "\n&& ") + t.to_string();
        w.line(fmt::format("    {} [shape=diamond, label=\"{}\"];\n", cid, escape(tests.empty() ? "always" : tests)));
        w.line(fmt::format("    {} -> {}{};\n", prev, cid, prev_label));
        w.line(fmt::format("    {} -> {} [label=\"yes\"];\n", cid, w.action_node(scope, c.action)));
        prev = cid;
        prev_label = " [label=\"no\"]";
      }
      w.line(fmt::format("    {} -> {}{};\n", prev, w.action_node(scope, g.decision->otherwise), prev_label));
    }

    w.line(fmt::format("    {} -> {} [label=\"every other syscall\"];\n", scope,
                       w.action_node(scope, policy.default_action)));
    if (d.unknown.otherwise != policy.default_action || d.unknown.depends_on_args()) {
      w.line(fmt::format("    {} -> {} [label=\"numbers not in seccage's table\"];\n", scope,
                         w.action_node(scope, d.unknown.otherwise)));
    }
    w.line("  }\n");
  }
  w.line(fmt::format("  bad_arch [shape=box, style=\"rounded,filled\", fillcolor={}, label=\"{}\"];\n",
                     fill_of(policy.bad_arch_action), escape(policy.bad_arch_action.describe())));
  w.line("  syscall -> bad_arch [label=\"any other arch\"];\n");
  return w.finish();
}

}  // namespace seccage
