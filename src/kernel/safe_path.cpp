#include "seccage/safe_path.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <algorithm>
#include <optional>
#include <random>
#include <vector>

#include <fmt/core.h>

#include "seccage/error.hpp"

namespace seccage {
namespace {

using kernel::UniqueFd;

bool trusted_owner(uid_t uid) { return uid == 0 || uid == ::geteuid(); }

constexpr int kMaxLinks = 40;  // as the kernel's own limit on followed links

[[noreturn]] void refuse_link(const std::string& path, std::string_view component, uid_t owner) {
  throw SystemError(fmt::format("'{}': refusing to follow the symlink '{}' owned by uid {} (only links owned by root "
                                "or by seccage's own user are followed; give the real path)",
                                path, component, owner),
                    ELOOP);
}

std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> parts;
  for (std::size_t at = 0; at <= path.size();) {
    std::size_t end = path.find('/', at);
    if (end == std::string::npos) end = path.size();
    if (end > at) parts.push_back(path.substr(at, end - at));
    at = end + 1;
  }
  return parts;
}

UniqueFd open_base(bool absolute, const std::string& path) {
  UniqueFd dir(::open(absolute ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir) throw SystemError(fmt::format("'{}': cannot open its directory", path), errno);
  return dir;
}

struct Split {
  UniqueFd dir;       // O_PATH of the directory that holds the last component
  std::string name;   // the last component ("." when the path names a directory)
};

// If `name` in `dir` is a symlink: checks its owner and returns what it
// says, read from the link itself through a descriptor (a link's contents
// never change, so swapping the name afterwards changes nothing). nullopt
// when it is not a symlink (or does not exist).
std::optional<std::string> trusted_link_target(int dir, const std::string& name, const std::string& path) {
  UniqueFd link(::openat(dir, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (!link) return std::nullopt;
  struct stat st {};
  if (::fstat(link.get(), &st) != 0 || !S_ISLNK(st.st_mode)) return std::nullopt;
  if (!trusted_owner(st.st_uid)) refuse_link(path, name, st.st_uid);
  char target[4096];
  const ssize_t n = ::readlinkat(link.get(), "", target, sizeof target - 1);
  if (n <= 0) throw SystemError(fmt::format("'{}': cannot read the symlink '{}'", path, name), errno);
  return std::string(target, static_cast<std::size_t>(n));
}

// Walks `path` one component at a time through O_PATH|O_NOFOLLOW
// descriptors; a symlink is followed only when trusted, by walking what it
// says from the directory it is in. Every step holds the directory it came
// from, so no rename or swap during the walk can redirect it. With
// `resolve_last`, a symlink in the last place is resolved too.
Split resolve(const std::string& path, bool resolve_last) {
  if (path.empty()) throw SystemError("empty path", ENOENT);
  std::vector<std::string> todo = components(path);
  std::reverse(todo.begin(), todo.end());  // a stack: the next component last
  UniqueFd dir = open_base(path[0] == '/', path);
  if (todo.empty()) return {std::move(dir), "."};
  int links = 0;
  for (;;) {
    std::string part = std::move(todo.back());
    todo.pop_back();
    const bool last = todo.empty();
    if (part == "." && !last) continue;
    if (auto target = (last && !resolve_last) ? std::nullopt : trusted_link_target(dir.get(), part, path)) {
      if (++links > kMaxLinks) throw SystemError(fmt::format("'{}': too many symlinks", path), ELOOP);
      std::vector<std::string> more = components(*target);
      if (!target->empty() && (*target)[0] == '/') dir = open_base(true, path);
      if (more.empty()) more.push_back(".");
      for (auto it = more.rbegin(); it != more.rend(); ++it) todo.push_back(*it);
      continue;
    }
    if (last) return {std::move(dir), part};
    UniqueFd next(::openat(dir.get(), part.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!next) throw SystemError(fmt::format("'{}': cannot open the directory '{}'", path, part), errno);
    dir = std::move(next);
  }
}

// Opens the last component without following a symlink (O_NOFOLLOW: a link
// swapped in after resolve() makes the open fail, never follow).
UniqueFd open_in(const Split& s, const std::string& path, int flags) {
  // O_NONBLOCK for the open only: a FIFO with no reader must be an error,
  // not a seccage that waits for ever before the program starts.
  UniqueFd fd(::openat(s.dir.get(), s.name.c_str(), flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0666));
  if (!fd && errno == ENXIO)
    throw SystemError(fmt::format("cannot open '{}': it is a FIFO nobody reads", path), ENXIO);
  if (!fd && errno == ELOOP)
    throw SystemError(fmt::format("cannot open '{}': it became a symlink while seccage opened it", path), ELOOP);
  if (!fd) throw SystemError(fmt::format("cannot open '{}'", path), errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) && !trusted_owner(st.st_uid))
    throw SystemError(fmt::format("'{}': refusing a FIFO or socket owned by uid {} (another user could read or hold "
                                  "it; give a path of your own)", path, st.st_uid), EPERM);
  ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
  return fd;
}

std::string random_name(const std::string& base) {
  static std::random_device rd;
  return fmt::format(".{}.{:08x}{:08x}.tmp", base.substr(0, 64), rd(), rd());
}

void write_all(int fd, std::string_view content, const std::string& path) {
  for (std::size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw SystemError(fmt::format("cannot write '{}'", path), errno);
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

UniqueFd open_trusted(const std::string& path, int flags) { return open_in(resolve(path, true), path, flags); }

// /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: seccage's own
// descriptor, taken as it is (reopening it through /proc would need the
// pipe's or terminal's owner's permission, and starts a new description).
int own_descriptor(const std::string& path) {
  if (path == "/dev/stdout") return 1;
  if (path == "/dev/stderr") return 2;
  for (std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
        path.find_first_not_of("0123456789", prefix.size()) == std::string::npos)
      return std::atoi(path.c_str() + prefix.size());
  }
  return -1;
}

PreparedOutput PreparedOutput::prepare(const std::string& path) {
  PreparedOutput out;
  out.path_ = path;
  if (const int own = own_descriptor(path); own >= 0) {
    out.stream_.reset(::fcntl(own, F_DUPFD_CLOEXEC, 3));
    if (!out.stream_) throw SystemError(fmt::format("cannot write '{}'", path), errno);
    return out;
  }
  Split s = resolve(path, true);
  struct stat st {};
  if (::fstatat(s.dir.get(), s.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) throw SystemError(fmt::format("'{}' is a directory", path), EISDIR);
    // A stream (pipe, terminal, /dev/stdout): written as it is, not renamed over.
    out.stream_ = open_in(s, path, O_WRONLY);
    return out;
  }
  out.name_ = s.name;
  out.dir_ = std::move(s.dir);
  // Check now that the directory takes a file, so that a run never ends
  // with a report that cannot be written.
  out.tmpfile_.reset(::openat(out.dir_.get(), ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666));
  if (!out.tmpfile_) {
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
      throw SystemError(fmt::format("cannot write '{}'", path), errno);
    if (::faccessat(out.dir_.get(), ".", W_OK, AT_EACCESS) != 0)
      throw SystemError(fmt::format("cannot write '{}'", path), errno);
  }
  return out;
}

void PreparedOutput::commit(std::string_view content) {
  if (stream_) {
    write_all(stream_.get(), content, path_);
    return;
  }
  // A fresh name in the pinned directory, then a rename over the target: a
  // rename replaces a symlink planted at the name instead of following it.
  std::string tmp;
  UniqueFd fd;
  for (int attempt = 0; attempt < 16 && tmp.empty(); ++attempt) {
    const std::string candidate = random_name(name_);
    if (tmpfile_) {
      write_all(tmpfile_.get(), content, path_);
      const std::string self = fmt::format("/proc/self/fd/{}", tmpfile_.get());
      if (::linkat(AT_FDCWD, self.c_str(), dir_.get(), candidate.c_str(), AT_SYMLINK_FOLLOW) == 0) {
        tmp = candidate;
        fd = std::move(tmpfile_);
      } else if (errno != EEXIST) {
        throw SystemError(fmt::format("cannot write '{}'", path_), errno);
      } else {
        ::ftruncate(tmpfile_.get(), 0);
        ::lseek(tmpfile_.get(), 0, SEEK_SET);
      }
    } else {
      fd.reset(::openat(dir_.get(), candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666));
      if (fd) {
        tmp = candidate;
        write_all(fd.get(), content, path_);
      } else if (errno != EEXIST) {
        throw SystemError(fmt::format("cannot write '{}'", path_), errno);
      }
    }
  }
  if (tmp.empty()) throw SystemError(fmt::format("cannot write '{}': no free temporary name", path_), EEXIST);
  if (::fsync(fd.get()) != 0 || ::renameat(dir_.get(), tmp.c_str(), dir_.get(), name_.c_str()) != 0) {
    const int err = errno;
    ::unlinkat(dir_.get(), tmp.c_str(), 0);
    throw SystemError(fmt::format("cannot write '{}'", path_), err);
  }
}

}  // namespace seccage
