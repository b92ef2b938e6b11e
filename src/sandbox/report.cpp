// Reports: the JSON document of --report and the lines on stderr.
#include <algorithm>
#include <csignal>
#include <cstring>
#include <map>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "sandbox/decode.hpp"
#include "seccage/sandbox.hpp"

namespace seccage::sandbox {
namespace {

// The origin's fields, only those its front end knows (docs/run.md): a tool
// can jump to file:line or the JSON pointer without taking "origin" apart.
nlohmann::json origin_fields_json(const RuleOrigin& o) {
  nlohmann::json out = nlohmann::json::object();
  if (!o.file.empty()) out["file"] = o.file;
  if (o.line != 0) out["line"] = o.line;
  if (o.column != 0) out["column"] = o.column;
  if (!o.json_pointer.empty()) out["json_pointer"] = o.json_pointer;
  if (!o.json_args.empty()) out["json_args"] = o.json_args;
  if (!o.option.empty()) out["option"] = o.option;
  if (!o.name.empty()) out["name"] = o.name;
  return out;
}

nlohmann::json violation_json(const Violation& v) {
  nlohmann::json args = nlohmann::json::array();
  for (auto a : v.args) args.push_back(a);
  nlohmann::json out = {
      {"syscall", v.syscall}, {"nr", v.nr},         {"arch", v.arch},       {"pid", v.pid},
      {"tid", v.tid},         {"args", args},       {"decoded", v.decoded}, {"action", v.action.to_string()},
      {"rule", v.rule},       {"origin", v.origin.to_string()}, {"outcome", v.outcome},
  };
  out["origin_fields"] = origin_fields_json(v.origin);
  if (!v.args_known) out["args"] = nullptr;
  // Each argument decoded; raw as a hex string, since JSON numbers above
  // 2^53 lose precision in most parsers (an address, a negative int).
  nlohmann::json arguments = nlohmann::json::array();
  for (const DecodedArg& a : v.arguments)
    arguments.push_back({{"name", a.name}, {"raw", fmt::format("{:#x}", a.raw)}, {"value", a.value}});
  out["arguments"] = arguments;
  return out;
}

std::string verb(const Violation& v, bool let_through) {
  if (let_through) return "would deny";
  switch (v.action.kind) {
    case ActionKind::KillProcess:
    case ActionKind::KillThread: return "killed";
    case ActionKind::Trap: return "trapped";
    default: return "denied";
  }
}

std::string line(const Violation& v) {
  if (!v.action.denies()) {
    // A call the policy allows that still defeats it: a stacked filter
    // outranking the policy's kills (src/sandbox/own_filter.hpp).
    return fmt::format("seccage: pid {} stacked a seccomp filter of its own: {}: {}; {} ({})", v.pid, v.decoded, v.rule,
                       v.outcome, v.arch);
  }
  std::string who = v.tid != 0 && v.tid != v.pid ? fmt::format("pid {} (thread {})", v.pid, v.tid) : fmt::format("pid {}", v.pid);
  std::string how;
  if (v.action.kind == ActionKind::Errno) {
    auto name = errno_name(v.action.data);
    how = fmt::format(" with {}", name ? std::string(*name) : fmt::format("errno {}", v.action.data));
  }
  const bool let_through = v.outcome == kLetThrough;
  std::string out = fmt::format("seccage: {} {}: {} denied{} by rule '{}'", verb(v, let_through), who, v.decoded, how, v.rule);
  // The origin in brackets when it adds something: not for the default
  // action, nor when the rule's text already says it.
  const std::string origin = v.origin.to_string();
  if (!origin.empty() && v.origin != RuleOrigin::named("default") && origin.find(v.rule) == std::string::npos)
    out += fmt::format(" [{}]", origin);
  out += fmt::format(" ({})", v.arch);
  if (let_through) out += fmt::format(", {}", kLetThrough);
  return out;
}

nlohmann::json summary_json(const CallSummary& c) {
  return {{"syscall", c.syscall}, {"arch", c.arch},         {"rule", c.rule},
          {"action", c.action.to_string()}, {"count", c.count}, {"first_ms", c.first_ms},
          {"last_ms", c.last_ms}, {"example", violation_json(c.example)}};
}

nlohmann::json own_filter_json(const OwnFilter& f) {
  return {{"pid", f.pid},
          {"call", f.call},
          {"time_ms", f.time_ms},
          {"instructions", f.instructions},
          {"outranks_kills", f.outranks_kills},
          {"exact", f.exact}};
}

}  // namespace

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::Ok: return "ok";
    case Verdict::RuntimeError: return "runtime_error";
    case Verdict::Violation: return "violation";
    case Verdict::CpuTimeLimit: return "cpu_time_limit";
    case Verdict::WallTimeLimit: return "wall_time_limit";
    case Verdict::MemoryLimit: return "memory_limit";
    case Verdict::OutputLimit: return "output_limit";
    case Verdict::SystemError: return "system_error";
  }
  return "system_error";
}

