// Internal: reading a raw program from an open descriptor (stdin for the CLI).
#pragma once

#include <string_view>

#include "seccage/bpf.hpp"

namespace seccage::bpf {

// Reads until EOF (at most one instruction past the 4096 limit) and decodes.
// `name` is how errors refer to the input ("file f.bpf", "stdin").
Program read_raw_fd(int fd, std::string_view name);
// The CLI's FILE argument: "-" reads standard input, anything else a file.
Program read_raw_input(std::string_view file);

}  // namespace seccage::bpf
