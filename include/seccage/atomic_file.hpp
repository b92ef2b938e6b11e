// Writing an output file all at once: a failure never leaves a half-written
// file at the path, and a reader never sees one.
#pragma once

#include <filesystem>
#include <string_view>

namespace seccage {

// Writes `content` to a temporary file beside `path`, flushes it, and renames
// it over `path`. Throws SystemError naming the file on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace seccage
