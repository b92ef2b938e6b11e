// The seccage command: dispatches to the subcommands registered by the other
// files in this folder, and turns errors into messages and exit statuses.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <vector>

#include <fmt/core.h>

#include "seccage/error.hpp"
#include "seccage/version.hpp"
#include "command.hpp"

namespace seccage::cli {
namespace {

struct Registered {
  std::string summary;
  Setup setup;
};

// Sorted by name so --help lists commands alphabetically whatever the link order.
std::map<std::string, Registered>& registry() {
  static std::map<std::string, Registered> commands;
  return commands;
}

}  // namespace

CommandRegistration::CommandRegistration(std::string name, std::string summary, Setup setup) {
  registry().emplace(std::move(name), Registered{std::move(summary), std::move(setup)});
}

}  // namespace seccage::cli

int main(int argc, char** argv) {
  using namespace seccage;
  CLI::App app{"seccage: compile, check, run and inspect Linux seccomp filters", "seccage"};
  app.set_version_flag("--version", std::string(kVersion));
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 success; 1 findings (check) or differences (diff); 2 bad arguments or input;\n"
      "3 the kernel or system refused. `seccage run` exits with the program's status (128+N if it\n"
      "died of signal N) and 125/126/127 when seccage could not start it. Run `seccage COMMAND --help`.");

  // Only the command argv[1] names is set up (declaring every command's
  // options took a quarter of a millisecond more than declaring one, see
  // docs/run.md, "Start-up cost"); anything else (--help, --version, a typo)
  // gets them all, so the help lists every command and errors are CLI11's.
  auto& registry = cli::registry();
  auto named = argc > 1 ? registry.find(argv[1]) : registry.end();
  std::vector<std::function<int()>> runners;
  std::vector<CLI::App*> subs;
  for (auto it = registry.begin(); it != registry.end(); ++it) {
    if (named != registry.end() && it != named) continue;
    CLI::App* sub = app.add_subcommand(it->first, it->second.summary);
    subs.push_back(sub);
    runners.push_back(it->second.setup(*sub));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : cli::kExitUsage;
  }

  try {
    for (std::size_t i = 0; i < subs.size(); ++i) {
      if (subs[i]->parsed()) {
        const int status = runners[i]();
        // Done: leave without tearing down the CLI11 tree and the static
        // objects one by one (tens of microseconds, docs/run.md "Start-up
        // cost"); only the stdio buffers hold anything still to be written.
        std::cout.flush();
        std::fflush(nullptr);
        std::_Exit(status);
      }
    }
  } catch (const InputError& e) {
    fmt::print(stderr, "seccage: {}\n", e.what());
    return cli::kExitUsage;
  } catch (const SystemError& e) {
    fmt::print(stderr, "seccage: {}\n", e.what());
    return cli::kExitSystem;
  } catch (const std::exception& e) {
    fmt::print(stderr, "seccage: {}\n", e.what());
    return cli::kExitUsage;
  }
  return cli::kExitUsage;
}
