// The table behind syscall_arg_width() (policy.hpp), for its test and for
// `seccage check`.
#pragma once

#include <span>
#include <string_view>

#include "seccage/policy.hpp"

namespace seccage::detail {

struct ArgTypes {
  std::string_view name;
  std::string_view args;  // one letter per argument: i (int), u (unsigned int), . (64 bits)
};

std::span<const ArgTypes> arg_types_table();

}  // namespace seccage::detail
