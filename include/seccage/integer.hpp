// Integers as every seccage front end reads them: the text language, the rule
// options of `seccage run`, `seccage emu --args`, errno and syscall numbers.
// One lexer, so a value means the same wherever it is written (issue 15).
// Other formats (OCI JSON, minijail, LXC) keep their own rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace seccage {

// Decimal (42), hex (0x2a), binary (0b101010), octal (052 or 0o52, as C and
// open flags write it). A leading '-' gives the 64-bit two's complement, the
// way a negative int or long reaches seccomp_data.args: -1 is
// 0xffffffffffffffff, AT_FDCWD is -100. nullopt when `text` is not such a
// number or does not fit in 64 bits (negatives go down to -2^63); no spaces,
// no '+', no digit separators.
std::optional<std::uint64_t> parse_integer(std::string_view text);

}  // namespace seccage
