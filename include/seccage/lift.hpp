// Reading a raw seccomp filter back as a policy: what every syscall of each
// arch the filter handles gets, with the argument conditions the program
// tests on the way. Works on any classic BPF filter (seccage's, libseccomp's,
// one read from a live process), by following every path of the program
// with the syscall number and arch fixed and the argument words unknown.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "seccage/bpf.hpp"
#include "seccage/policy.hpp"

namespace seccage {

struct LiftedFilter {
  // One policy when every arch decides alike by name (its `arches` lists
  // them all), else one per arch. Each compiles to a program that decides
  // as the filter does for its arches: lift_filter checked it with
  // diff_filters before returning.
  std::vector<Policy> policies;
  std::vector<Arch> arches;  // the arches the filter handles, in enum order
};

// `arches`: which arches to read (default: every arch whose AUDIT_ARCH value
// the program tests, x32 only when it decides x32's numbers apart from
// x86_64's). Throws InputError, naming the instruction or the syscall, when
// the program does what a policy cannot say: arithmetic other than a mask on
// an argument, a test of the instruction pointer, two argument words
// compared with each other, or a range of numbers outside the syscall table
// decided unlike the policy's default; or when the check finds a difference.
LiftedFilter lift_filter(const bpf::Program& program, const std::vector<Arch>& arches = {});

// The filters of a process together (newest first, as read_process_filters
// gives them): what the kernel decides running them all, the most severe
// action winning, the newer filter's on a tie.
LiftedFilter lift_filters(std::span<const bpf::Program> newest_first, const std::vector<Arch>& arches = {});

}  // namespace seccage
