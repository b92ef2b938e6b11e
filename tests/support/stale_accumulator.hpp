// libseccomp's stale-accumulator bug, found in its exported program. Shared
// by the differential test and the compat corpus test. Header-only: the
// compat tests do not link the rest of the test support.
#pragma once

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "seccage/bpf.hpp"

namespace seccage::test {

// libseccomp 2.5.4 saves loads by remembering which word the accumulator
// holds, but does not account for the fall-through out of a deeper level, so
// a node after one can compare the wrong argument word (its own tree says
// otherwise: export_pfc shows the intended logic). This finds, by a forward
// data-flow pass over the program, the instructions that read the
// accumulator while it may hold more than one word: where libseccomp's code
// does not implement its own tree, there is no semantics to follow.
inline std::vector<bool> ambiguous_accumulator(const bpf::Program& prog) {
  using Source = std::pair<std::int64_t, std::uint32_t>;  // loaded offset (-1: none), mask applied
  std::vector<std::set<Source>> in(prog.size() + 1);
  std::vector<bool> ambiguous(prog.size(), false);
  in[0].insert({-1, 0xffffffffu});
  for (std::size_t i = 0; i < prog.size(); ++i) {
    const bpf::Insn& insn = prog[i];
    const std::uint16_t cls = insn.code & 0x07;
    std::set<Source> out = in[i];
    if (cls == bpf::op::LD) {
      out = {{static_cast<std::int64_t>(insn.k), 0xffffffffu}};
    } else if (cls == bpf::op::ALU) {
      if (in[i].size() > 1) ambiguous[i] = true;
      std::set<Source> masked;
      for (const Source& src : in[i]) masked.insert({src.first, src.second & insn.k});
      out = masked;
    } else if (cls == bpf::op::JMP) {
      const std::uint16_t kind = insn.code & 0xf0;
      if (kind == bpf::op::JA) {
        in[i + 1 + insn.k].insert(out.begin(), out.end());
        continue;
      }
      if (in[i].size() > 1) ambiguous[i] = true;
      in[i + 1 + insn.jt].insert(out.begin(), out.end());
      in[i + 1 + insn.jf].insert(out.begin(), out.end());
      continue;
    } else if (cls == bpf::op::RET) {
      continue;
    }
    in[i + 1].insert(out.begin(), out.end());
  }
  return ambiguous;
}

}  // namespace seccage::test
