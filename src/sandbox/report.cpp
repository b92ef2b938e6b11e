// Reports: the JSON document of --report and the lines on stderr.
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

nlohmann::json violation_json(const Violation& v) {
  nlohmann::json args = nlohmann::json::array();
  for (auto a : v.args) args.push_back(a);
  nlohmann::json out = {
      {"syscall", v.syscall}, {"nr", v.nr},         {"arch", v.arch},       {"pid", v.pid},
      {"tid", v.tid},         {"args", args},       {"decoded", v.decoded}, {"action", v.action.to_string()},
      {"rule", v.rule},       {"origin", v.origin}, {"outcome", v.outcome},
  };
  if (!v.args_known) out["args"] = nullptr;
  // Each argument decoded; raw as a hex string, since JSON numbers above
  // 2^53 lose precision in most parsers (an address, a negative int).
  nlohmann::json arguments = nlohmann::json::array();
  for (const DecodedArg& a : v.arguments)
    arguments.push_back({{"name", a.name}, {"raw", fmt::format("{:#x}", a.raw)}, {"value", a.value}});
  out["arguments"] = arguments;
  return out;
}

std::string verb(const Violation& v, bool permissive) {
  if (permissive) return "would deny";
  switch (v.action.kind) {
    case ActionKind::KillProcess:
    case ActionKind::KillThread: return "killed";
    case ActionKind::Trap: return "trapped";
    default: return "denied";
  }
}

std::string line(const Violation& v, bool permissive) {
  std::string who = v.tid != 0 && v.tid != v.pid ? fmt::format("pid {} (thread {})", v.pid, v.tid) : fmt::format("pid {}", v.pid);
  std::string how;
  if (v.action.kind == ActionKind::Errno) {
    auto name = errno_name(v.action.data);
    how = fmt::format(" with {}", name ? std::string(*name) : fmt::format("errno {}", v.action.data));
  }
  std::string out = fmt::format("seccage: {} {}: {} denied{} by rule '{}'", verb(v, permissive), who, v.decoded, how, v.rule);
  if (!v.origin.empty() && v.origin != "default" && v.origin.find(v.rule) == std::string::npos)
    out += fmt::format(" [{}]", v.origin);
  out += fmt::format(" ({})", v.arch);
  if (permissive) out += ", allowed (permissive)";
  return out;
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
      {"violations", violations},
      {"violation_count", r.violation_count},
      {"fallbacks", fallbacks},
      {"fallback_count", r.fallback_count},
  };
  out["isolation"] = {
      {"namespaces", r.isolation.namespaces},
      {"cgroup", r.isolation.cgroup.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.isolation.cgroup)},
      {"accounting", r.isolation.accounting},
      {"notes", r.isolation.notes},
  };
  out["own_filters"] = r.own_filters;
  if (!r.error.empty()) out["error"] = r.error;
  return out.dump(2) + "\n";
}

std::string summary(const Report& r) {
  // One line per distinct call (the syscall, the rule that decided and what
  // happened), with the first one's arguments and a count: a program that
  // repeats a denied call gets one line, not thousands.
  struct Seen {
    const Violation* first;
    std::size_t count;
  };
  std::vector<Seen> distinct;
  std::map<std::string, std::size_t> index;
  for (const auto& v : r.violations) {
    const std::string key = v.syscall + '\0' + v.rule + '\0' + v.outcome + '\0' + v.arch;
    auto [it, fresh] = index.emplace(key, distinct.size());
    if (fresh) distinct.push_back({&v, 0});
    ++distinct[it->second].count;
  }
  std::string out;
  for (const Seen& d : distinct) {
    out += line(*d.first, r.permissive);
    if (d.count > 1) out += fmt::format(" ({} times)", d.count);
    out += "\n";
  }
  if (r.violation_count > r.violations.size())
    out += fmt::format("seccage: ... and {} more denied calls\n", r.violation_count - r.violations.size());
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
