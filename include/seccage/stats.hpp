// What a program costs at run time, measured by emulation: how many
// instructions each syscall executes and how many the kernel's constant-action
// cache takes. Used by `seccage compile --stats` and the benchmarks, for
// seccage's programs and libseccomp's alike.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "seccage/arch.hpp"
#include "seccage/bpf.hpp"

namespace seccage {

struct ArchStats {
  Arch arch;
  std::size_t syscalls = 0;          // numbers in the arch's table
  std::size_t min_executed = 0;      // over those numbers, arguments all zero
  double mean_executed = 0;
  std::size_t max_executed = 0;      // over the numbers whose path reads no argument
  // Longest path through the program for syscalls whose outcome depends on
  // their arguments (an upper bound: every branch is taken as feasible).
  std::size_t max_arg_checked = 0;
  std::size_t arg_checked = 0;       // syscalls whose path reads an argument
  std::size_t allowed = 0;           // syscalls allowed whatever their arguments
  std::size_t allowed_cacheable = 0; // ...of which the kernel's cache can take
};

struct ProgramStats {
  std::size_t length = 0;
  std::vector<ArchStats> arches;
  std::string to_text() const;  // a table, one row per arch
};

ProgramStats measure_program(const bpf::Program& program, std::span<const Arch> arches);

}  // namespace seccage