std::string to_json(const Report& r) {
  nlohmann::json violations = nlohmann::json::array();
  for (const auto& v : r.violations) violations.push_back(violation_json(v));
  nlohmann::json fallbacks = nlohmann::json::array();
  for (const auto& v : r.fallbacks) fallbacks.push_back(violation_json(v));
  nlohmann::json out = {
      {"verdict", to_string(r.verdict)},
      {"exit_code", r.exit_code >= 0 ? nlohmann::json(r.exit_code) : nlohmann::json(nullptr)},
      {"signal", r.signal},
      {"signal_name", r.signal ? signal_name(static_cast<std::uint64_t>(r.signal)) : std::string()},
      {"status", r.status},
      {"cpu_time_ms", r.cpu_time_ms},
      {"wall_time_ms", r.wall_time_ms},
      {"memory_kb", r.memory_kb},
      {"supervised", r.supervised},
      {"mode", r.permissive ? "permissive" : "enforce"},
      {"program", r.program},
      {"policy", r.policy},
      {"violations", violations},
      {"violation_count", r.violation_count},
      {"violations_omitted", r.violation_count - std::min(r.violation_count, r.violations.size())},
      {"fallbacks", fallbacks},
      {"fallback_count", r.fallback_count},
  };
  out["isolation"] = {
      {"namespaces", r.isolation.namespaces},
      {"cgroup", r.isolation.cgroup.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.isolation.cgroup)},
      {"accounting", r.isolation.accounting},
      {"notes", r.isolation.notes},
  };
  nlohmann::json calls = nlohmann::json::array();
  for (const auto& c : r.summary) calls.push_back(summary_json(c));
  out["summary"] = calls;
  out["sigsys"] = r.sigsys ? nlohmann::json{{"cause", r.sigsys->cause}, {"detail", r.sigsys->detail}} : nlohmann::json(nullptr);
  out["own_filters"] = r.own_filters;
  nlohmann::json installs = nlohmann::json::array();
  for (const auto& f : r.own_filter_list) installs.push_back(own_filter_json(f));
  out["own_filter_installs"] = installs;
  if (!r.error.empty()) out["error"] = r.error;
  return out.dump(2) + "\n";
}

std::string summary(const Report& r) {
  // One line per distinct call (the syscall, the rule that decided and the
  // action), with the first one's arguments and how many there were: a
  // program that repeats a denied call gets one line, not thousands.
  std::string out;
  for (const CallSummary& c : r.summary) {
    out += line(c.example);
    if (c.count > 1) out += fmt::format(" ({} times)", c.count);
    out += "\n";
  }
  if (r.sigsys && r.sigsys->cause != "policy_kill")
    out += fmt::format("seccage: SIGSYS: {}: {}\n", r.sigsys->cause, r.sigsys->detail);
  if (r.verdict == Verdict::SystemError) {
    out += fmt::format("seccage: {}\n", r.error);
    return out;
  }
  std::string ended = r.signal ? fmt::format("killed by {}", signal_name(static_cast<std::uint64_t>(r.signal)))
                               : fmt::format("exit code {}", r.exit_code);
  out += fmt::format("seccage: {}: {}, {} violation{}, cpu {} ms, wall {} ms, peak memory {} kB{}\n", to_string(r.verdict),
                     ended, r.violation_count, r.violation_count == 1 ? "" : "s", r.cpu_time_ms, r.wall_time_ms,
                     r.memory_kb, r.supervised ? "" : " (no user notification: arguments not reported)");
  return out;
}

}  // namespace seccage::sandbox
