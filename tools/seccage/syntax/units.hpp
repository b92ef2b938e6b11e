// Durations and sizes as users type them on seccage's command line.
#pragma once

#include <cstdint>
#include <string_view>

namespace seccage::cli {

// "1.5", "500ms", "2s", "1m", "1h" -> seconds. Plain numbers are seconds.
// Throws InputError saying what was expected.
double parse_duration(std::string_view text);
// "4096", "64K", "64M", "1G", "1T" (powers of 1024; a trailing B or iB is
// accepted: "64MiB") -> bytes. Throws InputError saying what was expected.
std::uint64_t parse_size(std::string_view text);
// A count (--nofile, --max-violations, a uid): a number as every front end
// writes one (seccage/integer.hpp), not negative. Throws InputError naming
// `option`.
std::uint64_t parse_count(std::string_view option, std::string_view text);

}  // namespace seccage::cli
