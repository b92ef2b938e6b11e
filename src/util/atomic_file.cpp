#include "seccage/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seccage/error.hpp"

namespace seccage {

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
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
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write");
    }
    done += static_cast<std::size_t>(n);
  }
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
