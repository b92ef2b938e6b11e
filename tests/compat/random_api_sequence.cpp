#include "random_api_sequence.hpp"

#include <dlfcn.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <random>
#include <stdexcept>

namespace seccage::compat_test::fuzz {

// ---------------------------------------------------------------------------
// The libraries.

namespace {
template <typename F>
void bind(void* handle, F& f, const char* name, bool required) {
  f = reinterpret_cast<F>(::dlsym(handle, name));
  if (f == nullptr && required) throw std::runtime_error(fmt::format("the library lacks {}", name));
}
}  // namespace

Api::Api(const char* path, int extra_flags) {
  handle = ::dlopen(path, RTLD_NOW | RTLD_LOCAL | extra_flags);
  if (handle == nullptr) throw std::runtime_error(::dlerror());
  bind(handle, init, "seccomp_init", true);
  bind(handle, reset, "seccomp_reset", true);
  bind(handle, release, "seccomp_release", true);
  bind(handle, merge, "seccomp_merge", true);
  bind(handle, arch_add, "seccomp_arch_add", true);
  bind(handle, arch_remove, "seccomp_arch_remove", true);
  bind(handle, arch_exist, "seccomp_arch_exist", true);
  bind(handle, rule_add_array, "seccomp_rule_add_array", true);
  bind(handle, rule_add_exact_array, "seccomp_rule_add_exact_array", true);
  bind(handle, resolve_name, "seccomp_syscall_resolve_name", true);
  bind(handle, resolve_name_arch, "seccomp_syscall_resolve_name_arch", true);
  bind(handle, attr_get, "seccomp_attr_get", true);
  bind(handle, attr_set, "seccomp_attr_set", true);
  bind(handle, priority, "seccomp_syscall_priority", true);
  bind(handle, export_bpf, "seccomp_export_bpf", true);
  bind(handle, resolve_num_arch, "seccomp_syscall_resolve_num_arch", true);
  bind(handle, transaction_start, "seccomp_transaction_start", false);
  bind(handle, transaction_reject, "seccomp_transaction_reject", false);
  bind(handle, transaction_commit, "seccomp_transaction_commit", false);
  bind(handle, precompute, "seccomp_precompute", false);
}

// libseccomp calls its own exported functions through its PLT
// (seccomp_syscall_resolve_name calls seccomp_syscall_resolve_name_arch):
// in this test binary, which links the drop-in, those calls would land in
// the drop-in. RTLD_DEEPBIND makes libseccomp use its own definitions first.
const Api& libseccomp() {
  static const Api api(COMPAT_LIBSECCOMP_SO, RTLD_DEEPBIND);
  return api;
}

// The drop-in is linked with -Bsymbolic: its calls stay inside it.
// SECCAGE_COMPAT_FUZZ_DROPIN=PATH tries another build of it.
const Api& dropin() {
  static const char* other = std::getenv("SECCAGE_COMPAT_FUZZ_DROPIN");
  static const Api api(other != nullptr && *other != 0 ? other : COMPAT_DROPIN_SO, 0);
  return api;
}

bool knows_number(const Api& api, int nr) {
  char* name = api.resolve_num_arch(0 /* SCMP_ARCH_NATIVE */, nr);
  std::free(name);
  return name != nullptr;
}

Features common_features() {
  Features f;
  const Api& a = libseccomp();
  const Api& b = dropin();
  f.transactions = a.transaction_start && b.transaction_start && a.transaction_commit && b.transaction_commit &&
                   a.transaction_reject && b.transaction_reject;
  f.precompute = a.precompute && b.precompute;
  return f;
}

// ---------------------------------------------------------------------------
// Running a sequence on one library.

std::string Outcome::to_string() const { return fmt::format("rc {} value {:#x} resolved {}", rc, value, resolved); }

Session::Session(const Api& api) : api_(api) { memfd_ = ::memfd_create("seccage-compat-fuzz", MFD_CLOEXEC); }

Session::~Session() {
  for (Ctx c : ctx_) {
    if (c) api_.release(c);
  }
  if (memfd_ >= 0) ::close(memfd_);
}

int Session::resolve(const Syscall& sys) const {
  switch (sys.how) {
    case Syscall::Native: return api_.resolve_name(sys.name.c_str());
    case Syscall::ForArch: return api_.resolve_name_arch(sys.arch, sys.name.c_str());
    case Syscall::Raw: break;
  }
  return sys.nr;
}

namespace {

// An exported program. libseccomp writes a big-endian arch's program (s390x)
// in that byte order (docs/compat.md): its first instruction, A = arch
// (code 0x20), then reads as code 0x2000, and every field is swapped back.
bpf::Program read_export(int fd, bool& big_endian) {
  std::vector<std::byte> bytes;
  ::lseek(fd, 0, SEEK_SET);
  std::byte buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) bytes.insert(bytes.end(), buf, buf + n);
  big_endian = bytes.size() >= 2 && bytes[0] == std::byte{0x00} && bytes[1] == std::byte{0x20};
  if (big_endian) {
    for (std::size_t i = 0; i + 8 <= bytes.size(); i += 8) {
      std::swap(bytes[i], bytes[i + 1]);                                      // code
      std::swap(bytes[i + 4], bytes[i + 7]);                                  // k
      std::swap(bytes[i + 5], bytes[i + 6]);
    }
  }
  return bpf::read_raw(bytes);
}

}  // namespace

