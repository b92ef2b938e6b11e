// Reads a small file (a /proc entry, /etc/passwd) whole, with plain
// open/read: iostreams (locale, buffers) cost more than the read itself on
// the runner's start-up and end-of-run paths.
#pragma once

#include <optional>
#include <string>

namespace seccage {

// nullopt when the file cannot be opened; a read error ends the content early.
std::optional<std::string> read_small_file(const std::string& path);

}  // namespace seccage
