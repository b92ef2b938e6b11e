// Learning a profile from a run (`seccage learn`, docs/learn.md): record
// every syscall a program and its descendants make, and the values of a few
// arguments that decide what a call can do; turn that into the smallest
// Policy that allows the run; merge policies learned from several runs; and
// turn a `seccage run` report into the additions a profile needs.
//
// The pieces are separate so that each is testable without running
// anything: Recording is the sandbox::CallRecorder the runner feeds, and
// build_profile(), merge_profiles() and additions_from_report() are pure.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "seccage/arch.hpp"
#include "seccage/bpf.hpp"
#include "seccage/policy.hpp"
#include "seccage/sandbox.hpp"

namespace seccage::learn {

// An argument whose value the learner records, reduced by `mask` (the bits
// that decide something: SOCK_NONBLOCK|SOCK_CLOEXEC are dropped from a
// socket type, only PROT_EXEC is kept of mmap's prot). Arguments the kernel
// reads as 32 bits have the upper word masked off too, so a value is
// compared as the kernel uses it.
struct CapturedArg {
  std::uint8_t index = 0;
  std::uint64_t mask = ~0ULL;
};

// The arguments recorded for a syscall, by name (at most two: socket's domain
// and type); empty for every other syscall. docs/learn.md lists them.
std::span<const CapturedArg> captured_args(Arch arch, std::string_view syscall);

// Distinct values (or value pairs) of a syscall's captured arguments that
// become alternatives; more than this and the syscall is allowed whatever
// its arguments, with a note saying so.
inline constexpr std::size_t kDefaultMaxValues = 16;

struct LearnOptions {
  std::size_t max_values = kDefaultMaxValues;
};

using ArgValues = std::array<std::uint64_t, 2>;  // the captured arguments' values, masked; unused ones 0

// What a run did with one syscall of one arch.
struct SyscallUse {
  Arch arch = Arch::x86_64;
  std::uint32_t nr = 0;     // as in seccomp_data (x32's bit 30 included)
  std::string name;         // empty when seccage's table has no name for it
  std::uint64_t count = 0;
  std::set<ArgValues> values;  // distinct captured values, when the syscall has captured arguments
  bool too_many_values = false;  // more than max_values were seen (the others were not kept)
  // Calls whose arguments were not all seen (a report keeps only some):
  // the syscall cannot be restricted by them.
  bool values_incomplete = false;
  int answered_errno = 0;  // the learner answered the calls with this errno (clone3: ENOSYS)
  friend bool operator==(const SyscallUse&, const SyscallUse&) = default;
};

// The arch a notification came from: by its audit arch, and for arches that
// share one (x86_64 and x32) by the number's offset. nullopt when unknown.
std::optional<Arch> arch_of_call(std::uint32_t audit_arch, std::uint32_t nr);

// The recorder the runner feeds (sandbox::RunOptions::recorder). Counts every
// call by (arch, number) and keeps the distinct values of captured
// arguments. clone3 is answered with ENOSYS: its flags are in memory, where
// no filter can read them, so the learned profile answers it with ENOSYS as
// Docker's does, and the C library falls back to clone, whose flags are
// recorded and checked.
class Recording final : public sandbox::CallRecorder {
 public:
  explicit Recording(LearnOptions options = {}) : options_(options) {}
  int record(std::uint32_t audit_arch, std::uint32_t nr, const std::array<std::uint64_t, 6>& args) override;
  // Records a call on a known arch (the program's own execve, which seccage's
  // launcher made before the recording began).
  void add(Arch arch, std::uint32_t nr, const std::array<std::uint64_t, 6>& args);
  // Sorted by arch (enum order), then name (unnamed last, by number).
  std::vector<SyscallUse> uses() const;
  std::uint64_t unknown_arch_calls() const { return unknown_arch_calls_; }

 private:
  struct Entry {
    SyscallUse use;
    std::span<const CapturedArg> captured;
  };
  Entry& entry(Arch arch, std::uint32_t audit_arch, std::uint32_t nr);
  void count(Entry& e, const std::array<std::uint64_t, 6>& args);