// An op on a slot without a context is skipped in both libraries alike.
constexpr int kSkipped = -9999;

Outcome Session::apply(const Op& op, bpf::Program* program) {
  Outcome out;
  Ctx& ctx = ctx_[static_cast<std::size_t>(op.slot)];
  if (op.kind == Kind::Init) {
    if (ctx) api_.release(ctx);
    ctx = api_.init(op.value);
    out.rc = ctx != nullptr;
    return out;
  }
  if (op.kind == Kind::NullCtx) {
    std::uint32_t v = 0;
    const scmp_arg_cmp cmp{0, SCMP_CMP_EQ, 1, 0};
    switch (op.value) {
      // Not seccomp_arch_add/remove/exist(NULL, ...): libseccomp 2.5.4
      // dereferences the NULL context there and crashes (docs/compat.md).
      case 0: out.rc = api_.reset(nullptr, SCMP_ACT_ALLOW); break;
      case 1: out.rc = api_.rule_add_exact_array(nullptr, SCMP_ACT_ALLOW, 0, 0, nullptr); break;
      case 2: out.rc = api_.rule_add_array(nullptr, SCMP_ACT_ALLOW, 0, 1, &cmp); break;
      case 3: out.rc = api_.attr_get(nullptr, SCMP_FLTATR_CTL_NNP, &v); break;
      case 4: out.rc = api_.attr_set(nullptr, SCMP_FLTATR_CTL_NNP, 0); break;
      case 5: out.rc = api_.export_bpf(nullptr, memfd_); break;
      case 6: out.rc = api_.priority(nullptr, 0, 1); break;
      default: out.rc = ctx ? api_.merge(ctx, nullptr) : kSkipped; break;
    }
    return out;
  }
  if (ctx == nullptr) {
    out.rc = kSkipped;
    return out;
  }
  switch (op.kind) {
    case Kind::Reset: out.rc = api_.reset(ctx, op.value); break;
    case Kind::Release:
      api_.release(ctx);
      ctx = nullptr;
      break;
    case Kind::ArchAdd: out.rc = api_.arch_add(ctx, op.value); break;
    case Kind::ArchRemove: out.rc = api_.arch_remove(ctx, op.value); break;
    case Kind::ArchExist: out.rc = api_.arch_exist(ctx, op.value); break;
    case Kind::Rule: {
      out.resolved = resolve(op.sys);
      const auto add = op.exact ? api_.rule_add_exact_array : api_.rule_add_array;
      out.rc = add(ctx, op.value, out.resolved, static_cast<unsigned>(op.conds.size()),
                   op.conds.empty() ? nullptr : op.conds.data());
      break;
    }
    case Kind::AttrSet: out.rc = api_.attr_set(ctx, op.attr, op.value); break;
    case Kind::AttrGet: out.rc = api_.attr_get(ctx, op.attr, &out.value); break;
    case Kind::Priority: out.resolved = resolve(op.sys); out.rc = api_.priority(ctx, out.resolved, static_cast<std::uint8_t>(op.value)); break;
    case Kind::Merge: {
      Ctx& src = ctx_[static_cast<std::size_t>(op.other)];
      if (src == nullptr || op.other == op.slot) {
        out.rc = kSkipped;
        break;
      }
      out.rc = api_.merge(ctx, src);
      if (out.rc == 0) src = nullptr;  // merged into ctx and released
      break;
    }
    case Kind::Export:
      if (::ftruncate(memfd_, 0) != 0 || ::lseek(memfd_, 0, SEEK_SET) != 0) throw std::runtime_error("memfd");
      out.rc = api_.export_bpf(ctx, memfd_);
      if (out.rc == 0 && program) *program = read_export(memfd_, out.big_endian);
      break;
    case Kind::TxStart: out.rc = api_.transaction_start(ctx); break;
    case Kind::TxCommit: out.rc = api_.transaction_commit(ctx); break;
    case Kind::TxReject: api_.transaction_reject(ctx); break;
    case Kind::Precompute: out.rc = api_.precompute(ctx); break;
    case Kind::Init:
    case Kind::NullCtx: break;
  }
  return out;
}

