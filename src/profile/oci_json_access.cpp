#include "profile/oci_json_access.hpp"

#include <fmt/format.h>

#include "profile/json_locate.hpp"
#include "profile/suggest.hpp"
#include "profile/yaml_json.hpp"
#include "seccage/error.hpp"

namespace seccage::profile_detail {

using json = nlohmann::json;

namespace {

}  // namespace

std::string describe_json_value(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return fmt::format("boolean {}", v.get<bool>() ? "true" : "false");
    case json::value_t::string: {
      std::string s = v.get<std::string>();
      if (s.size() > 40) s = s.substr(0, 37) + "...";
      return fmt::format("string \"{}\"", s);
    }
    case json::value_t::number_unsigned:
    case json::value_t::number_integer:
    case json::value_t::number_float: return fmt::format("number {}", v.dump());
    case json::value_t::array: return fmt::format("an array of {}", v.size());
    case json::value_t::object: return "an object";
    default: return v.type_name();
  }
}

namespace {

// nlohmann reads a whole string before it can tell the string is misplaced,
// so it stops at the closing quote; the opening one is where the missing
// comma or colon belongs.
std::size_t opening_quote(std::string_view text, std::size_t offset) {
  if (offset >= text.size() || text[offset] != '"' || offset == 0) return offset;
  std::size_t i = offset;
  while (i-- > 0) {
    if (text[i] != '"') continue;
    std::size_t backslashes = 0;
    for (std::size_t j = i; j > 0 && text[j - 1] == '\\'; --j) ++backslashes;
    if (backslashes % 2 == 0) return i;
  }
  return offset;
}

}  // namespace

void OciMessages::fail(const std::string& pointer, const std::string& message) const {
  const std::string where = where_ ? where_(pointer) : describe_position(source_, locate_pointer(text_, pointer));
  if (pointer.empty()) throw InputError(fmt::format("{}: {}", where, message));
  throw InputError(fmt::format("{}: {}: {}", where, pointer, message));
}

std::string OciMessages::warning(const std::string& pointer, const std::string& message) const {
  if (pointer.empty()) return fmt::format("{}: {}", describe_position(source_, std::nullopt), message);
  const std::string where = where_ ? where_(pointer) : describe_position(source_, locate_pointer(text_, pointer));
  return fmt::format("{}: {}: {}", where, pointer, message);
}

json parse_json_text(std::string_view text, const std::string& source) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // nlohmann's byte is the count of bytes read when it gave up, so the
    // offending byte is the one before it.
    const std::size_t offset = opening_quote(text, e.byte > 0 ? e.byte - 1 : 0);
    const auto pos = position_of_offset(text, offset);
    std::string what = e.what();
    // Keep nlohmann's description ("syntax error while parsing object key
    // - unexpected '}'; expected string literal") without its own prefix.
    if (auto col = what.find("column "); col != std::string::npos) {
      if (auto colon = what.find(": ", col); colon != std::string::npos) what = what.substr(colon + 2);
    } else if (auto br = what.find("] "); br != std::string::npos) {
      what = what.substr(br + 2);
    }
    throw InputError(fmt::format("{}:{}:{}: malformed JSON: {}", source, pos.line, pos.column, what));
  } catch (const json::exception& e) {
    // Not a syntax error but a value nlohmann cannot hold, such as a number
    // that overflows a double (1E400): still bad input, never a crash.
    std::string what = e.what();
    if (auto br = what.find("] "); br != std::string::npos) what = what.substr(br + 2);
    throw InputError(fmt::format("{}: malformed JSON: {}", source, what));
  }
}

const json* JsonAccess::member(const json& obj, std::string_view key) {
  auto it = obj.find(std::string(key));
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

void JsonAccess::expect_type(const json& v, json::value_t type, const std::string& pointer,
                             std::string_view expected) const {
  if (v.type() == type) return;
  fail(pointer, fmt::format("expected {}, found {}", expected, describe_json_value(v)));
}

void JsonAccess::unknown_key(const std::string& key, std::span<const std::string_view> known,
                             const std::string& pointer, std::string_view what) const {
  fail(pointer + "/" + pointer_token(key),
       fmt::format("unknown key \"{}\" in {}{}", key, what, suggestion_suffix(key, known)));
}

std::string JsonAccess::get_string(const json& v, const std::string& pointer) const {
  expect_type(v, json::value_t::string, pointer, "a string");
  return v.get<std::string>();
}

std::vector<std::string> JsonAccess::get_string_array(const json& v, const std::string& pointer) const {
  expect_type(v, json::value_t::array, pointer, "an array of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v.size(); ++i) out.push_back(get_string(v[i], fmt::format("{}/{}", pointer, i)));
  return out;
}

std::uint64_t JsonAccess::get_unsigned(const json& v, const std::string& pointer, std::uint64_t max) const {
  if (v.is_number_unsigned()) {
    const auto n = v.get<std::uint64_t>();
    if (n > max) fail(pointer, fmt::format("expected an integer from 0 to {}, found {}", max, n));
    return n;
  }
  if (v.is_number_integer())
    fail(pointer, fmt::format("expected an unsigned integer, found negative number {}", v.dump()));
  // nlohmann stores integers above 2^64-1 as floats; tell the two apart from
  // the text, which says whether a fraction or exponent was written.
  if (v.is_number_float())
    fail(pointer, fmt::format("expected an unsigned integer up to {}, found {}", max, number_text(pointer, v)));
  fail(pointer, fmt::format("expected an unsigned integer, found {}", describe_json_value(v)));
}

std::string JsonAccess::number_text(const std::string& pointer, const json& v) const {
  const std::string_view text = messages_.text();
  auto pos = locate_pointer(text, pointer);
  if (!pos) return v.dump();
  // Re-find the offset from line/column to copy the literal as written.
  std::size_t offset = 0, line = 1;
  while (offset < text.size() && line < pos->line) {
    if (text[offset] == '\n') ++line;
    ++offset;
  }
  offset += pos->column - 1;
  std::size_t end = offset;
  while (end < text.size() && std::string_view("0123456789+-.eE").find(text[end]) != std::string_view::npos) ++end;
  const std::string literal(text.substr(offset, end - offset));
  if (literal.find_first_of(".eE") != std::string::npos) return "non-integer number " + literal;
  return "number " + literal + " (above 2^64-1)";
}

}  // namespace seccage::profile_detail
