#include "seccage/stats.hpp"

#include <algorithm>
#include <cstdint>

#include <fmt/core.h>

namespace seccage {
namespace {

bool reads_args(std::uint16_t code, std::uint32_t k) {
  return code == (bpf::op::LD | bpf::op::W | bpf::op::ABS) && k >= bpf::kOffArgs;
}

// Longest path, in instructions executed, from each instruction to a return.
// Jumps only go forward, so one backward sweep settles every instruction.
std::vector<std::size_t> longest_from(const bpf::Program& p) {
  std::vector<std::size_t> longest(p.size(), 1);
  for (std::size_t i = p.size(); i-- > 0;) {
    const bpf::Insn& insn = p[i];
    const auto cls = insn.code & 0x07;
    if (cls == bpf::op::RET) continue;
    std::size_t next = 0;
    if (cls == bpf::op::JMP) {
      if ((insn.code & 0xf0) == bpf::op::JA) {
        next = longest[i + 1 + insn.k];
      } else {
        next = std::max(longest[i + 1 + insn.jt], longest[i + 1 + insn.jf]);
      }
    } else {
      next = longest[i + 1];
    }
    longest[i] = 1 + next;
  }
  return longest;
}

}  // namespace

ProgramStats measure_program(const bpf::Program& program, std::span<const Arch> arches) {
  ProgramStats stats;
  stats.length = program.size();
  const std::vector<std::size_t> longest = longest_from(program);
  for (Arch arch : arches) {
    const ArchInfo& info = arch_info(arch);
    ArchStats s;
    s.arch = arch;
    s.min_executed = SIZE_MAX;
    double total = 0;
    for (const SyscallEntry& e : syscall_table(arch)) {
      bpf::SeccompData data;
      data.arch = info.audit_arch;
      data.nr = static_cast<std::int32_t>(e.nr);
      const bpf::EmuResult r = bpf::emulate(program, data, info.little_endian);
      ++s.syscalls;
      total += static_cast<double>(r.executed);
      s.min_executed = std::min(s.min_executed, r.executed);
      if (!r.read_args) s.max_executed = std::max(s.max_executed, r.executed);
      if (r.read_args) {
        ++s.arg_checked;
        // The path up to the first argument load, then the longest way on.
        for (std::size_t i = 0; i < r.path.size(); ++i) {
          const bpf::Insn& insn = program[r.path[i]];
          if (reads_args(insn.code, insn.k)) {
            s.max_arg_checked = std::max(s.max_arg_checked, i + longest[r.path[i]]);
            break;
          }
        }
      } else if (r.action == Action::allow()) {
        ++s.allowed;
        if (r.cacheable) ++s.allowed_cacheable;
      }
    }
    if (s.syscalls == 0) s.min_executed = 0;
    s.mean_executed = s.syscalls ? total / static_cast<double>(s.syscalls) : 0;
    stats.arches.push_back(s);
  }
  return stats;
}

std::string ProgramStats::to_text() const {
  std::string out = fmt::format("program: {} instructions\n", length);
  out += fmt::format("{:<10} {:>8} {:>5} {:>6} {:>5} {:>9} {:>8} {:>10}\n", "arch", "syscalls", "min", "mean", "max",
                     "max(args)", "allowed", "cacheable");
  for (const ArchStats& s : arches) {
    out += fmt::format("{:<10} {:>8} {:>5} {:>6.2f} {:>5} {:>9} {:>8} {:>10}\n", arch_name(s.arch), s.syscalls,
                       s.min_executed, s.mean_executed, s.max_executed, s.max_arg_checked, s.allowed,
                       s.allowed_cacheable);
  }
  return out;
}

}  // namespace seccage