bool same_outcome(const Op& op, const Outcome& libseccomp, const Outcome& dropin) {
  // SCMP_FLTATR_CTL_WAITKILL is 2.6's: 2.5.4 does not know the attribute.
  if ((op.kind == Kind::AttrSet || op.kind == Kind::AttrGet) && op.attr == SCMP_FLTATR_CTL_WAITKILL) return true;
  if (libseccomp.rc != dropin.rc || libseccomp.resolved != dropin.resolved) return false;
  return op.kind != Kind::AttrGet || libseccomp.rc != 0 || libseccomp.value == dropin.value;
}

// ---------------------------------------------------------------------------
// The generator.

namespace {

class Gen {
 public:
  explicit Gen(unsigned seed) : rng_(seed) {}
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(rng_() % n); }
  bool chance(unsigned percent) { return below(100) < percent; }
  template <typename T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  std::mt19937_64 rng_;
};

constexpr std::uint32_t kArchX86_64 = SCMP_ARCH_X86_64, kArchX86 = SCMP_ARCH_X86, kArchX32 = SCMP_ARCH_X32,
                        kArchAarch64 = SCMP_ARCH_AARCH64;

// Actions: the common ones often (conflicts need repeats), every kind and
// invalid values now and then.
std::uint32_t action(Gen& g) {
  static const std::uint32_t common[] = {SCMP_ACT_ALLOW, SCMP_ACT_KILL, SCMP_ACT_ERRNO(1), SCMP_ACT_ERRNO(2),
                                         SCMP_ACT_TRAP, SCMP_ACT_LOG, SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRACE(1)};
  static const std::uint32_t rare[] = {SCMP_ACT_ERRNO(0), SCMP_ACT_ERRNO(4094), SCMP_ACT_ERRNO(4095),
                                       SCMP_ACT_ERRNO(0xffff), SCMP_ACT_TRACE(0), SCMP_ACT_TRACE(0xffff),
                                       SCMP_ACT_NOTIFY, 0x00010000u, SCMP_ACT_TRAP | 1, SCMP_ACT_NOTIFY | 1,
                                       SCMP_ACT_KILL_PROCESS | 1, 1u, SCMP_ACT_LOG | 1, SCMP_ACT_ALLOW | 1,
                                       0x12345678u, 0xffffffffu, 0x7ffe0000u};
  return g.chance(88) ? g.pick(common) : g.pick(rare);
}

std::uint32_t arch_token(Gen& g) {
  static const std::uint32_t common[] = {kArchX86_64, kArchX86, kArchX32, 0 /* native */};
  static const std::uint32_t rare[] = {kArchAarch64, SCMP_ARCH_ARM, SCMP_ARCH_S390X, 0x12345u};
  return g.chance(85) ? g.pick(common) : g.pick(rare);
}

