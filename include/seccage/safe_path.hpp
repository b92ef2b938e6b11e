// Opening the files seccage writes or reads for a sandboxed program without
// following a symlink someone else planted: a program run as nobody must not
// make a root seccage overwrite /etc/passwd by leaving a symlink where the
// next run's --report or --stdout will be. The rule is the kernel's
// protected_symlinks rule made strict: a symlink is followed only when it is
// owned by root or by seccage's own effective user, on every component of
// the path. The directory is resolved once, before the program starts, so
// swapping a directory during the run changes nothing.
#pragma once

#include <string>
#include <string_view>

#include "seccage/kernel.hpp"

namespace seccage {

// Opens `path` with `flags` (O_CLOEXEC is added; O_CREAT files get 0666 less
// the umask). Throws SystemError naming the path and the reason.
kernel::UniqueFd open_trusted(const std::string& path, int flags);

// A document written whole at the end of a run (the --report file), checked
// and pinned at the start: prepare() fails if it cannot be written; commit()
// writes it atomically (a temporary file in the pinned directory, renamed
// over the name), or straight into it when the path is a stream (a pipe, a
// terminal, /dev/stdout).
class PreparedOutput {
 public:
  static PreparedOutput prepare(const std::string& path);
  void commit(std::string_view content);  // throws SystemError

 private:
  std::string path_;            // as given, for messages
  std::string name_;            // the last component
  kernel::UniqueFd dir_;        // the directory, pinned (O_PATH)
  kernel::UniqueFd stream_;     // set when the path is not a regular file
  kernel::UniqueFd tmpfile_;    // an O_TMPFILE in dir_, where supported
};

}  // namespace seccage
