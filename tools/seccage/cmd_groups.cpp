// seccage groups [NAME] [--json]: the named syscall groups (systemd's filter
// sets) the text policy language accepts, with their members resolved
// recursively and marked by whether the arch has them.
#include <iostream>
#include <memory>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "seccage/arch.hpp"
#include "seccage/groups.hpp"

namespace seccage::cli {
namespace groups_command {  // one per command: tools/seccage is built as one unity source
namespace {

struct Options {
  std::string name;
  std::string arch;
  bool json = false;
};

nlohmann::json group_json(const SyscallGroup& g, Arch arch, bool with_members) {
  nlohmann::json j;
  j["name"] = g.name;
  j["description"] = g.description;
  std::vector<std::string> nested;
  for (std::string_view m : g.members)
    if (m.starts_with('@')) nested.emplace_back(m);
  j["groups"] = nested;
  const std::vector<std::string> all = expand_syscall_group(g.name);
  std::size_t here = 0;
  nlohmann::json members = nlohmann::json::array();
  for (const std::string& n : all) {
    const bool exists = syscall_number(arch, n).has_value();
    here += exists;
    if (with_members) members.push_back({{"name", n}, {"exists", exists}});
  }
  j["count"] = all.size();
  j["count_on_arch"] = here;
  if (with_members) j["syscalls"] = members;
  return j;
}

int run(const Options& o) {
  const Arch arch = o.arch.empty() ? native_arch() : parse_arch_or_throw(o.arch);
  if (!o.name.empty()) {
    // Throws with a did-you-mean when unknown.
    (void)expand_syscall_group(o.name);
    const SyscallGroup g = *find_syscall_group(o.name);
    if (o.json) {
      nlohmann::json j = group_json(g, arch, true);
      j["arch"] = arch_name(arch);
      std::cout << j.dump(2) << "\n";
      return kExitOk;
    }
    const nlohmann::json j = group_json(g, arch, true);
    fmt::print("{}: {}\n", g.name, g.description);
    if (!j["groups"].empty()) {
      std::string list;
      for (const auto& n : j["groups"]) list += (list.empty() ? "" : ", ") + n.get<std::string>();
      fmt::print("includes {}\n", list);
    }
    fmt::print("{} syscalls, {} of them on {}:\n", j["count"].get<std::size_t>(),
               j["count_on_arch"].get<std::size_t>(), arch_name(arch));
    for (const auto& m : j["syscalls"]) {
      if (m["exists"].get<bool>()) fmt::print("  {}\n", m["name"].get<std::string>());
      else fmt::print("  {:<28} (not on {})\n", m["name"].get<std::string>(), arch_name(arch));
    }
    return kExitOk;
  }
  if (o.json) {
    nlohmann::json all = nlohmann::json::array();
    for (const SyscallGroup& g : syscall_groups()) all.push_back(group_json(g, arch, false));
    std::cout << nlohmann::json{{"arch", arch_name(arch)}, {"groups", all}}.dump(2) << "\n";
    return kExitOk;
  }
  for (const SyscallGroup& g : syscall_groups()) {
    const nlohmann::json j = group_json(g, arch, false);
    fmt::print("{:<16} {:>3} syscalls ({:>3} on {})  {}\n", g.name, j["count"].get<std::size_t>(),
               j["count_on_arch"].get<std::size_t>(), arch_name(arch), g.description);
  }
  return kExitOk;
}

const CommandRegistration registration{
    "groups", "List the named syscall groups (@system-service, ...) and their members", [](CLI::App& sub) {
      auto o = std::make_shared<Options>();
      sub.add_option("name", o->name, "a group, with or without '@': show its members, nested groups expanded");
      sub.add_option("--arch", o->arch, "mark members missing on this arch (default: the native one)");
      sub.add_flag("--json", o->json, "machine-readable output");
      sub.footer("Example: seccage groups @system-service\nGroups are systemd's; docs/policy-language.md.");
      return [o] { return run(*o); };
    }};

}  // namespace
}  // namespace groups_command
}  // namespace seccage::cli
