// seccage fmt: a policy (text, or OCI JSON) in the canonical text form.
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <fmt/core.h>

#include "command.hpp"
#include "policy_input.hpp"
#include "seccage/error.hpp"
#include "seccage/policy_text.hpp"
#include "util/atomic_file.hpp"

namespace seccage::cli {
namespace fmt_command {  // one per command: tools/seccage is built as one unity source
namespace {

struct Options {
  PolicyInput input;
  std::string output;
  bool check = false;
};

int run(const Options& o) {
  // Reading compiles the whole policy first, so a bad input fails here and
  // nothing is written.
  LoadedPolicy loaded = load_policy(o.input);
  for (const std::string& w : loaded.warnings) fmt::print(stderr, "seccage: warning: {}\n", w);
  const std::string text = write_text_policy(loaded.policy);

  if (o.check) {
    if (o.input.profile.empty() || o.input.profile == "-")
      throw InputError("--check needs a file to compare with");
    std::ifstream in(o.input.profile, std::ios::binary);
    std::stringstream current;
    current << in.rdbuf();
    if (current.str() == text) return kExitOk;
    fmt::print(stderr, "{}: not in canonical form (run `seccage fmt {} -o {}`)\n", o.input.profile,
               o.input.profile, o.input.profile);
    return kExitFindings;
  }
  if (o.output.empty() || o.output == "-") std::cout << text << std::flush;
  else write_file_atomically(o.output, text);
  return kExitOk;
}

const CommandRegistration registration{
    "fmt", "Print a policy in the canonical text form (sorted, groups expanded)", [](CLI::App& sub) {
      auto o = std::make_shared<Options>();
      sub.add_option("profile", o->input.profile, "a text policy or an OCI/Docker JSON profile (- for stdin)")
          ->required();
      sub.add_option("--arch", o->input.arches,
                     "architecture(s): replaces the policy's `arch` line; the first picks `on` sections");
      sub.add_option("-o,--output", o->output, "write here (atomically) instead of stdout");
      sub.add_flag("--check", o->check, "write nothing; exit 1 if the file is not already in canonical form");
      sub.footer(
          "The canonical form: default, arch, then unconditional statements grouped by action with sorted\n"
          "names (groups expanded), then one line per conditional syscall and action. It decides exactly as\n"
          "the input. Example: seccage fmt web.policy -o web.policy");
      return [o] { return run(*o); };
    }};

}  // namespace
}  // namespace fmt_command
}  // namespace seccage::cli
