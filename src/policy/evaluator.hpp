// The direct evaluator: a policy's decisions for all its arches, computed once,
// answering "what does the filter return for this seccomp_data" without BPF.
// It is the oracle the compiler, `explain` and the tests compare against;
// seccage::evaluate() is the one-call convenience form.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "seccage/decision.hpp"
#include "seccage/policy.hpp"

namespace seccage {

class Evaluator {
 public:
  // Throws InputError for an invalid policy (validate()).
  explicit Evaluator(const Policy& policy);

  Action evaluate(std::uint32_t audit_arch, std::uint32_t nr, const std::array<std::uint64_t, 6>& args) const;

  // The same, with how it was reached: the arch's decisions (nullptr for a
  // foreign arch: the bad-arch action), the number's decision (the arch's
  // `unknown` one when the number is not listed) and the case that matched
  // (nullptr: the decision's `otherwise`).
  struct Verdict {
    Action action;
    const ArchDecisions* arch = nullptr;
    const Decision* decision = nullptr;
    bool listed = false;
    const DecisionCase* matched = nullptr;
  };
  Verdict explain(std::uint32_t audit_arch, std::uint32_t nr, const std::array<std::uint64_t, 6>& args) const;

  const Policy& policy() const { return policy_; }
  // The decisions of one of the policy's arches; throws InputError for an arch
  // the policy does not cover.
  const ArchDecisions& decisions(Arch arch) const;
  const std::vector<ArchDecisions>& all_decisions() const { return decisions_; }
  // Rules with the same action as the default are no-ops and are not listed.
  const std::vector<RefusedRule>& refused() const { return refused_; }

 private:
  // In this order: decisions_ is built from policy_ and fills refused_.
  Policy policy_;
  std::vector<RefusedRule> refused_;
  std::vector<ArchDecisions> decisions_;
};

// The decisions of every arch of the policy, in effective_arches() order,
// without the copy of the policy an Evaluator keeps (the compiler's path).
// Validates the policy; `refused`, when given, receives the refused rules.
std::vector<ArchDecisions> decide_all(const Policy& policy, std::vector<RefusedRule>* refused = nullptr);


}  // namespace seccage
