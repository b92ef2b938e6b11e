// Copies the program's output from the pipe it writes to, to where it is
// meant to go, counting bytes for --output, without ever blocking seccage:
// a destination nobody reads (a full pipe, a stopped terminal) must not stop
// the wall-time limit or the supervisor. Bytes that do not fit wait in a
// buffer, and the pipe is not read while they wait, so the program blocks
// instead of seccage.
#pragma once

#include <cstdint>
#include <string>

#include "seccage/kernel.hpp"

namespace seccage::sandbox {

class OutputRelay {
 public:
  // `from`: the read end of the program's pipe (taken). `to`: the real
  // destination (borrowed: seccage's stdout, or an opened --stdout file).
  OutputRelay(kernel::UniqueFd from, int to);

  bool open() const { return from_.valid(); }
  int source() const { return from_.get(); }
  // What to poll: the source for reading when nothing waits, else the destination.
  bool waiting_to_write() const { return !pending_.empty(); }
  int destination() const { return dest_; }

  // The source is readable: reads once and forwards at most `budget` bytes
  // (the rest of the --output allowance; the excess is dropped). Returns
  // the bytes read: more than `budget` means the limit was crossed.
  std::uint64_t pump(std::uint64_t budget);
  // The destination can take more.
  void flush();
  // Stops reading: the program's next write gets EPIPE (or SIGPIPE), as it
  // would if its reader went away.
  void close() { from_.reset(); }

 private:
  void write_some();

  kernel::UniqueFd from_;
  kernel::UniqueFd reopened_;  // a non-blocking description of the destination, when one could be made
  int dest_ = -1;
  bool socket_ = false;
  bool chunked_ = false;  // a blocking pipe or terminal: PIPE_BUF per write, after poll
  std::string pending_;
};

}  // namespace seccage::sandbox