  LearnOptions options_;
  std::unordered_map<std::uint64_t, Entry> entries_;  // key: audit arch << 32 | nr
  std::uint64_t unknown_arch_calls_ = 0;
};

// A policy with what it could not say in rules: one note per syscall whose
// rule is wider or different than what was seen, and why.
struct LearnedProfile {
  Policy policy;
  std::map<std::string, std::string> notes;  // syscall name -> note
  std::vector<std::string> warnings;         // for the user, once
};

// The smallest policy allowing `uses`: default ERRNO(EPERM), ENOSYS for
// numbers newer than seccage's table, the arches seen (the native one first),
// one rule per syscall name, or per captured value where there are at most
// max_values of them; clone3 answered with ENOSYS. Rules are in a canonical
// order (name, then conditions), so the same uses give the same policy.
LearnedProfile build_profile(const std::vector<SyscallUse>& uses, const LearnOptions& options = {});

// The per-syscall counts as JSON: {"syscalls": [{"arch", "syscall", "nr",
// "count"}, ...]}, in the order of `uses`.
std::string counts_json(const std::vector<SyscallUse>& uses);

// Sorts rules canonically (by name, then by conditions) and drops duplicates.
void canonicalize(Policy& policy);

struct NamedPolicy {
  std::string name;  // the file, for messages
  Policy policy;
};

// The union of policies learned from several runs: every syscall any of
// them allows, their conditional rules joined; where they disagree on a
// syscall (an unconditional rule in one, conditions in another; different
// actions) the less restrictive wins, with a note. Throws InputError when the
// arches or default actions differ: such profiles were not learned for the
// same target, and no union of them is right for both.
LearnedProfile merge_profiles(const std::vector<NamedPolicy>& inputs);

// The calls a `seccage run` report (docs/run.md, --report) shows denied, as
// uses: from its violations and its summary. A syscall whose calls were not
// all kept one by one (the report's max-violations) is marked
// values_incomplete. Throws InputError for text that is not such a report.
std::vector<SyscallUse> uses_from_report(std::string_view report_json, std::vector<std::string>& warnings);

// `profile` with allow rules added for `uses` (build_profile's rules for
// them). An unconditional denying rule of the profile on such a syscall is
// dropped (in libseccomp's semantics it would win over a conditional allow),
// with a note.
LearnedProfile add_to_profile(const Policy& profile, const std::vector<SyscallUse>& uses,
                              const LearnOptions& options = {});

// One learning run: `options` runs as `seccage run` would run it (its policy,
// mode and recorder are replaced), with a Recording as the recorder. The
// program's own execve, which seccage's launcher makes before the recording
// begins, is added as one native execve: runc and crun make that call under
// the profile, so it must allow it.
struct LearnRun {
  sandbox::Report report;
  std::vector<SyscallUse> uses;       // empty when the program did not start
  std::uint64_t unknown_arch_calls = 0;
};
LearnRun learn_run(sandbox::RunOptions options, const LearnOptions& learn_options = {});

// ---- Counts that make filters faster (`seccage compile --frequencies`) ----

struct RecordedCount {
  Arch arch = Arch::x86_64;
  std::uint32_t nr = 0;
  std::string syscall;
  std::uint64_t count = 0;
};
// Reads what counts_json() writes. Throws InputError for anything else.
std::vector<RecordedCount> parse_counts_json(std::string_view text);
// CompileOptions::frequency from the counts of `arches` (name -> calls).
std::map<std::string, double> frequencies_for(const std::vector<RecordedCount>& counts, std::span<const Arch> arches);
// The mean number of BPF instructions `program` executes per recorded call
// of `arches`: each call emulated with arguments zero, and a call the
// kernel's action cache answers (allowed, reading nothing but nr and arch)
// counted as 0, since the filter does not run for it.
double mean_instructions_per_call(const bpf::Program& program, const std::vector<RecordedCount>& counts,
                                  std::span<const Arch> arches);

enum class OutputFormat : std::uint8_t { Oci, Text, Spo };
// "oci", "text", "spo"; InputError otherwise.
OutputFormat parse_output_format(std::string_view text);

// The profile in `format`, with its notes as comments (OCI: each entry's
// "comment"; text and SPO: '#' lines at the top). `header` is a first
// comment line for text and SPO ("learned by seccage learn from: ...").
std::string write_profile(const LearnedProfile& profile, OutputFormat format, std::string_view header,
                          std::vector<std::string>* warnings = nullptr);

}  // namespace seccage::learn
