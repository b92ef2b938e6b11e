// Typed access to a parsed OCI profile's JSON, with every message naming
// where the value is ("file:12:5: /syscalls/3/op: expected a string, ...").
// nlohmann::json keeps no positions, so messages find them again from the
// JSON pointer: in the JSON text, or through the caller's locator for a
// profile that was written in another syntax (SPO YAML).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "profile/oci_reader_hooks.hpp"

namespace seccage::profile_detail {

// Where OCI messages point, and how they are worded.
class OciMessages {
 public:
  // A JSON text: pointers are found in it.
  OciMessages(std::string_view text, std::string source) : text_(text), source_(std::move(source)) {}
  // A value parsed from another syntax: `where` places pointers.
  OciMessages(std::string source, PointerLocator where) : source_(std::move(source)), where_(std::move(where)) {}

  // Throws InputError "where: pointer: message" ("where: message" for "").
  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const;
  // The same line for a warning; a warning about the whole profile (pointer
  // "") names the file only.
  std::string warning(const std::string& pointer, const std::string& message) const;

  const std::string& source() const { return source_; }
  // The JSON text, empty for another syntax.
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
  std::string source_;
  PointerLocator where_;
};

// What a value is, for "expected X, found Y" messages.
std::string describe_json_value(const nlohmann::json& v);

// Parses JSON text; malformed JSON throws InputError with its line and column.
nlohmann::json parse_json_text(std::string_view text, const std::string& source);

// The checks every typed read makes, failing with the value's pointer.
class JsonAccess {
 public:
  explicit JsonAccess(const OciMessages& messages) : messages_(messages) {}

  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
    messages_.fail(pointer, message);
  }

  // A member that is present and not null (Go decodes null as "absent" for
  // every field Docker and Podman use, and Podman writes "args": null).
  static const nlohmann::json* member(const nlohmann::json& obj, std::string_view key);

  void expect_type(const nlohmann::json& v, nlohmann::json::value_t type, const std::string& pointer,
                   std::string_view expected) const;

  // Docker and Podman ignore unknown keys, so a typo such as "exclude"
  // silently changes what the profile allows; refuse it instead.
  template <std::size_t N>
  void check_keys(const nlohmann::json& obj, const std::array<std::string_view, N>& known, const std::string& pointer,
                  std::string_view what) const {
    for (auto it = obj.begin(); it != obj.end(); ++it)
      if (std::find(known.begin(), known.end(), it.key()) == known.end()) unknown_key(it.key(), known, pointer, what);
  }

  std::string get_string(const nlohmann::json& v, const std::string& pointer) const;
  std::vector<std::string> get_string_array(const nlohmann::json& v, const std::string& pointer) const;
  // JSON numbers as the Go runtimes decode them into uint64/uint32: integers
  // only, no sign, no fraction or exponent, at most `max`.
  std::uint64_t get_unsigned(const nlohmann::json& v, const std::string& pointer, std::uint64_t max) const;

 private:
  [[noreturn]] void unknown_key(const std::string& key, std::span<const std::string_view> known,
                                const std::string& pointer, std::string_view what) const;
  std::string number_text(const std::string& pointer, const nlohmann::json& v) const;

  const OciMessages& messages_;
};

}  // namespace seccage::profile_detail
