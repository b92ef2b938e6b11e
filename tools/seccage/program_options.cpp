#include "program_options.hpp"

#include <unistd.h>

#include <cstdint>
#include <optional>

#include <fmt/core.h>

#include "seccage/accounts.hpp"
#include "seccage/error.hpp"
#include "syntax/units.hpp"

namespace seccage::cli {
namespace program_options {  // tools/seccage is built as one unity source
namespace {

// A uid or gid given by number. Names come from /etc/passwd and /etc/group
// (seccage/accounts.hpp: the binary is static, so there is no NSS), so
// anything that is not a name there must be a number.
// `kind` is "user" or "group", `file` where its names are, `id` "uid" or "gid".
std::uint32_t numeric_id(const char* option, const std::string& text, const char* kind, const char* file,
                         const char* id) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    throw InputError(fmt::format("{} '{}': no such {} in {} (seccage reads the file itself, not NSS; give a "
                                 "directory {}'s numeric {})", option, text, kind, file, kind, id));
  const std::uint64_t v = parse_count(option, text);
  if (v > 0xfffffffeu) throw InputError(fmt::format("{} '{}': not a valid {}", option, text, id));
  return static_cast<std::uint32_t>(v);
}

std::uint32_t parse_user(const std::string& user, std::optional<std::uint32_t>& primary_gid) {
  if (auto account = sandbox::find_user(user)) {
    primary_gid = account->gid;
    return account->uid;
  }
  const std::uint32_t uid = numeric_id("--user", user, "user", "/etc/passwd", "uid");
  if (auto account = sandbox::find_user_by_uid(uid)) primary_gid = account->gid;
  return uid;
}

std::uint32_t parse_group(const std::string& name) {
  if (auto gid = sandbox::find_group(name)) return *gid;
  return numeric_id("--group", name, "group", "/etc/group", "gid");
}

}  // namespace
}  // namespace program_options

void add_program_options(CLI::App& sub, ProgramArgs& p) {
  sub.add_flag("--no-namespaces", p.no_namespaces,
               "do not run the program in its own user, PID and mount namespaces (weaker: docs/SECURITY.md)");
  sub.add_flag("--require-namespaces", p.require_namespaces,
               "refuse to run (exit 125) rather than fall back to weaker isolation when the kernel refuses the "
               "namespaces (for one, when the user's user-namespace count is used up: docs/SECURITY.md)");
  sub.add_flag("--env-clear", p.env_clear, "start the program with an empty environment");
  sub.add_option("--env", p.env, "set NAME=VALUE in the program's environment (repeatable)")->allow_extra_args(false);
  sub.add_option("--cwd", p.cwd, "working directory of the program");
  sub.add_option("--stdin", p.stdin_file, "read stdin from FILE");
  sub.add_option("--user", p.user, "run as this user (name from /etc/passwd, or uid; needs root)");
  sub.add_option("--group", p.group, "run as this group (name from /etc/group, or gid; default: the user's)");
  // Everything from the program's name on belongs to the program, even
  // words that look like seccage options (sh -c ...).
  sub.add_option("command", p.command, "the program and its arguments (after --)");
  sub.prefix_command();
  sub.allow_extras();
}

void take_program_words(const CLI::App& sub, ProgramArgs& p) {
  // After --, CLI11 fills the positional; without it, prefix_command()
  // leaves the program's words in remaining().
  std::vector<std::string> rest = sub.remaining();
  if (!rest.empty() && rest.front() == "--") rest.erase(rest.begin());
  p.command.insert(p.command.end(), rest.begin(), rest.end());
}

void apply_program_options(const ProgramArgs& p, sandbox::RunOptions& o) {
  o.argv = p.command;
  if (p.no_namespaces && p.require_namespaces) throw InputError("--no-namespaces and --require-namespaces contradict each other");
  o.namespaces = !p.no_namespaces;
  o.require_namespaces = p.require_namespaces;
  o.env_clear = p.env_clear;
  for (const auto& kv : p.env) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw InputError(fmt::format("--env '{}': expected NAME=VALUE", kv));
    o.env_set.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  o.cwd = p.cwd;
  o.stdin_file = p.stdin_file;
  std::optional<std::uint32_t> primary_gid;
  if (!p.user.empty()) {
    o.uid = program_options::parse_user(p.user, primary_gid);
    o.gid = primary_gid;
  }
  if (!p.group.empty()) o.gid = program_options::parse_group(p.group);
  if ((o.uid || o.gid) && ::geteuid() != 0) throw InputError("--user and --group need seccage to run as root");
}

}  // namespace seccage::cli
