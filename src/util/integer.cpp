#include "seccage/integer.hpp"

namespace seccage {

std::optional<std::uint64_t> parse_integer(std::string_view text) {
  bool negative = false;
  if (text.starts_with('-')) {
    negative = true;
    text.remove_prefix(1);
  }
  unsigned base = 10;
  auto prefixed = [&](char lower, char upper) {
    return text.size() > 2 && text[0] == '0' && (text[1] == lower || text[1] == upper);
  };
  if (prefixed('x', 'X')) base = 16, text.remove_prefix(2);
  else if (prefixed('b', 'B')) base = 2, text.remove_prefix(2);
  else if (prefixed('o', 'O')) base = 8, text.remove_prefix(2);
  else if (text.size() > 1 && text[0] == '0') base = 8, text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : text) {
    unsigned d;
    if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
    else return std::nullopt;
    if (d >= base) return std::nullopt;
    if (v > (~std::uint64_t{0} - d) / base) return std::nullopt;
    v = v * base + d;
  }
  if (negative) {
    if (v > (std::uint64_t{1} << 63)) return std::nullopt;
    v = ~v + 1;
  }
  return v;
}

}  // namespace seccage
