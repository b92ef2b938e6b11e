// libseccomp's own reading of a filter, from its PFC export: a second
// reference beside the BPF it generates.
//
// seccomp_export_pfc prints libseccomp's rule database (per arch, per
// syscall, the tree of 32-bit word comparisons) as nested if/else blocks,
// written straight from the database without going through BPF generation.
// Where libseccomp 2.5.4's BPF does not implement its own tree (it omits a
// load it believes redundant, or never loads nr; docs/semantics.md), the PFC
// still states what the tree means, so the differential test judges such
// paths against it instead of skipping them.
//
// Reading rules (what "libseccomp were right" means):
// - statements run in order; `action X;` ends the evaluation;
// - `if (C)` runs its body when C holds, else its `else` body if any; a body
//   that ends without an action continues after the `if`, so a deeper level
//   that matches nothing falls through to the next comparison of its parent
//   level, then to the next syscall, then to the arch's default action;
// - `$aN.hi32` / `$aN.lo32` are the halves of args[N]; `$aN` (arches
//   libseccomp treats as 32-bit, x32 included) is its low 32 bits;
// - x86_64 and x32 print the same `$arch` value. The PFC leaves out the ABI
//   split libseccomp's BPF makes there (docs/semantics.md, "The whole
//   filter"): an x86_64 section takes numbers below 0x40000000 and -1, an x32
//   section numbers from 0x40000000 up. The model applies that split.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace seccage::test {

class PfcModel {
 public:
  // Throws std::runtime_error naming the line for anything it does not
  // understand (a comparison printed as "???", an unknown statement), so the
  // test never judges by a half-read tree.
  explicit PfcModel(std::string_view pfc_text);
  ~PfcModel();
  PfcModel(PfcModel&&) noexcept;
  PfcModel& operator=(PfcModel&&) noexcept;

  // The filter's return value (SECCOMP_RET_*) for one syscall. Throws
  // std::runtime_error when the text's top level ends without an action.
  std::uint32_t evaluate(std::uint32_t audit_arch, std::uint32_t nr, const std::array<std::uint64_t, 6>& args) const;

  // Number of statements read (if and action), for tests of the model itself.
  std::size_t statement_count() const;

  struct Statement;

 private:
  std::unique_ptr<std::vector<Statement>> top_;
};

// The return value of a PFC action ("ALLOW", "ERRNO(5)", "KILL", "0x7fc00000");
// throws std::runtime_error for anything else.
std::uint32_t pfc_action_ret(std::string_view action);

}  // namespace seccage::test