std::uint64_t datum(Gen& g) {
  static const std::uint64_t values[] = {0, 1, 2, 3, 5, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000,
                                         0x100000001, 0xffffffff00000000, 0xfffffffffffffffe,
                                         0xffffffffffffffff, 0xffffff9c, 0xffffffffffffff9c};
  return g.chance(85) ? g.pick(values) : g.below(0x10000);
}

std::vector<scmp_arg_cmp> conditions(Gen& g) {
  static const unsigned counts[] = {0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 7};
  const unsigned n = g.pick(counts);
  std::vector<scmp_arg_cmp> out;
  for (unsigned i = 0; i < n; ++i) {
    scmp_arg_cmp c{};
    // Mostly distinct low arguments (a0..a2 meet in conflicts), sometimes
    // a repeat (-EINVAL) or an index past a5.
    c.arg = g.chance(4) ? g.pick({6u, 7u, 100u}) : (g.chance(70) ? g.below(3) : g.below(6));
    if (!g.chance(8)) {
      bool used = true;
      for (int tries = 0; used && tries < 8; ++tries) {
        used = false;
        for (const scmp_arg_cmp& o : out) used = used || o.arg == c.arg;
        if (used) c.arg = g.below(6);
      }
    }
    const int op = g.chance(4) ? static_cast<int>(g.pick({0u, 8u, 100u})) : 1 + static_cast<int>(g.below(7));
    c.op = static_cast<scmp_compare>(op);
    c.datum_a = datum(g);
    c.datum_b = op == SCMP_CMP_MASKED_EQ || g.chance(5) ? datum(g) : 0;
    out.push_back(c);
  }
  return out;
}

Syscall syscall(Gen& g) {
  static const char* const names[] = {"read", "write", "close", "dup", "dup3", "mmap", "kill", "clone",
                                      "openat", "getpid", "socket", "connect", "accept4", "semop", "shmget",
                                      "ipc", "socketcall", "mmap2", "arch_prctl", "fstat", "_llseek",
                                      "personality", "time", "uname", "recvmmsg", "no_such_call"};
  static const std::uint32_t arches[] = {kArchX86, kArchX32, kArchAarch64, kArchX86_64};
  static const int numbers[] = {0, 1, 2, 3, 41, 59, 231, 334, 424, 450, 460, 511, 512, 547, 1000,
                                0x40000001, 0x40000029, -1, -1, -2, -50, -99, -100, -101, -102, -117,
                                -10001, -10029, -10200, -200, -20000, INT_MIN};
  Syscall s;
  const std::uint32_t r = g.below(100);
  if (r < 55) {
    s.how = Syscall::Native;
    s.name = g.pick(names);
  } else if (r < 70) {
    s.how = Syscall::ForArch;
    s.arch = g.pick(arches);
    s.name = g.pick(names);
  } else {
    s.how = Syscall::Raw;
    s.nr = g.pick(numbers);
  }
  return s;
}

Op rule(Gen& g, int slot) {
  Op op;
  op.kind = Kind::Rule;
  op.slot = slot;
  op.value = action(g);
  op.exact = g.chance(15);
  op.sys = syscall(g);
  op.conds = conditions(g);
  return op;
}

Op attr_set(Gen& g, int slot) {
  Op op;
  op.kind = Kind::AttrSet;
  op.slot = slot;
  op.attr = g.chance(92) ? 1 + static_cast<int>(g.below(10)) : static_cast<int>(g.pick({0u, 11u, 50u}));
  if (op.attr == SCMP_FLTATR_ACT_BADARCH || op.attr == SCMP_FLTATR_ACT_DEFAULT) {
    op.value = action(g);
  } else {
    op.value = g.pick({0u, 1u, 1u, 2u, 3u, 0xffffffffu});
  }
  return op;
}

Op simple(Kind kind, int slot, std::uint32_t value = 0) {
  Op op;
  op.kind = kind;
  op.slot = slot;
  op.value = value;
  return op;
}

int other_slot(Gen& g, int slot) { return (slot + 1 + static_cast<int>(g.below(2))) % 3; }

