// Durations and sizes as users type them on the command line.
#include <cmath>
#include <charconv>
#include <string>

#include <fmt/core.h>

#include "seccage/error.hpp"
#include "seccage/integer.hpp"
#include "syntax/units.hpp"

namespace seccage::cli {
namespace {

// Splits "500ms" into 500 and "ms". The number may have a fraction; no sign,
// no exponent: a limit is never negative and nobody writes 1e3s.
bool split_number(std::string_view text, double& number, std::string_view& unit) {
  std::size_t i = 0;
  bool digits = false, dot = false;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || (text[i] == '.' && !dot))) {
    if (text[i] == '.') dot = true;
    else digits = true;
    ++i;
  }
  if (!digits) return false;
  // std::from_chars for double is in libstdc++ 11+, and locale-independent.
  auto res = std::from_chars(text.data(), text.data() + i, number);
  if (res.ec != std::errc() || res.ptr != text.data() + i) return false;
  unit = text.substr(i);
  return true;
}

}  // namespace

double parse_duration(std::string_view text) {
  double n = 0;
  std::string_view unit;
  if (!split_number(text, n, unit))
    throw InputError(fmt::format("invalid duration '{}': expected seconds (1.5) or a number with a unit "
                                 "(500ms, 2s, 1m, 1h)",
                                 text));
  double scale = 0;
  if (unit.empty() || unit == "s") scale = 1;
  else if (unit == "ms") scale = 1e-3;
  else if (unit == "us") scale = 1e-6;
  else if (unit == "m" || unit == "min") scale = 60;
  else if (unit == "h") scale = 3600;
  else
    throw InputError(fmt::format("invalid duration '{}': unknown unit '{}' (use ms, s, m or h)", text, unit));
  const double seconds = n * scale;
  if (!(seconds > 0) || !std::isfinite(seconds))
    throw InputError(fmt::format("invalid duration '{}': it must be greater than zero", text));
  return seconds;
}

std::uint64_t parse_size(std::string_view text) {
  double n = 0;
  std::string_view unit;
  if (!split_number(text, n, unit))
    throw InputError(fmt::format("invalid size '{}': expected bytes (4096) or a number with a unit (64K, 64M, 1G)", text));
  std::string u(unit);
  // 64MiB, 64MB and 64M all mean 64 * 2^20: sandbox limits are about memory
  // pages, and nobody means 10^6 when limiting a judge's memory.
  if (u.size() >= 2 && (u.substr(u.size() - 2) == "iB" || u.substr(u.size() - 2) == "ib")) u.resize(u.size() - 2);
  else if (u.size() >= 2 && (u.back() == 'B' || u.back() == 'b')) u.pop_back();
  else if (u == "B" || u == "b") u.clear();
  double scale = 0;
  if (u.empty()) scale = 1;
  else if (u == "K" || u == "k") scale = 1024.0;
  else if (u == "M" || u == "m") scale = 1024.0 * 1024;
  else if (u == "G" || u == "g") scale = 1024.0 * 1024 * 1024;
  else if (u == "T" || u == "t") scale = 1024.0 * 1024 * 1024 * 1024;
  else throw InputError(fmt::format("invalid size '{}': unknown unit '{}' (use K, M, G or T)", text, unit));
  const double bytes = std::floor(n * scale);
  if (!(bytes >= 1) || bytes >= 18446744073709551615.0)
    throw InputError(fmt::format("invalid size '{}': it must be at least 1 byte and fit in 64 bits", text));
  return static_cast<std::uint64_t>(bytes);
}

std::uint64_t parse_count(std::string_view option, std::string_view text) {
  const auto value = text.starts_with('-') ? std::nullopt : parse_integer(text);
  if (!value) throw InputError(fmt::format("{} '{}': expected a whole number (0 or more)", option, text));
  return *value;
}

}  // namespace seccage::cli
