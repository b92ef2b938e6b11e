// The seccage command: dispatches to the subcommands registered by the other
// files in this folder, and turns errors into messages and exit statuses.
#include <cstdio>
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

  std::vector<std::function<int()>> runners;
  std::vector<CLI::App*> subs;
  for (auto& [name, reg] : cli::registry()) {
    CLI::App* sub = app.add_subcommand(name, reg.summary);
    subs.push_back(sub);
    runners.push_back(reg.setup(*sub));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : cli::kExitUsage;
  }

  try {
    for (std::size_t i = 0; i < subs.size(); ++i) {
      if (subs[i]->parsed()) return runners[i]();
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
