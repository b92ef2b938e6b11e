// Recorded counts as compiler weights, and what a program costs per
// recorded call (issue 14, item 4; docs/learn.md, "Counts").
#include <algorithm>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "seccage/error.hpp"
#include "seccage/learn.hpp"

namespace seccage::learn {

std::vector<RecordedCount> parse_counts_json(std::string_view text) {
  std::vector<RecordedCount> out;
  try {
    const auto j = nlohmann::json::parse(text);
    if (!j.is_object() || !j.contains("syscalls") || !j["syscalls"].is_array())
      throw InputError("not a counts file: expected the JSON `seccage learn --counts FILE` writes ({\"syscalls\": [...]})");
    for (const auto& e : j["syscalls"]) {
      RecordedCount c;
      const std::string arch = e.at("arch").get<std::string>();
      const auto parsed = parse_arch(arch);
      if (!parsed) throw InputError(fmt::format("counts file: unknown arch '{}'", arch));
      c.arch = *parsed;
      c.nr = e.at("nr").get<std::uint32_t>();
      c.syscall = e.at("syscall").get<std::string>();
      c.count = e.at("count").get<std::uint64_t>();
      out.push_back(std::move(c));
    }
  } catch (const nlohmann::json::exception& e) {
    throw InputError(fmt::format("not a counts file: {}", e.what()));
  }
  return out;
}

std::map<std::string, double> frequencies_for(const std::vector<RecordedCount>& counts, std::span<const Arch> arches) {
  std::map<std::string, double> out;
  for (const RecordedCount& c : counts) {
    if (std::find(arches.begin(), arches.end(), c.arch) == arches.end() || c.syscall.empty() || c.syscall[0] == '#') continue;
    out[c.syscall] += static_cast<double>(c.count);
  }
  return out;
}

double mean_instructions_per_call(const bpf::Program& program, const std::vector<RecordedCount>& counts,
                                  std::span<const Arch> arches) {
  double calls = 0, executed = 0;
  for (const RecordedCount& c : counts) {
    if (std::find(arches.begin(), arches.end(), c.arch) == arches.end()) continue;
    const ArchInfo& info = arch_info(c.arch);
    bpf::SeccompData data;
    data.arch = info.audit_arch;
    data.nr = static_cast<std::int32_t>(c.nr);
    const bpf::EmuResult r = bpf::emulate(program, data, info.little_endian);
    const bool cached = r.cacheable && r.action == Action::allow();
    calls += static_cast<double>(c.count);
    if (!cached) executed += static_cast<double>(c.count) * static_cast<double>(r.executed);
  }
  return calls > 0 ? executed / calls : 0;
}

}  // namespace seccage::learn
