// Where things are in a JSON text, for error messages: nlohmann::json keeps no
// positions, so a failed check on a parsed value finds its line again by
// walking the text along the JSON pointer. Only runs when reporting an error.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace seccage::profile_detail {

struct TextPosition {
  std::size_t line = 1;    // 1-based
  std::size_t column = 1;  // 1-based, in bytes
};

// The line and column of byte `offset` (0-based) in `text`.
TextPosition position_of_offset(std::string_view text, std::size_t offset);

// The position of the value a JSON pointer ("/syscalls/3/args/0/op") names,
// or nullopt when the text does not hold it (or is not valid JSON along the
// way). A pointer naming an object member points at its value.
std::optional<TextPosition> locate_pointer(std::string_view text, std::string_view pointer);

// "file:12:5" / "file" — for prefixing messages.
std::string describe_position(std::string_view source, std::optional<TextPosition> pos);

}  // namespace seccage::profile_detail
