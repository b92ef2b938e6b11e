// seccage fmt: a policy (text, or OCI JSON) in the canonical text form.
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <fmt/core.h>

#include "command.hpp"
#include "policy_input.hpp"
#include "seccage/error.hpp"
#include "seccage/formats.hpp"
#include "seccage/policy_text.hpp"
#include "seccage/atomic_file.hpp"

namespace seccage::cli {
namespace fmt_command {  // one per command: tools/seccage is built as one unity source
namespace {

struct Options {
  PolicyInput input;
  std::string output;
  bool check = false;
  bool expand = false;
};

// Whether a text policy has a `default` statement (a line starting with it).
bool has_default(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.starts_with("default ") || line.starts_with("default\t")) return true;
    pos = end + 1;
  }
  return false;
}

// The text form of the input: a text policy laid out as written (comments,
// includes, groups and order kept), anything else, or a text policy with
// --expand, as the compiled policy's canonical text.
std::string formatted(const Options& o) {
  const std::string original = read_profile_text(o.input.profile);
  const std::string name = source_name(o.input);
  // Loading compiles the whole policy first, so bad input fails here and
  // nothing is written.
  // A file meant only to be included (examples/common-deny.policy) has no
  // default action; it is checked as an including file would see it, under
  // one, when it is text with no `default` statement at all.
  const bool fragment = !o.expand && detect_policy_format(original) == PolicyFormat::Text && !has_default(original);
  const std::string prefix = fragment ? "default kill\n" : "";
  LoadedPolicy loaded = load_policy_text(prefix + original, name, load_options(o.input));
  for (const std::string& w : loaded.warnings) fmt::print(stderr, "seccage: warning: {}\n", w);
  if (o.expand || loaded.format != PolicyFormat::Text) return write_text_policy(loaded.policy);
  std::string text = format_text_policy(original, name);
  // What it decides must not change: compare the compiled policies.
  const LoadedPolicy again = load_policy_text(prefix + text, name, load_options(o.input));
  if (write_text_policy(again.policy) != write_text_policy(loaded.policy))
    throw InputError(fmt::format("{}: the formatted policy would decide differently; this is a bug in seccage fmt, "
                                 "please report it (nothing was written)",
                                 name));
  return text;
}

int run(const Options& o) {
  if (o.check && (o.input.profile.empty() || o.input.profile == "-"))
    throw InputError("--check needs a file to compare with");
  const std::string text = formatted(o);
  if (o.check) {
    if (read_profile_text(o.input.profile) == text) return kExitOk;
    fmt::print(stderr, "{}: not in canonical form (run `seccage fmt {} -o {}`)\n", o.input.profile,
               o.input.profile, o.input.profile);
    return kExitFindings;
  }
  if (o.output.empty() || o.output == "-") std::cout << text << std::flush;
  else write_file_atomically(o.output, text);
  return kExitOk;
}

const CommandRegistration registration{
    "fmt", "Lay a text policy out canonically, keeping comments, includes and groups; other formats become text",
    [](CLI::App& sub) {
      auto o = std::make_shared<Options>();
      sub.add_option("profile", o->input.profile, "a text policy or an OCI/Docker JSON profile (- for stdin)")
          ->required();
      sub.add_option("--arch", o->input.arches,
                     "architecture(s): replaces the policy's `arch` line; the first picks `on` sections");
      sub.add_option("-o,--output", o->output, "write here (atomically) instead of stdout");
      sub.add_flag("--check", o->check, "write nothing; exit 1 if the file is not already in canonical form");
      sub.add_flag("--expand", o->expand,
                   "write the compiled policy instead: groups expanded, includes inlined, comments dropped, one "
                   "statement per syscall and action (the form any input format is converted to)");
      sub.footer(
          "A text policy keeps its statements in their order (later statements win), its comments, includes,\n"
          "groups and `on` sections; only the layout changes: one statement per line, one space around\n"
          "operators, continuation lines indented by four, sections by two. Other formats (OCI JSON, SPO,\n"
          "minijail, LXC), and text with --expand, become the compiled canonical form: default, arch, then\n"
          "statements grouped by action with sorted names. Either way the result decides exactly as the\n"
          "input (checked before anything is written). Example: seccage fmt web.policy -o web.policy");
      return [o] { return run(*o); };
    }};

}  // namespace
}  // namespace fmt_command
}  // namespace seccage::cli
