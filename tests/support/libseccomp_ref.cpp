#include "support/libseccomp_ref.hpp"

#include "support/child.hpp"

#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include <fmt/core.h>

namespace seccage::test {
namespace {

scmp_compare to_scmp(CmpOp op) {
  switch (op) {
    case CmpOp::EQ: return SCMP_CMP_EQ;
    case CmpOp::NE: return SCMP_CMP_NE;
    case CmpOp::LT: return SCMP_CMP_LT;
    case CmpOp::LE: return SCMP_CMP_LE;
    case CmpOp::GT: return SCMP_CMP_GT;
    case CmpOp::GE: return SCMP_CMP_GE;
    case CmpOp::MaskedEq: return SCMP_CMP_MASKED_EQ;
  }
  throw std::invalid_argument("unknown CmpOp");
}

// Reads everything written to a memfd by one of libseccomp's exporters.
template <typename Export>
std::string export_to_string(Export&& fn) {
  int fd = memfd_create("seccage-libseccomp-ref", MFD_CLOEXEC);
  if (fd < 0) throw std::runtime_error(fmt::format("memfd_create: {}", std::strerror(errno)));
  int rc = fn(fd);
  if (rc != 0) {
    close(fd);
    throw std::runtime_error(fmt::format("libseccomp export failed: {}", std::strerror(-rc)));
  }
  std::string out;
  char buf[4096];
  if (lseek(fd, 0, SEEK_SET) < 0) {
    close(fd);
    throw std::runtime_error("lseek on memfd failed");
  }
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  return out;
}

// A return value libseccomp can generate: a known action, with data only
// where the action carries data.
bool plausible_ret(std::uint32_t ret) {
  const std::uint32_t action = ret & 0xffff0000u, data = ret & 0xffffu;
  switch (action) {
    case 0x00030000u:  // TRAP
    case 0x00050000u:  // ERRNO
    case 0x7ff00000u:  // TRACE
      return true;
    case 0x80000000u:  // KILL_PROCESS
    case 0x00000000u:  // KILL_THREAD
    case 0x7fc00000u:  // USER_NOTIF
    case 0x7ffc0000u:  // LOG
    case 0x7fff0000u:  // ALLOW
      return data == 0;
    default:
      return false;
  }
}

}  // namespace

std::optional<std::uint32_t> scmp_arch(Arch arch) {
  switch (arch) {
    case Arch::x86_64: return SCMP_ARCH_X86_64;
    case Arch::x32: return SCMP_ARCH_X32;
    case Arch::i386: return SCMP_ARCH_X86;
    case Arch::aarch64: return SCMP_ARCH_AARCH64;
    case Arch::arm: return SCMP_ARCH_ARM;
    case Arch::riscv64: return SCMP_ARCH_RISCV64;
    case Arch::ppc64le: return SCMP_ARCH_PPC64LE;
    case Arch::ppc64: return SCMP_ARCH_PPC64;
    case Arch::ppc: return SCMP_ARCH_PPC;
    case Arch::s390x: return SCMP_ARCH_S390X;
    case Arch::s390: return SCMP_ARCH_S390;
    case Arch::mips: return SCMP_ARCH_MIPS;
    case Arch::mipsel: return SCMP_ARCH_MIPSEL;
    case Arch::mips64: return SCMP_ARCH_MIPS64;
    case Arch::mips64el: return SCMP_ARCH_MIPSEL64;
    case Arch::mips64n32: return SCMP_ARCH_MIPS64N32;
    case Arch::mipsel64n32: return SCMP_ARCH_MIPSEL64N32;
    case Arch::parisc: return SCMP_ARCH_PARISC;
    case Arch::parisc64: return SCMP_ARCH_PARISC64;
    default: return std::nullopt;
  }
}

bool libseccomp_agrees(Arch arch, std::string_view name) {
  auto token = scmp_arch(arch);
  if (!token) return false;
  std::string n(name);
  int theirs = seccomp_syscall_resolve_name_arch(*token, n.c_str());
  auto ours = syscall_number(arch, name);
  if (!ours) return theirs < 0;
  return theirs >= 0 && static_cast<std::uint32_t>(theirs) == *ours;
}

std::string RefusedByLibseccomp::to_string() const {
  return fmt::format("rule {}: libseccomp refused it ({})", rule, std::strerror(-error));
}

LibseccompFilter::LibseccompFilter(const Policy& policy, int optimize_level) {
  scmp_filter_ctx ctx = seccomp_init(policy.default_action.to_ret());
  if (ctx == nullptr) throw std::runtime_error("seccomp_init refused the default action");
  ctx_ = ctx;
  auto fail = [&](const std::string& what, int rc) {
    throw std::runtime_error(fmt::format("libseccomp: {}: {}", what, std::strerror(-rc)));
  };
  if (int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, policy.bad_arch_action.to_ret()); rc != 0)
    fail("bad-arch action", rc);
  if (int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, static_cast<std::uint32_t>(optimize_level)); rc != 0)
    fail("optimize level", rc);

  const std::vector<Arch> arches = policy.effective_arches();
  big_endian_ = !arch_info(arches.front()).little_endian;
  const bool only_native = arches.size() == 1 && arches[0] == native_arch();
  if (!policy.arches.empty()) {
    if (int rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE); rc != 0) fail("removing the native arch", rc);
    for (Arch a : arches) {
      auto token = scmp_arch(a);
      if (!token) throw std::invalid_argument(fmt::format("libseccomp 2.5.4 does not support {}", arch_name(a)));
      if (int rc = seccomp_arch_add(ctx, *token); rc != 0) fail(fmt::format("adding {}", arch_name(a)), rc);
    }
  }

  for (std::size_t i = 0; i < policy.rules.size(); ++i) {
    const Rule& rule = policy.rules[i];
    if (rule.action == policy.default_action) continue;
    int nr = 0;
    if (const auto* name = std::get_if<std::string>(&rule.syscall)) {
      nr = seccomp_syscall_resolve_name(name->c_str());
      if (nr == __NR_SCMP_ERROR) {
        refused_.push_back({static_cast<int>(i), -ENOENT});
        continue;
      }
    } else {
      if (!only_native)
        throw std::invalid_argument("a rule by number means the raw number only on the native arch in libseccomp");
      nr = static_cast<int>(std::get<std::uint32_t>(rule.syscall));
    }
    std::vector<scmp_arg_cmp> cmps;
    for (const Condition& c : rule.conditions) {
      scmp_arg_cmp cmp{};
      cmp.arg = c.arg;
      cmp.op = to_scmp(c.op);
      if (c.op == CmpOp::MaskedEq) {
        cmp.datum_a = c.mask;
        cmp.datum_b = c.value;
      } else {
        cmp.datum_a = c.value;
      }
      cmps.push_back(cmp);
    }
    int rc = seccomp_rule_add_array(ctx, rule.action.to_ret(), nr, static_cast<unsigned>(cmps.size()),
                                    cmps.empty() ? nullptr : cmps.data());
    if (rc != 0) refused_.push_back({static_cast<int>(i), rc});
  }
}

