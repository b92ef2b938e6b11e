// Writing seccage's own messages and reports to stdout and stderr without
// hanging on a reader that never reads: a sandboxed program can fill the
// pipe both write to, and seccage must still end.
#pragma once

#include <chrono>
#include <string_view>

namespace seccage {

// Writes `text` to `fd`, waiting for room at most `budget` in all. A pipe
// or terminal is written in pieces no larger than PIPE_BUF after poll says
// there is room, so that no single write blocks. False when not all of it
// could be written (the rest is dropped), or the reader is gone.
bool write_bounded(int fd, std::string_view text, std::chrono::milliseconds budget);

}  // namespace seccage
