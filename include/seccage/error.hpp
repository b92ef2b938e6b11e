// Errors: every failure seccage reports is a seccage::Error whose message says
// what went wrong and where, written so it can be shown to a user as it is.
#pragma once

#include <stdexcept>
#include <string>

namespace seccage {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad input from a user or a file: a profile, a program, a name.
class InputError : public Error {
 public:
  using Error::Error;
};

// The kernel or the system refused something (seccomp(2), prctl, a probe).
class SystemError : public Error {
 public:
  SystemError(const std::string& what, int err);
  int error_number() const noexcept { return errno_; }

 private:
  int errno_;
};

}  // namespace seccage
