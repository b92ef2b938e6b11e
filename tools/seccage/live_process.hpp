// A running process's seccomp filters for the commands' --pid options
// (diff, emu, explain), read back from the kernel (kernel::read_process_filters).
#pragma once

#include <vector>

#include "seccage/bpf.hpp"

namespace seccage::cli {

// Newest first, the order the kernel runs them. InputError for a pid that is
// no process id, and for a process with no filter (every call allowed);
// SystemError when the kernel refuses the read.
std::vector<bpf::Program> process_filter_programs(int pid);

}  // namespace seccage::cli