Op step(Gen& g, const Features& f) {
  const int slot = g.chance(70) ? 0 : (g.chance(85) ? 1 : 2);
  Op op;
  op.slot = slot;
  const std::uint32_t r = g.below(100);
  if (r < 45) return rule(g, slot);
  if (r < 53) {
    op.kind = Kind::ArchAdd;
    op.value = arch_token(g);
  } else if (r < 58) {
    op.kind = Kind::ArchRemove;
    op.value = arch_token(g);
  } else if (r < 61) {
    op.kind = Kind::ArchExist;
    op.value = arch_token(g);
  } else if (r < 67) {
    op.kind = Kind::Export;
  } else if (r < 73) {
    return attr_set(g, slot);
  } else if (r < 76) {
    op.kind = Kind::AttrGet;
    op.attr = static_cast<int>(g.below(12));
  } else if (r < 79) {
    op.kind = Kind::Priority;
    op.sys = syscall(g);
    op.value = g.below(256);
  } else if (r < 84) {
    op.kind = Kind::Init;
    op.slot = slot == 0 ? 1 : slot;
    op.value = action(g);
  } else if (r < 86) {
    op.kind = Kind::Reset;
    op.value = action(g);
  } else if (r < 91) {
    op.kind = Kind::Merge;
    op.other = other_slot(g, slot);
  } else if (r < 92) {
    op.kind = Kind::Release;
    op.slot = slot == 0 ? 1 : slot;
  } else if (r < 93) {
    op.kind = Kind::NullCtx;
    op.value = g.below(8);
  } else if (f.transactions && r < 98) {
    op.kind = g.pick({Kind::TxStart, Kind::TxStart, Kind::TxCommit, Kind::TxReject});
  } else if (f.precompute) {
    op.kind = Kind::Precompute;
  } else {
    return rule(g, slot);
  }
  return op;
}

}  // namespace

std::vector<Op> generate(unsigned seed, const Features& features) {
  Gen g(seed);
  std::vector<Op> ops;
  Op init;
  init.kind = Kind::Init;
  init.value = action(g);
  ops.push_back(init);
  // A second filter of the same default action often, so that merges get
  // past the attribute check; with its own arches sometimes.
  if (g.chance(40)) {
    init.slot = 1;
    if (g.chance(70)) init.value = action(g);
    ops.push_back(init);
    if (g.chance(60)) {
      ops.push_back(simple(Kind::ArchRemove, 1, 0));
      ops.push_back(simple(Kind::ArchAdd, 1, g.chance(70) ? kArchX86 : kArchX32));
    }
  }
  const unsigned length = 3 + g.below(30);
  for (unsigned i = 0; i < length; ++i) ops.push_back(step(g, features));
  for (int slot = 0; slot < 3; ++slot) ops.push_back(simple(Kind::Export, slot));
  return ops;
}

// ---------------------------------------------------------------------------
// As C.

namespace {

std::string syscall_c(const Syscall& s) {
  switch (s.how) {
    case Syscall::Native: return fmt::format("seccomp_syscall_resolve_name(\"{}\")", s.name);
    case Syscall::ForArch: return fmt::format("seccomp_syscall_resolve_name_arch({:#x}, \"{}\")", s.arch, s.name);
    case Syscall::Raw: break;
  }
  return s.nr == INT_MIN ? "INT_MIN" : std::to_string(s.nr);
}

std::string conds_c(const std::vector<scmp_arg_cmp>& conds) {
  if (conds.empty()) return "0, NULL";
  std::string out = fmt::format("{}, (const struct scmp_arg_cmp[]){{", conds.size());
  for (std::size_t i = 0; i < conds.size(); ++i) {
    const scmp_arg_cmp& c = conds[i];
    out += fmt::format("{}{{{}, {}, {:#x}ULL, {:#x}ULL}}", i ? ", " : "", c.arg, static_cast<int>(c.op), c.datum_a,
                       c.datum_b);
  }
  return out + "}";
}

}  // namespace

