#include "profile/yaml_json.hpp"

#include <cctype>
#include <limits>
#include <optional>
#include <set>
#include <string>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "seccage/error.hpp"

namespace seccage::profile_detail {

namespace {

using json = nlohmann::json;

YamlPosition position_of(const YAML::Mark& m) {
  if (m.is_null() || m.line < 0 || m.column < 0) return {};
  return {static_cast<std::size_t>(m.line) + 1, static_cast<std::size_t>(m.column) + 1};
}

bool all_of(std::string_view s, int (*pred)(int)) {
  if (s.empty()) return false;
  for (char c : s)
    if (!pred(static_cast<unsigned char>(c))) return false;
  return true;
}

int is_octal(int c) { return c >= '0' && c <= '7'; }
int is_hex(int c) { return std::isxdigit(c); }
int is_dec(int c) { return std::isdigit(c); }

// An integer literal in `digits` (no sign) and base, or nullopt beyond 64 bits.
std::optional<std::uint64_t> parse_digits(std::string_view digits, unsigned base) {
  std::uint64_t v = 0;
  for (char c : digits) {
    const unsigned d = std::isdigit(static_cast<unsigned char>(c)) ? unsigned(c - '0')
                                                                   : unsigned(std::tolower(c) - 'a' + 10);
    if (v > (std::numeric_limits<std::uint64_t>::max() - d) / base) return std::nullopt;
    v = v * base + d;
  }
  return v;
}

bool looks_like_float(std::string_view s) {
  if (s == ".inf" || s == "-.inf" || s == "+.inf" || s == ".nan" || s == ".Inf" || s == ".NaN" || s == ".INF")
    return true;
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  bool dot = false;
  if (i < s.size() && s[i] == '.') {
    dot = true;
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  bool exponent = false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    exponent = true;
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (i == s.size()) return false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  }
  return i == s.size() && (dot || exponent);
}

class Converter {
 public:
  Converter(std::string_view source, YamlDocument& doc) : source_(source), doc_(doc) {}

  json convert(const YAML::Node& n, const std::string& pointer) {
    doc_.positions.emplace(pointer, position_of(n.Mark()));
    switch (n.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null: return nullptr;
      case YAML::NodeType::Scalar: return scalar(n, pointer);
      case YAML::NodeType::Sequence: {
        json out = json::array();
        std::size_t i = 0;
        for (const YAML::Node& item : n) out.push_back(convert(item, fmt::format("{}/{}", pointer, i++)));
        return out;
      }
      case YAML::NodeType::Map: {
        json out = json::object();
        for (const auto& kv : n) {
          if (!kv.first.IsScalar()) fail(kv.first.Mark(), "a mapping key must be a plain name");
          const std::string key = kv.first.Scalar();
          // yaml-cpp keeps the last of two equal keys; Kubernetes refuses
          // them. Either way the file does not say one thing: refuse.
          if (out.contains(key)) fail(kv.first.Mark(), fmt::format("duplicate key \"{}\"", key));
          out[key] = convert(kv.second, pointer + "/" + pointer_token(key));
        }
        return out;
      }
    }
    return nullptr;
  }

 private:
  [[noreturn]] void fail(const YAML::Mark& m, const std::string& message) const {
    const YamlPosition p = position_of(m);
    const std::string doc = doc_.number > 1 ? fmt::format(" (document {})", doc_.number) : "";
    throw InputError(fmt::format("{}:{}:{}{}: SPO YAML: {}", source_, p.line, p.column, doc, message));
  }

  // Plain scalars get the type YAML's core schema gives them; quoted ones are
  // strings. Only integers, booleans and null matter to a SeccompProfile.
  json scalar(const YAML::Node& n, const std::string& /*pointer*/) {
    const std::string& s = n.Scalar();
    const std::string& tag = n.Tag();
    if (tag == "!" || tag == "tag:yaml.org,2002:str") return s;
    if (tag != "?" && tag != "tag:yaml.org,2002:int")
      fail(n.Mark(), fmt::format("the tag \"{}\" is not supported; write the value plainly", tag));
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    std::string_view body = s;
    const bool negative = body.starts_with('-');
    if (negative || body.starts_with('+')) body.remove_prefix(1);
    std::optional<std::uint64_t> magnitude;
    bool integer = false;
    if (body.size() > 2 && (body.starts_with("0x") || body.starts_with("0X")) && all_of(body.substr(2), is_hex)) {
      integer = true;
      magnitude = parse_digits(body.substr(2), 16);
    } else if (body.size() > 2 && body.starts_with("0o") && all_of(body.substr(2), is_octal)) {
      integer = true;
      magnitude = parse_digits(body.substr(2), 8);
    } else if (all_of(body, is_dec)) {
      integer = true;
      if (body.size() > 1 && body.front() == '0')
        fail(n.Mark(), fmt::format("\"{}\" is octal to YAML 1.1 (Kubernetes) and decimal to YAML 1.2; write it "
                                   "without the leading zero, or as 0o{} for octal",
                                   s, body.substr(1)));
      magnitude = parse_digits(body, 10);
    }
    if (integer) {
      if (!magnitude) fail(n.Mark(), fmt::format("the number {} does not fit in 64 bits", s));
      if (!negative) return *magnitude;
      if (*magnitude > std::uint64_t{1} << 63) fail(n.Mark(), fmt::format("the number {} does not fit in 64 bits", s));
      return static_cast<std::int64_t>(0 - *magnitude);
    }
    if (tag == "tag:yaml.org,2002:int") fail(n.Mark(), fmt::format("\"{}\" is tagged !!int but is not an integer", s));
    if (looks_like_float(s)) {
      try {
        return std::stod(s);
      } catch (const std::exception&) {
        return s;  // .inf/.nan spellings: kept as text, refused by the field's type check
      }
    }
    return s;
  }

  std::string_view source_;
  YamlDocument& doc_;
};

}  // namespace

std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::vector<YamlDocument> parse_yaml_documents(std::string_view text, std::string_view source) {
  std::vector<YAML::Node> nodes;
  try {
    nodes = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    const YamlPosition p = position_of(e.mark);
    throw InputError(fmt::format("{}:{}:{}: SPO YAML: malformed YAML: {}", source, p.line, p.column, e.msg));
  }
  std::vector<YamlDocument> docs;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    YamlDocument d;
    d.number = i + 1;
    try {
      d.value = Converter(source, d).convert(nodes[i], "");
    } catch (const YAML::Exception& e) {
      const YamlPosition p = position_of(e.mark);
      throw InputError(fmt::format("{}:{}:{}: SPO YAML: {}", source, p.line, p.column, e.msg));
    }
    docs.push_back(std::move(d));
  }
  return docs;
}

}  // namespace seccage::profile_detail
