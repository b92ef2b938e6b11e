// seccage presets: the built-in policies.
#include <memory>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "seccage/presets.hpp"

namespace seccage::cli {
namespace presets_command {  // one per command: tools/seccage is built as one unity source
namespace {

const CommandRegistration registration{"presets", "List the built-in policies", [](CLI::App& sub) {
                                         auto json = std::make_shared<bool>(false);
                                         sub.add_flag("--json", *json, "print JSON");
                                         return [json] {
                                           if (*json) {
                                             nlohmann::json out = nlohmann::json::array();
                                             for (const auto& p : presets())
                                               out.push_back({{"name", p.name}, {"summary", p.summary}});
                                             fmt::print("{}\n", out.dump(2));
                                           } else {
                                             for (const auto& p : presets()) fmt::print("{:<12} {}\n", p.name, p.summary);
                                           }
                                           return kExitOk;
                                         };
                                       }};

}  // namespace
}  // namespace presets_command
}  // namespace seccage::cli
