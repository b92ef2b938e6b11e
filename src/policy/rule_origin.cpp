// RuleOrigin (seccage/policy.hpp): where a rule was written, and the one
// place its text is made.
#include <fmt/core.h>

#include "seccage/policy.hpp"

namespace seccage {

RuleOrigin RuleOrigin::in_text(std::string file, unsigned line, unsigned column) {
  RuleOrigin o;
  o.file = std::move(file);
  o.line = line;
  o.column = column;
  return o;
}

RuleOrigin RuleOrigin::in_json(std::string file, std::string json_pointer, std::vector<unsigned> json_args) {
  RuleOrigin o;
  o.file = std::move(file);
  o.json_pointer = std::move(json_pointer);
  o.json_args = std::move(json_args);
  return o;
}

RuleOrigin RuleOrigin::from_option(std::string option) {
  RuleOrigin o;
  o.option = std::move(option);
  return o;
}

RuleOrigin RuleOrigin::named(std::string name) {
  RuleOrigin o;
  o.name = std::move(name);
  return o;
}

bool RuleOrigin::empty() const { return *this == RuleOrigin{}; }

std::string RuleOrigin::to_string() const {
  if (!option.empty()) return option;
  if (!name.empty()) return name;
  if (!json_pointer.empty()) {
    // The args a split rule keeps, joined with '+': not a JSON pointer, but
    // what reports have always shown (docs/oci.md, "Argument splitting").
    std::string s = fmt::format("{}:{}", file, json_pointer);
    if (!json_args.empty()) {
      s += "/args/";
      for (std::size_t i = 0; i < json_args.size(); ++i) s += fmt::format("{}{}", i ? "+" : "", json_args[i]);
    }
    return s;
  }
  if (line != 0 && column != 0) return fmt::format("{}:{}:{}", file, line, column);
  if (line != 0) return fmt::format("{}:{}", file, line);
  return file;
}

std::string RuleOrigin::json_location() const {
  if (json_pointer.empty()) return {};
  if (json_args.size() == 1) return fmt::format("{}/args/{}", json_pointer, json_args.front());
  return json_pointer;
}

std::string rule_origin(const Rule& rule, std::size_t number) {
  if (!rule.origin.empty()) return rule.origin.to_string();
  return fmt::format("rule {} ({})", number, to_string(rule.syscall));
}

}  // namespace seccage
