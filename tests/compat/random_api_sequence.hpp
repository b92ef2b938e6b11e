// Random libseccomp API call sequences for the randomized differential test
// (random_api_differential_test.cpp): the calls, a generator from a seed,
// and a runner that applies a sequence to one library opened with dlopen.
#pragma once

#include <seccomp.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "seccage/bpf.hpp"

namespace seccage::compat_test::fuzz {

using Ctx = void*;

// The API of one library, through dlsym. The 2.6 functions are null when
// the library lacks them (Debian's 2.5.4).
struct Api {
  void* handle = nullptr;
  Ctx (*init)(std::uint32_t) = nullptr;
  int (*reset)(Ctx, std::uint32_t) = nullptr;
  void (*release)(Ctx) = nullptr;
  int (*merge)(Ctx, Ctx) = nullptr;
  int (*arch_add)(Ctx, std::uint32_t) = nullptr;
  int (*arch_remove)(Ctx, std::uint32_t) = nullptr;
  int (*arch_exist)(Ctx, std::uint32_t) = nullptr;
  int (*rule_add_array)(Ctx, std::uint32_t, int, unsigned, const scmp_arg_cmp*) = nullptr;
  int (*rule_add_exact_array)(Ctx, std::uint32_t, int, unsigned, const scmp_arg_cmp*) = nullptr;
  int (*resolve_name)(const char*) = nullptr;
  int (*resolve_name_arch)(std::uint32_t, const char*) = nullptr;
  int (*attr_get)(Ctx, int, std::uint32_t*) = nullptr;
  int (*attr_set)(Ctx, int, std::uint32_t) = nullptr;
  int (*priority)(Ctx, int, std::uint8_t) = nullptr;
  int (*export_bpf)(Ctx, int) = nullptr;
  char* (*resolve_num_arch)(std::uint32_t, int) = nullptr;
  // 2.6 only.
  int (*transaction_start)(Ctx) = nullptr;
  void (*transaction_reject)(Ctx) = nullptr;
  int (*transaction_commit)(Ctx) = nullptr;
  int (*precompute)(Ctx) = nullptr;

  Api(const char* path, int extra_flags);
};

// Debian's libseccomp.so.2 and the drop-in (libseccage-compat.so), opened once.
const Api& libseccomp();
const Api& dropin();

// Whether the library's table for the native arch names the number.
bool knows_number(const Api& api, int nr);

// What both libraries have: only those calls are generated.
struct Features {
  bool transactions = false;
  bool precompute = false;
};
Features common_features();

enum class Kind {
  Init,        // slot = seccomp_init(value)
  Reset,       // seccomp_reset(slot, value)
  Release,     // seccomp_release(slot)
  ArchAdd,     // seccomp_arch_add(slot, value)
  ArchRemove,
  ArchExist,
  Rule,        // seccomp_rule_add[_exact]_array(slot, value, syscall, conds)
  AttrSet,     // seccomp_attr_set(slot, attr, value)
  AttrGet,
  Priority,    // seccomp_syscall_priority(slot, syscall, value)
  Merge,       // seccomp_merge(slot, other): other is released on success
  Export,      // seccomp_export_bpf(slot, memfd)
  TxStart,
  TxCommit,
  TxReject,
  Precompute,
  NullCtx,     // the calls above on a NULL context
};

// A rule's syscall: a name resolved for the native arch or another one, or
// a number as it is.
struct Syscall {
  enum How { Native, ForArch, Raw } how = Raw;
  std::uint32_t arch = 0;
  std::string name;
  int nr = 0;
};

struct Op {
  Kind kind = Kind::Init;
  int slot = 0;
  int other = 0;
  std::uint32_t value = 0;  // action, arch token, attribute value or priority
  int attr = 0;
  bool exact = false;
  Syscall sys;
  std::vector<scmp_arg_cmp> conds;
};

struct Outcome {
  int rc = 0;
  std::uint32_t value = 0;   // attr_get's value
  int resolved = 0;          // the rule's syscall number as this library resolved it
  bool big_endian = false;   // an export written in big-endian order (libseccomp's, for s390x)
  std::string to_string() const;
};

// 0..2 live contexts and a memfd for exports, in one library.
class Session {
 public:
  explicit Session(const Api& api);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  // Applies the op; for a successful export, `program` receives the program.
  Outcome apply(const Op& op, bpf::Program* program);

 private:
  int resolve(const Syscall& sys) const;
  const Api& api_;
  std::array<Ctx, 3> ctx_{};
  int memfd_ = -1;
};

std::vector<Op> generate(unsigned seed, const Features& features);

// Whether two outcomes of the op are the same, leaving out what 2.5.4 cannot
// answer as 2.6 does (SCMP_FLTATR_CTL_WAITKILL).
bool same_outcome(const Op& op, const Outcome& libseccomp, const Outcome& dropin);

// The op as a C statement of a corpus program (corpus.h's RC and corpus_dump).
std::string to_c(const Op& op, std::size_t index);
std::string to_c_program(const std::vector<Op>& ops, unsigned seed);

}  // namespace seccage::compat_test::fuzz
