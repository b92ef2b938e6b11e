// YAML documents as nlohmann::json values, with the position of every value,
// so the OCI reader can check a SeccompProfile's spec as it checks JSON and
// still name the YAML line. Parsing is yaml-cpp's; this only maps its nodes
// to JSON types the way Kubernetes' YAML decoder would, refusing what it
// would read differently from a casual reader (formats.md, "SPO YAML").
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace seccage::profile_detail {

struct YamlPosition {
  std::size_t line = 1;    // 1-based
  std::size_t column = 1;  // 1-based
};

struct YamlDocument {
  nlohmann::json value;                            // null for an empty document
  std::map<std::string, YamlPosition> positions;  // JSON pointer -> where its value starts
  std::size_t number = 1;                          // 1-based, in the file
};

// Every document of the stream. Throws InputError "source:line:col: ..." on
// malformed YAML, on a plain scalar whose type YAML versions disagree on
// (0755: octal in YAML 1.1, decimal in 1.2), on integers beyond 64 bits, on
// duplicate keys and on non-scalar keys.
std::vector<YamlDocument> parse_yaml_documents(std::string_view text, std::string_view source);

// "~" and "/" escaped as in a JSON pointer token.
std::string pointer_token(std::string_view key);

}  // namespace seccage::profile_detail
