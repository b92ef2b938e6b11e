#include "live_process.hpp"

#include <fmt/core.h>

#include "seccage/error.hpp"
#include "seccage/kernel.hpp"

namespace seccage::cli {

std::vector<bpf::Program> process_filter_programs(int pid) {
  if (pid <= 0) throw InputError(fmt::format("--pid {}: expected a process id", pid));
  std::vector<bpf::Program> out;
  for (kernel::LiveFilter& f : kernel::read_process_filters(pid)) out.push_back(std::move(f.program));
  if (out.empty()) throw InputError(fmt::format("pid {} has no seccomp filter: every call is allowed", pid));
  return out;
}

}  // namespace seccage::cli
