#include "sandbox/violation.hpp"

#include <fmt/core.h>

namespace seccage::sandbox {

Violation violation_of(const HeldCall& call, const Classification& c) {
  Violation v;
  v.syscall = c.name ? *c.name : fmt::format("#{}", call.nr);
  v.nr = call.nr;
  // A call of an ABI the policy does not name keeps the kernel's number for it.
  v.arch = c.known_arch ? std::string(arch_name(c.arch)) : fmt::format("audit {:#x}", call.audit_arch);
  v.pid = call.tid;
  v.tid = call.tid;
  v.args = call.args;
  v.action = c.action;
  v.rule = c.rule_text;
  v.origin = c.origin;
  return v;
}

void decode_arguments(Violation& v, const Classification& c, const MemoryReader& reader, const DecodeOptions& options) {
  DecodedCall decoded = decode_call_structured(c.arch, v.syscall, v.args, reader, options);
  v.decoded = std::move(decoded.line);
  v.arguments = std::move(decoded.args);
}

Violation violation_unseen(pid_t program, std::string rule, RuleOrigin origin, Action action) {
  Violation v;
  v.pid = v.tid = program;
  v.syscall = "?";
  v.args_known = false;
  v.arch = "?";
  v.decoded = "?(the kernel does not show the call)";
  v.rule = std::move(rule);
  v.origin = std::move(origin);
  v.action = action;
  return v;
}

}  // namespace seccage::sandbox