std::string to_c(const Op& op, std::size_t index) {
  const std::string c = fmt::format("ctx[{}]", op.slot);
  const std::string guard = fmt::format("if ({}) ", c);
  switch (op.kind) {
    case Kind::Init:
      return fmt::format("if ({0}) seccomp_release({0}); {0} = seccomp_init({1:#x}); printf(\"%d: init = %d\\n\", __LINE__, {0} != NULL);",
                         c, op.value);
    case Kind::Reset: return guard + fmt::format("RC(seccomp_reset({}, {:#x}));", c, op.value);
    case Kind::Release: return guard + fmt::format("{{ seccomp_release({0}); {0} = NULL; }}", c);
    case Kind::ArchAdd: return guard + fmt::format("RC(seccomp_arch_add({}, {:#x}));", c, op.value);
    case Kind::ArchRemove: return guard + fmt::format("RC(seccomp_arch_remove({}, {:#x}));", c, op.value);
    case Kind::ArchExist: return guard + fmt::format("RC(seccomp_arch_exist({}, {:#x}));", c, op.value);
    case Kind::Rule:
      return guard + fmt::format("RC(seccomp_rule_add{}_array({}, {:#x}, {}, {}));", op.exact ? "_exact" : "", c,
                                 op.value, syscall_c(op.sys), conds_c(op.conds));
    case Kind::AttrSet: return guard + fmt::format("RC(seccomp_attr_set({}, {}, {:#x}));", c, op.attr, op.value);
    case Kind::AttrGet:
      return guard + fmt::format(
                         "{{ uint32_t v = 0; int rc = seccomp_attr_get({}, {}, &v); printf(\"%d: attr_get = %d %#x\\n\", "
                         "__LINE__, rc, rc == 0 ? v : 0); }}",
                         c, op.attr);
    case Kind::Priority:
      return guard + fmt::format("RC(seccomp_syscall_priority({}, {}, {}));", c, syscall_c(op.sys), op.value);
    case Kind::Merge:
      return fmt::format(
          "if ({0} && {1}) {{ int rc = seccomp_merge({0}, {1}); printf(\"%d: merge = %d\\n\", __LINE__, rc); if (rc == 0) "
          "{1} = NULL; }}",
          c, fmt::format("ctx[{}]", op.other));
    case Kind::Export: return guard + fmt::format("corpus_dump({}, \"e{}_ctx{}\");", c, index, op.slot);
    case Kind::TxStart: return guard + fmt::format("RC(seccomp_transaction_start({}));", c);
    case Kind::TxCommit: return guard + fmt::format("RC(seccomp_transaction_commit({}));", c);
    case Kind::TxReject: return guard + fmt::format("seccomp_transaction_reject({});", c);
    case Kind::Precompute: return guard + fmt::format("RC(seccomp_precompute({}));", c);
    case Kind::NullCtx: {
      static const char* const calls[] = {
          "seccomp_reset(NULL, SCMP_ACT_ALLOW)", "seccomp_rule_add_exact(NULL, SCMP_ACT_ALLOW, 0, 0)",
          "seccomp_rule_add(NULL, SCMP_ACT_ALLOW, 0, 1, SCMP_A0(SCMP_CMP_EQ, 1))",
          "seccomp_attr_get(NULL, SCMP_FLTATR_CTL_NNP, &(uint32_t){0})", "seccomp_attr_set(NULL, SCMP_FLTATR_CTL_NNP, 0)",
          "seccomp_export_bpf(NULL, 1)", "seccomp_syscall_priority(NULL, 0, 1)", "seccomp_merge(ctx[0], NULL)"};
      const std::string call = calls[op.value % 8];
      return (op.value % 8 == 7 ? std::string("if (ctx[0]) ") : std::string()) + "RC(" + call + ");";
    }
  }
  return "";
}

std::string to_c_program(const std::vector<Op>& ops, unsigned seed) {
  std::string out = fmt::format(
      "/* Found by tests/compat/random_api_differential_test.cpp, seed {}. */\n#include <limits.h>\n#include "
      "\"corpus.h\"\n\nint main(int argc, char **argv) {{\n  scmp_filter_ctx ctx[3] = {{NULL, NULL, NULL}};\n  "
      "corpus_init(argc, argv);\n",
      seed);
  for (std::size_t i = 0; i < ops.size(); ++i) out += "  " + to_c(ops[i], i) + "\n";
  return out + "  return 0;\n}\n";
}

}  // namespace seccage::compat_test::fuzz
