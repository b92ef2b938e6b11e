// One learning run through the sandbox runner (docs/learn.md, "How").
#include "seccage/learn.hpp"

namespace seccage::learn {

LearnRun learn_run(sandbox::RunOptions options, const LearnOptions& learn_options) {
  Recording recording(learn_options);
  options.recorder = &recording;
  // Permissive: seccage's fixed filter (no terminal injection, no mounts)
  // keeps all its rules, and nothing is reported as a violation.
  options.mode = sandbox::Mode::Permissive;
  options.policy = Policy{};
  options.policy.default_action = Action::allow();
  options.policy_name = "learning (every call recorded, none denied)";
  LearnRun out;
  out.report = sandbox::run(options);
  if (out.report.verdict == sandbox::Verdict::SystemError) return out;
  if (const auto execve = syscall_number(native_arch(), "execve")) recording.add(native_arch(), *execve, {});
  out.uses = recording.uses();
  out.unknown_arch_calls = recording.unknown_arch_calls();
  return out;
}

}  // namespace seccage::learn
