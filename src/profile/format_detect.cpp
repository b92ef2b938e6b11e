// Telling a policy's format from its content (formats.hpp has the rules).
// Each format has a first statement no other format can start with, so the
// decision looks at the first statement only, after blank lines and '#'
// comments, which all the line formats share.
#include <cctype>
#include <optional>
#include <string>

#include "seccage/error.hpp"
#include "seccage/formats.hpp"

namespace seccage {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// "read: 1", "read[arch=x86_64]: 1", "{read, write}: 1": a syscall (or a
// braced list of them) directly followed by a colon. The text language never
// starts a statement so: its statements start with a keyword and a space.
bool minijail_statement(std::string_view line) {
  if (line.starts_with("@include") || line.starts_with("@frequency") || line.starts_with("@default") ||
      line.starts_with("@denylist"))
    return true;
  std::size_t i = 0;
  if (line.starts_with("{")) {
    const std::size_t close = line.find('}');
    if (close == std::string_view::npos) return false;
    i = close + 1;
  } else {
    if (line.empty() || !is_ident_start(line[0])) return false;
    while (i < line.size() && is_ident_char(line[i])) ++i;
    if (i < line.size() && line[i] == '[') {
      const std::size_t close = line.find(']', i);
      if (close == std::string_view::npos) return false;
      i = close + 1;
    }
  }
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i < line.size() && line[i] == ':';
}

bool yaml_top_level_key(std::string_view raw_line) {
  return raw_line.starts_with("apiVersion:") || raw_line.starts_with("kind:");
}

}  // namespace

std::string_view policy_format_name(PolicyFormat format) {
  switch (format) {
    case PolicyFormat::Text: return "text";
    case PolicyFormat::OciJson: return "OCI JSON";
    case PolicyFormat::SpoYaml: return "SPO YAML";
    case PolicyFormat::Minijail: return "minijail";
    case PolicyFormat::Lxc: return "LXC";
  }
  return "?";
}

PolicyFormat detect_policy_format(std::string_view text) {
  // lxc reads the version with fscanf("%d\n") from the very first line.
  const std::string_view first_line = trim(text.substr(0, text.find('\n')));
  if (first_line == "1" || first_line == "2") return PolicyFormat::Lxc;

  std::optional<std::string_view> first_statement;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view raw = text.substr(pos, end - pos);
    const std::string_view line = trim(raw);
    pos = end + 1;
    if (!first_statement && (line.empty() || line.front() == '#')) continue;
    if (!first_statement) {
      if (line.front() == '{' && !minijail_statement(line)) return PolicyFormat::OciJson;
      first_statement = line;
      if (line == "---" || line.starts_with("--- ")) return PolicyFormat::SpoYaml;
    }
    if (yaml_top_level_key(raw)) return PolicyFormat::SpoYaml;
    // A JSON or text policy can be long: only YAML keys need the whole scan,
    // and they sit at column 0 in the first few lines of a manifest.
    if (pos > 4096 && !minijail_statement(*first_statement)) break;
  }
  if (first_statement && minijail_statement(*first_statement)) return PolicyFormat::Minijail;
  return PolicyFormat::Text;
}

}  // namespace seccage
