// Where things lie inside struct seccomp_data.
#include <fmt/core.h>

#include "seccage/bpf.hpp"
#include "seccage/error.hpp"

namespace seccage::bpf {
namespace {

constexpr unsigned kArgCount = 6;

void check_index(unsigned index) {
  if (index >= kArgCount) {
    throw InputError(fmt::format("argument index {} is out of range (seccomp_data has args[0]..args[5])", index));
  }
}

}  // namespace

// args[i] is a __u64 stored in the task's byte order, so which 32-bit half
// comes first in memory (and so sits at the lower offset) depends on the arch.
std::uint32_t arg_low_offset(unsigned index, bool little_endian) {
  check_index(index);
  return kOffArgs + 8 * index + (little_endian ? 0u : 4u);
}

std::uint32_t arg_high_offset(unsigned index, bool little_endian) {
  check_index(index);
  return kOffArgs + 8 * index + (little_endian ? 4u : 0u);
}

}  // namespace seccage::bpf
