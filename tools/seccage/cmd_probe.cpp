// seccage probe: what the running kernel's seccomp supports. Only asks
// questions (see src/kernel/probe.cpp); installs nothing.
#include <cctype>
#include <memory>
#include <string>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "seccage/action.hpp"
#include "seccage/kernel.hpp"

namespace seccage::cli {
namespace probe_command {  // one per command: tools/seccage is built as one unity source
namespace {

using kernel::KernelFeatures;

// Flags and actions by their kernel names without the common prefix, as
// people grep for them: "TSYNC", "KILL_PROCESS".
std::string short_flag_name(kernel::FilterFlag f) {
  return std::string(kernel::flag_name(f).substr(std::string_view("SECCOMP_FILTER_FLAG_").size()));
}

std::string action_name(ActionKind kind) {
  std::string name(kernel::actions_avail_name(kind));
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

// The first Linux release with each action (for the text output only).
std::string_view action_since(ActionKind kind) {
  switch (kind) {
    case ActionKind::KillProcess: return "4.14";
    case ActionKind::Log: return "4.14";
    case ActionKind::UserNotif: return "5.0";
    default: return "3.5";
  }
}

nlohmann::json to_json(const KernelFeatures& k) {
  nlohmann::json j;
  j["release"] = k.release;
  j["machine"] = k.machine;
  j["seccomp"] = k.seccomp;
  j["seccomp_syscall"] = k.seccomp_syscall;
  j["filter_mode"] = k.filter_mode;
  j["get_action_avail"] = k.get_action_avail;
  j["flags"] = nlohmann::json::object();
  for (const auto& f : k.flags) j["flags"][short_flag_name(f.flag)] = f.supported;
  j["actions"] = nlohmann::json::object();
  for (const auto& a : k.actions) {
    nlohmann::json entry{{"available", a.available}};
    entry["listed_in_actions_avail"] = a.listed ? nlohmann::json(*a.listed) : nlohmann::json(nullptr);
    j["actions"][action_name(a.kind)] = entry;
  }
  j["notif_sizes"] = k.notif_sizes ? nlohmann::json{{"seccomp_notif", k.notif_sizes->notif},
                                                    {"seccomp_notif_resp", k.notif_sizes->notif_resp},
                                                    {"seccomp_data", k.notif_sizes->data}}
                                   : nlohmann::json(nullptr);
  j["action_cache"] = k.action_cache;
  j["actions_avail"] = k.actions_avail ? nlohmann::json(*k.actions_avail) : nlohmann::json(nullptr);
  j["process"] = {{"seccomp_mode", std::string(kernel::to_string(k.mode))},
                  {"no_new_privs", k.no_new_privs},
                  {"cap_sys_admin", k.cap_sys_admin}};
  return j;
}

const char* yes_no(bool b) { return b ? "yes" : "no"; }

void print_text(const KernelFeatures& k) {
  fmt::print("kernel          {} ({})\n", k.release.empty() ? "unknown" : k.release, k.machine);
  fmt::print("seccomp         {}; filter mode {}; seccomp(2) {}\n", yes_no(k.seccomp), yes_no(k.filter_mode),
             yes_no(k.seccomp_syscall));
  fmt::print("filter flags\n");
  for (const auto& f : k.flags)
    fmt::print("  {:<20} {:<4} (Linux {}+)\n", short_flag_name(f.flag), yes_no(f.supported), kernel::flag_since(f.flag));
  fmt::print("actions         {}\n", k.get_action_avail ? "(SECCOMP_GET_ACTION_AVAIL)"
                                                       : "(no SECCOMP_GET_ACTION_AVAIL: judged by filter mode)");
  for (const auto& a : k.actions) {
    std::string listed;
    if (a.listed && *a.listed != a.available) listed = *a.listed ? "  (listed in actions_avail!)" : "  (missing from actions_avail!)";
    fmt::print("  {:<20} {:<4} (Linux {}+){}\n", action_name(a.kind), yes_no(a.available), action_since(a.kind), listed);
  }
  if (k.notif_sizes)
    fmt::print("notif sizes     seccomp_notif {}, seccomp_notif_resp {}, seccomp_data {}\n", k.notif_sizes->notif,
               k.notif_sizes->notif_resp, k.notif_sizes->data);
  else
    fmt::print("notif sizes     unavailable (user notification needs Linux 5.0+)\n");
  fmt::print("action cache    {} (Linux 5.11+, judged by the release)\n", yes_no(k.action_cache));
  if (k.actions_avail) {
    std::string words;
    for (const auto& w : *k.actions_avail) words += (words.empty() ? "" : " ") + w;
    fmt::print("actions_avail   {}\n", words);
  } else {
    fmt::print("actions_avail   unreadable (/proc/sys/kernel/seccomp/actions_avail, Linux 4.14+)\n");
  }
  fmt::print("this process    seccomp mode {}; no_new_privs {}; CAP_SYS_ADMIN {}\n", kernel::to_string(k.mode),
             yes_no(k.no_new_privs), yes_no(k.cap_sys_admin));
}

struct ProbeArgs {
  bool json = false;
};

int run_probe(const ProbeArgs& args) {
  const KernelFeatures k = kernel::probe_kernel();
  if (args.json)
    fmt::print("{}\n", to_json(k).dump(2));
  else
    print_text(k);
  return kExitOk;
}

const CommandRegistration kRegistration{
    "probe", "Show what the running kernel's seccomp supports (flags, actions, notification sizes)",
    [](CLI::App& sub) {
      auto args = std::make_shared<ProbeArgs>();
      sub.add_flag("--json", args->json, "print one JSON object instead of text");
      return [args] { return run_probe(*args); };
    }};

}  // namespace
}  // namespace probe_command
}  // namespace seccage::cli
