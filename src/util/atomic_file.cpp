#include "seccage/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seccage/error.hpp"

namespace seccage {

namespace {

// Writes all of `content`; false with errno set when a write fails.
bool write_whole(int fd, std::string_view content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  // A device, FIFO or socket (/dev/null, /dev/stdout, a pipe) is written
  // through, never renamed over: as root, `-o /dev/null` would otherwise
  // replace the machine's /dev/null with a regular file.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) throw SystemError("file " + path.string() + ": is a directory", EISDIR);
    const int out = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (out < 0) throw SystemError("file " + path.string() + ": cannot open", errno);
    const bool written = write_whole(out, content);
    const int err = errno;
    if (::close(out) != 0 || !written) throw SystemError("file " + path.string() + ": cannot write", written ? errno : err);
    return;
  }
  // Same directory as the target: rename(2) is atomic only within one file system.
  std::string tmp = path.string() + ".tmp.XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw SystemError("file " + path.string() + ": cannot create a temporary file beside it", errno);
  auto fail = [&](const char* what) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    throw SystemError("file " + path.string() + ": " + what, err);
  };
  if (!write_whole(fd, content)) fail("cannot write");
  // mkstemp makes the file 0600; outputs are not secrets, so give the mode a
  // plain creat() would.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, 0666 & ~mask) != 0) fail("cannot set the mode");
  // Flush before the rename, or a crash can leave the name on an empty file.
  if (::fsync(fd) != 0) fail("cannot flush to disk");
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw SystemError("file " + path.string() + ": cannot write", err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw SystemError("file " + path.string() + ": cannot rename the temporary file into place", err);
  }
}

}  // namespace seccage
