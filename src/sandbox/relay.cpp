#include "sandbox/relay.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <limits.h>

#include <algorithm>
#include <cerrno>

#include <fmt/core.h>

namespace seccage::sandbox {

OutputRelay::OutputRelay(kernel::UniqueFd from, int to) : from_(std::move(from)), dest_(to) {
  struct stat st {};
  if (::fstat(to, &st) != 0) return;
  if (S_ISSOCK(st.st_mode)) {
    socket_ = true;  // send(MSG_DONTWAIT) never blocks, whatever the socket's flags
  } else if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
    // O_NONBLOCK on the inherited description would change it for everyone
    // who shares it (the shell, the next program in a pipeline); a second
    // description of the same pipe or terminal is ours alone.
    const std::string self = fmt::format("/proc/self/fd/{}", to);
    reopened_.reset(::open(self.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (reopened_) dest_ = reopened_.get();
    // Else (a user's seccage cannot reopen root's pipe): written only after
    // poll says there is room, a PIPE_BUF at a time, which never blocks.
    else chunked_ = true;
  }
  // A regular file's writes do not wait on a reader.
}

void OutputRelay::write_some() {
  while (!pending_.empty()) {
    const std::size_t size = chunked_ ? std::min<std::size_t>(pending_.size(), PIPE_BUF) : pending_.size();
    const ssize_t n = socket_ ? ::send(dest_, pending_.data(), size, MSG_DONTWAIT | MSG_NOSIGNAL)
                              : ::write(dest_, pending_.data(), size);
    if (n > 0) {
      pending_.erase(0, static_cast<std::size_t>(n));
      if (chunked_) return;  // one piece per poll
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    // The reader is gone (EPIPE: seccage ignores SIGPIPE) or the destination
    // failed: the program loses its reader, as it would outside.
    pending_.clear();
    close();
    return;
  }
}

std::uint64_t OutputRelay::pump(std::uint64_t budget) {
  char buf[65536];
  const ssize_t n = ::read(from_.get(), buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 0;
  if (n <= 0) {
    close();  // every writer is gone
    return 0;
  }
  const std::uint64_t forwarded = std::min<std::uint64_t>(static_cast<std::uint64_t>(n), budget);
  pending_.append(buf, static_cast<std::size_t>(forwarded));
  if (!chunked_) write_some();  // else once poll says there is room
  return static_cast<std::uint64_t>(n);
}

void OutputRelay::flush() { write_some(); }

}  // namespace seccage::sandbox