LibseccompFilter::~LibseccompFilter() { seccomp_release(static_cast<scmp_filter_ctx>(ctx_)); }

bpf::Program LibseccompFilter::export_bpf() const {
  std::string raw = export_to_string([&](int fd) { return seccomp_export_bpf(static_cast<scmp_filter_ctx>(ctx_), fd); });
  bpf::Program program = bpf::read_raw(std::as_bytes(std::span<const char>(raw.data(), raw.size())));
  // libseccomp writes the program in the byte order of the filter's arches,
  // ready for that machine; bring big-endian ones back to host order.
  if (big_endian_) {
    for (bpf::Insn& in : program) {
      in.code = __builtin_bswap16(in.code);
      in.k = __builtin_bswap32(in.k);
      // Exporting for a big-endian arch on a little-endian host, libseccomp
      // writes the return instructions it duplicates for jumps longer than
      // 255 in host order (a cross-endian-only slip: on a big-endian host
      // both orders agree). Undo it where only the other order is an action
      // libseccomp can emit.
      if ((in.code & 0x07) == bpf::op::RET && !plausible_ret(in.k) && plausible_ret(__builtin_bswap32(in.k)))
        in.k = __builtin_bswap32(in.k);
    }
  }
  return program;
}

std::string LibseccompFilter::export_pfc() const {
  return export_to_string([&](int fd) { return seccomp_export_pfc(static_cast<scmp_filter_ctx>(ctx_), fd); });
}

LibseccompProgram libseccomp_compile(const Policy& policy, int optimize_level) {
  LibseccompFilter filter(policy, optimize_level);
  return LibseccompProgram{filter.export_bpf(), filter.refused()};
}

GuardedLibseccomp libseccomp_compile_guarded(const Policy& policy, int optimize_level,
                                             std::chrono::milliseconds timeout) {
  // The child reports a tag byte: 'E' then an error message, or 'B' then
  // the refused count, (rule, error) pairs, the PFC's length and text, and
  // the program.
  ChildResult r = run_in_child(
      [&](int fd) {
        try {
          LibseccompFilter filter(policy, optimize_level);
          const bpf::Program program = filter.export_bpf();
          const std::string pfc = filter.export_pfc();
          write_value(fd, 'B');
          write_value(fd, static_cast<std::uint32_t>(filter.refused().size()));
          for (const auto& rf : filter.refused()) {
            write_value(fd, static_cast<std::int32_t>(rf.rule));
            write_value(fd, static_cast<std::int32_t>(rf.error));
          }
          write_value(fd, static_cast<std::uint32_t>(pfc.size()));
          write_all(fd, pfc.data(), pfc.size());
          return write_all(fd, program.data(), program.size() * sizeof(bpf::Insn)) ? 0 : 1;
        } catch (const std::exception& e) {
          write_value(fd, 'E');
          write_all(fd, e.what(), std::strlen(e.what()));
          return 0;
        }
      },
      timeout);
  GuardedLibseccomp out;
  if (r.timed_out) {
    out.outcome = GuardedLibseccomp::Outcome::TimedOut;
    return out;
  }
  if (!r.ok() || r.output.empty()) {
    out.error = "the libseccomp child " + r.describe();
    return out;
  }
  if (r.output[0] == 'E') {
    out.error = r.output.substr(1);
    return out;
  }
  const std::string& o = r.output;
  std::size_t pos = 1;
  auto read_u32 = [&]() {
    std::uint32_t v = 0;
    if (pos + 4 > o.size()) throw std::runtime_error("libseccomp child: short report");
    std::memcpy(&v, o.data() + pos, 4);
    pos += 4;
    return v;
  };
  const std::uint32_t n = read_u32();
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto rule = static_cast<std::int32_t>(read_u32());
    const auto error = static_cast<std::int32_t>(read_u32());
    out.result.refused.push_back({rule, error});
  }
  const std::uint32_t pfc_size = read_u32();
  if (pos + pfc_size > o.size()) throw std::runtime_error("libseccomp child: short report");
  out.pfc = o.substr(pos, pfc_size);
  pos += pfc_size;
  out.result.program = read_values<bpf::Insn>(o.substr(pos));
  out.outcome = GuardedLibseccomp::Outcome::Built;
  return out;
}

}  // namespace seccage::test
