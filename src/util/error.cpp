#include "seccage/error.hpp"

#include <cstring>

namespace seccage {

SystemError::SystemError(const std::string& what, int err)
    : Error(what + ": " + std::strerror(err)), errno_(err) {}

}  // namespace seccage
