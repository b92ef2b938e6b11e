// A `seccage run` report (docs/run.md, "The report") read back as the calls
// its policy denied: the input of `seccage learn --from-report`.
#include <map>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "seccage/error.hpp"
#include "seccage/learn.hpp"

namespace seccage::learn {
namespace {

using nlohmann::json;

constexpr int kEnosys = 38;

struct Seen {
  SyscallUse use;
  std::uint64_t kept = 0;  // calls whose arguments the report lists
};

// The argument registers of one violation, or nullopt when the report does
// not have them (a kill without user notification).
std::optional<std::array<std::uint64_t, 6>> args_of(const json& v) {
  const auto it = v.find("args");
  if (it == v.end() || !it->is_array() || it->size() != 6) return std::nullopt;
  std::array<std::uint64_t, 6> out{};
  for (std::size_t i = 0; i < 6; ++i) {
    const json& a = (*it)[i];
    if (a.is_number_unsigned() || a.is_number_integer()) out[i] = a.get<std::uint64_t>();
    else if (a.is_string()) out[i] = std::stoull(a.get<std::string>(), nullptr, 0);
    else return std::nullopt;
  }
  return out;
}

// The (arch, syscall) a violation or summary entry is about; nullopt with a
// warning when it names none that a profile could allow.
std::optional<std::pair<Arch, std::string>> call_of(const json& v, std::vector<std::string>& warnings) {
  const std::string name = v.value("syscall", std::string("?"));
  const std::string arch_text = v.value("arch", std::string("?"));
  const auto arch = parse_arch(arch_text);
  if (name == "?" || !arch) {
    warnings.push_back(fmt::format("a denied call the report cannot name ({} on {}: the kernel killed without user "
                                   "notification?) cannot be learned; run with notification to see it",
                                   name, arch_text));
    return std::nullopt;
  }
  if (!syscall_number(*arch, name)) {
    warnings.push_back(fmt::format("'{}' on {} has no name in seccage's table: not added", name, arch_text));
    return std::nullopt;
  }
  return std::make_pair(*arch, name);
}

void add_violation(const json& v, std::map<std::pair<Arch, std::string>, Seen>& seen, std::vector<std::string>& warnings) {
  // Filters the program installed itself are reported, but are no denial of
  // the policy's.
  if (v.value("origin", std::string()) == "own filter") return;
  const auto call = call_of(v, warnings);
  if (!call) return;
  Seen& s = seen[*call];
  s.use.arch = call->first;
  s.use.name = call->second;
  s.use.nr = *syscall_number(call->first, call->second);
  const auto captured = captured_args(call->first, call->second);
  const auto args = args_of(v);
  if (!args) {
    s.use.values_incomplete = true;
    return;
  }
  ++s.kept;
  if (captured.empty()) return;
  ArgValues values{};
  for (std::size_t i = 0; i < captured.size(); ++i) values[i] = (*args)[captured[i].index] & captured[i].mask;
  s.use.values.insert(values);
}

}  // namespace

std::vector<SyscallUse> uses_from_report(std::string_view report_json, std::vector<std::string>& warnings) {
  json report;
  try {
    report = json::parse(report_json);
  } catch (const json::exception& e) {
    throw InputError(fmt::format("not a seccage run report (JSON): {}", e.what()));
  }
  if (!report.is_object() || !report.contains("verdict") || !report.contains("violations") ||
      !report["violations"].is_array() || !report.contains("summary") || !report["summary"].is_array())
    throw InputError("not a seccage run report: expected the JSON `seccage run --report FILE` writes (with "
                     "\"verdict\", \"violations\" and \"summary\")");
  std::map<std::pair<Arch, std::string>, Seen> seen;
  try {
    for (const json& v : report["violations"]) add_violation(v, seen, warnings);
    // The summary has every kind of denied call, each with its count; the
    // violations only the first ones (--max-violations).
    for (const json& c : report["summary"]) {
      const json example = c.value("example", json::object());
      if (example.value("origin", std::string()) == "own filter") continue;
      const auto call = call_of(c, warnings);
      if (!call) continue;
      if (!seen.count(*call)) add_violation(example, seen, warnings);
      Seen& s = seen[*call];
      s.use.count += c.value("count", std::uint64_t{0});
    }
  } catch (const json::exception& e) {
    throw InputError(fmt::format("malformed seccage run report: {}", e.what()));
  } catch (const std::logic_error& e) {
    throw InputError(fmt::format("malformed seccage run report (an argument value): {}", e.what()));
  }
  std::vector<SyscallUse> out;
  for (auto& [key, s] : seen) {
    if (s.use.count == 0) s.use.count = s.kept;
    // Only the calls kept one by one have their arguments in the report.
    if (s.kept < s.use.count) s.use.values_incomplete = true;
    if (s.use.name == "clone3") s.use.answered_errno = kEnosys;  // as build_profile treats a learned clone3
    out.push_back(std::move(s.use));
  }
  return out;
}

}  // namespace seccage::learn
