#include "profile/json_locate.hpp"

#include <fmt/format.h>

#include <vector>

namespace seccage::profile_detail {

TextPosition position_of_offset(std::string_view text, std::size_t offset) {
  TextPosition pos;
  if (offset > text.size()) offset = text.size();
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

namespace {

// A forward-only reader over JSON text that can skip values and read keys. It
// trusts the text to be valid JSON (it was parsed before) but never reads past
// the end when it is not.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::size_t pos() const { return pos_; }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void advance() { ++pos_; }

  void skip_ws() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
  }

  // Reads a string token and decodes the escapes that can occur in keys we
  // compare with (\" \\ \/ and the control escapes); \u escapes are kept raw,
  // so a key spelled with them simply does not match.
  std::optional<std::string> read_string() {
    if (peek() != '"') return std::nullopt;
    ++pos_;
    std::string out;
    while (!at_end()) {
      char c = text_[pos_++];
      if (c == '"') return out;
      if (c == '\\' && !at_end()) {
        char e = text_[pos_++];
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'u': out += "\\u"; break;
          default: out += e; break;
        }
      } else {
        out += c;
      }
    }
    return std::nullopt;
  }

  bool skip_value() {
    skip_ws();
    if (at_end()) return false;
    char c = peek();
    if (c == '"') return read_string().has_value();
    if (c == '{' || c == '[') {
      int depth = 0;
      while (!at_end()) {
        char d = peek();
        if (d == '"') {
          if (!read_string()) return false;
          continue;
        }
        ++pos_;
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') {
          if (--depth == 0) return true;
        }
      }
      return false;
    }
    while (!at_end()) {
      char d = peek();
      if (d == ',' || d == ']' || d == '}' || d == ' ' || d == '\t' || d == '\n' || d == '\r') break;
      ++pos_;
    }
    return true;
  }

  void seek(std::size_t p) { pos_ = p; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::optional<std::vector<std::string>> split_pointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer.front() != '/') return std::nullopt;
  std::size_t start = 1;
  while (true) {
    std::size_t slash = pointer.find('/', start);
    std::string_view raw = pointer.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    std::string token;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size()) {
        token += raw[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        token += raw[i];
      }
    }
    tokens.push_back(std::move(token));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return tokens;
}

}  // namespace

std::optional<TextPosition> locate_pointer(std::string_view text, std::string_view pointer) {
  auto tokens = split_pointer(pointer);
  if (!tokens) return std::nullopt;
  Scanner s(text);
  s.skip_ws();
  for (const auto& token : *tokens) {
    s.skip_ws();
    if (s.peek() == '{') {
      s.advance();
      // nlohmann::json keeps the last of duplicate keys, so the position we
      // report is the last occurrence too.
      std::optional<std::size_t> found;
      while (true) {
        s.skip_ws();
        if (s.peek() == '}') break;
        auto key = s.read_string();
        if (!key) return std::nullopt;
        s.skip_ws();
        if (s.peek() != ':') return std::nullopt;
        s.advance();
        s.skip_ws();
        if (*key == token) found = s.pos();
        if (!s.skip_value()) return std::nullopt;
        s.skip_ws();
        if (s.peek() == ',') {
          s.advance();
          continue;
        }
        break;
      }
      if (!found) return std::nullopt;
      s.seek(*found);
    } else if (s.peek() == '[') {
      s.advance();
      std::size_t index = 0;
      for (char c : token) {
        if (c < '0' || c > '9') return std::nullopt;
        index = index * 10 + static_cast<std::size_t>(c - '0');
      }
      for (std::size_t i = 0; i < index; ++i) {
        s.skip_ws();
        if (s.peek() == ']') return std::nullopt;
        if (!s.skip_value()) return std::nullopt;
        s.skip_ws();
        if (s.peek() != ',') return std::nullopt;
        s.advance();
      }
      s.skip_ws();
      if (s.peek() == ']' || s.at_end()) return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  s.skip_ws();
  return position_of_offset(text, s.pos());
}

std::string describe_position(std::string_view source, std::optional<TextPosition> pos) {
  if (!pos) return std::string(source);
  return fmt::format("{}:{}:{}", source, pos->line, pos->column);
}

}  // namespace seccage::profile_detail
