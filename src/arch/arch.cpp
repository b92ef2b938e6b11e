// Arch descriptions, name parsing and syscall lookup over the generated tables
// (syscall_tables.inc, made by scripts/gen-syscalls.py from shared/data).
#include "seccage/arch.hpp"

#include <linux/audit.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "seccage/error.hpp"
#include "seccage/integer.hpp"
#include "util/did_you_mean.hpp"

namespace seccage {
namespace detail {
#include "arch/syscall_tables.inc"
}  // namespace detail

namespace {

constexpr std::size_t kArchCount = static_cast<std::size_t>(Arch::sheb) + 1;
static_assert(detail::kTableCount == kArchCount,
              "syscall_tables.inc and enum class Arch disagree; rerun scripts/gen-syscalls.py");

constexpr std::size_t index_of(Arch a) { return static_cast<std::size_t>(a); }

// The tables are sorted by number, so the last entry is the highest one.
constexpr std::uint32_t max_nr_of(Arch a) { return detail::kTableNrs[index_of(a)].back(); }

// The name with id `id`, from the generated character blob.
std::string_view name_of(std::uint32_t id) {
  const std::uint16_t begin = detail::kNameStart[id];
  return {detail::kNameChars + begin, static_cast<std::size_t>(detail::kNameStart[id + 1] - begin - 1)};
}

// LoongArch's audit value arrived in Linux 5.19; older uapi headers lack it.
#ifndef AUDIT_ARCH_LOONGARCH64
#define AUDIT_ARCH_LOONGARCH64 (258 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE)
#endif

// is_64bit follows the ABI's long and pointer size, as libseccomp's arch size
// does: x32 and MIPS n32 run on 64-bit registers and their AUDIT_ARCH carries
// __AUDIT_ARCH_64BIT, but their longs and pointers are 32 bits.
// go_name is empty where Go has no GOARCH for the ABI (x32, PA-RISC, m68k, SuperH).
// clang-format off
constexpr std::array<ArchInfo, kArchCount> kArches{{
    {Arch::x86_64,      "x86_64",      "amd64",       "SCMP_ARCH_X86_64",      AUDIT_ARCH_X86_64,      true,  true,  0,              max_nr_of(Arch::x86_64)},
    {Arch::x32,         "x32",         "",            "SCMP_ARCH_X32",         AUDIT_ARCH_X86_64,      true,  false, kX32SyscallBit, max_nr_of(Arch::x32)},
    {Arch::i386,        "i386",        "386",         "SCMP_ARCH_X86",         AUDIT_ARCH_I386,        true,  false, 0,              max_nr_of(Arch::i386)},
    {Arch::aarch64,     "aarch64",     "arm64",       "SCMP_ARCH_AARCH64",     AUDIT_ARCH_AARCH64,     true,  true,  0,              max_nr_of(Arch::aarch64)},
    {Arch::arm,         "arm",         "arm",         "SCMP_ARCH_ARM",         AUDIT_ARCH_ARM,         true,  false, 0,              max_nr_of(Arch::arm)},
    {Arch::riscv64,     "riscv64",     "riscv64",     "SCMP_ARCH_RISCV64",     AUDIT_ARCH_RISCV64,     true,  true,  0,              max_nr_of(Arch::riscv64)},
    {Arch::ppc64le,     "ppc64le",     "ppc64le",     "SCMP_ARCH_PPC64LE",     AUDIT_ARCH_PPC64LE,     true,  true,  0,              max_nr_of(Arch::ppc64le)},
    {Arch::ppc64,       "ppc64",       "ppc64",       "SCMP_ARCH_PPC64",       AUDIT_ARCH_PPC64,       false, true,  0,              max_nr_of(Arch::ppc64)},
    {Arch::ppc,         "ppc",         "ppc",         "SCMP_ARCH_PPC",         AUDIT_ARCH_PPC,         false, false, 0,              max_nr_of(Arch::ppc)},
    {Arch::s390x,       "s390x",       "s390x",       "SCMP_ARCH_S390X",       AUDIT_ARCH_S390X,       false, true,  0,              max_nr_of(Arch::s390x)},
    {Arch::s390,        "s390",        "s390",        "SCMP_ARCH_S390",        AUDIT_ARCH_S390,        false, false, 0,              max_nr_of(Arch::s390)},
    {Arch::mips,        "mips",        "mips",        "SCMP_ARCH_MIPS",        AUDIT_ARCH_MIPS,        false, false, 4000,           max_nr_of(Arch::mips)},
    {Arch::mipsel,      "mipsel",      "mipsle",      "SCMP_ARCH_MIPSEL",      AUDIT_ARCH_MIPSEL,      true,  false, 4000,           max_nr_of(Arch::mipsel)},
    {Arch::mips64,      "mips64",      "mips64",      "SCMP_ARCH_MIPS64",      AUDIT_ARCH_MIPS64,      false, true,  5000,           max_nr_of(Arch::mips64)},
    {Arch::mips64el,    "mips64el",    "mips64le",    "SCMP_ARCH_MIPSEL64",    AUDIT_ARCH_MIPSEL64,    true,  true,  5000,           max_nr_of(Arch::mips64el)},
    {Arch::mips64n32,   "mips64n32",   "mips64p32",   "SCMP_ARCH_MIPS64N32",   AUDIT_ARCH_MIPS64N32,   false, false, 6000,           max_nr_of(Arch::mips64n32)},
    {Arch::mipsel64n32, "mipsel64n32", "mips64p32le", "SCMP_ARCH_MIPSEL64N32", AUDIT_ARCH_MIPSEL64N32, true,  false, 6000,           max_nr_of(Arch::mipsel64n32)},
    {Arch::loongarch64, "loongarch64", "loong64",     "SCMP_ARCH_LOONGARCH64", AUDIT_ARCH_LOONGARCH64, true,  true,  0,              max_nr_of(Arch::loongarch64)},
    {Arch::parisc,      "parisc",      "",            "SCMP_ARCH_PARISC",      AUDIT_ARCH_PARISC,      false, false, 0,              max_nr_of(Arch::parisc)},
    {Arch::parisc64,    "parisc64",    "",            "SCMP_ARCH_PARISC64",    AUDIT_ARCH_PARISC64,    false, true,  0,              max_nr_of(Arch::parisc64)},
    {Arch::m68k,        "m68k",        "",            "SCMP_ARCH_M68K",        AUDIT_ARCH_M68K,        false, false, 0,              max_nr_of(Arch::m68k)},
    {Arch::sh,          "sh",          "",            "SCMP_ARCH_SH",          AUDIT_ARCH_SHEL,        true,  false, 0,              max_nr_of(Arch::sh)},
    {Arch::sheb,        "sheb",        "",            "SCMP_ARCH_SHEB",        AUDIT_ARCH_SH,          false, false, 0,              max_nr_of(Arch::sheb)},
}};
// clang-format on

constexpr bool arches_in_enum_order() {
  for (std::size_t i = 0; i < kArches.size(); ++i) {
    if (index_of(kArches[i].arch) != i) return false;
  }
  return true;
}
static_assert(arches_in_enum_order(), "kArches must list every Arch in enum order");

// Spellings accepted besides the canonical, Go and OCI names: libseccomp's
// arch names (seccomp_arch_resolve_name), Debian/GNU triplet parts and uname -m.
struct Alias {
  std::string_view spelling;
  Arch arch;
};
constexpr Alias kAliases[] = {
    {"x86-64", Arch::x86_64},    {"x64", Arch::x86_64},         {"x86", Arch::i386},
    {"i486", Arch::i386},        {"i586", Arch::i386},          {"i686", Arch::i386},
    {"ia32", Arch::i386},        {"armhf", Arch::arm},          {"armel", Arch::arm},
    {"armv7l", Arch::arm},       {"ppc64el", Arch::ppc64le},    {"powerpc64le", Arch::ppc64le},
    {"powerpc64", Arch::ppc64},  {"powerpc", Arch::ppc},        {"mipsel64", Arch::mips64el},
    {"hppa", Arch::parisc},      {"hppa64", Arch::parisc64},    {"sh4", Arch::sh},
    {"shel", Arch::sh},          {"sh4eb", Arch::sheb},
};

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

// Every name of every arch gets one id, its position in all_syscall_names();
// per arch, a flat array maps id -> number. Name lookups sit on the
// compiler's hot path (every rule), so a lookup is one hash into an
// open-addressed table and one array read, with no allocation.

// A name as its length and its first and last 8 bytes, read with two loads
// (two overlapping 4-byte loads for 4 to 7 bytes, bytewise below). Together
// with the length these bytes cover the whole of a name of up to 16 bytes, so
// comparing keys settles those without a loop, and hashing them is two
// independent multiplies rather than FNV-1a's byte-by-byte chain: both were
// most of a lookup's time.
struct NameKey {
  std::uint64_t head = 0, tail = 0;
  std::size_t size = 0;

  explicit NameKey(std::string_view s) : size(s.size()) {
    if (size >= 8) {
      std::memcpy(&head, s.data(), 8);
      std::memcpy(&tail, s.data() + size - 8, 8);
    } else if (size >= 4) {
      std::uint32_t first, last;
      std::memcpy(&first, s.data(), 4);
      std::memcpy(&last, s.data() + size - 4, 4);
      head = first;
      tail = last;
    } else {
      for (std::size_t i = 0; i < size; ++i) head |= std::uint64_t{static_cast<unsigned char>(s[i])} << (8 * i);
    }
  }
  std::uint32_t hash() const {
    std::uint64_t h = (head * 0x9e3779b97f4a7c15ull) ^ (tail * 0xc2b2ae3d27d4eb4full) ^ (size * 0x165667b19e3779f9ull);
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    return static_cast<std::uint32_t>(h >> 32);
  }
  // Whether `s`, whose key this is, equals `other` with key `k`.
  bool same(const NameKey& k, std::string_view s, std::string_view other) const {
    if (head != k.head || tail != k.tail || size != k.size) return false;
    return size <= 16 || s.substr(8, size - 16) == other.substr(8, size - 16);
  }
};

// The generated name list (sorted, so a name's position is its id) with a
// hash table over it, built on first use: about 500 names, a few
// microseconds. Each arch's id -> number array is built the first time that
// arch is asked about, from the generated ids of its table's names, so a
// process that touches one arch pays for one.
class NameIndex {
 public:
  static constexpr std::uint32_t kEmpty = 0xffffffffu;
  NameIndex() {
    keys_.reserve(detail::kNameCount);
    std::size_t size = 1;
    while (size < detail::kNameCount * 4) size *= 2;  // load factor under 1/4: short probes
    slots_.assign(size, kEmpty);
    for (std::uint32_t id = 0; id < detail::kNameCount; ++id) {
      keys_.emplace_back(name_of(id));
      std::size_t s = keys_.back().hash() & (size - 1);
      while (slots_[s] != kEmpty) s = (s + 1) & (size - 1);
      slots_[s] = static_cast<std::uint32_t>(id);
    }
  }

  // kEmpty when unknown. (A plain integer: assembling a std::optional here
  // made GCC store it to the stack and reload it, a store-forwarding stall on
  // the compiler's hottest lookup.)
  std::uint32_t id_of(std::string_view name) const {
    const NameKey key(name);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t s = key.hash() & mask; slots_[s] != kEmpty; s = (s + 1) & mask) {
      const std::uint32_t id = slots_[s];
      if (keys_[id].same(key, name_of(id), name)) return id;
    }
    return kEmpty;
  }
  std::uint32_t number(Arch arch, std::uint32_t id) const { return numbers(arch)[id]; }
  // Built on the first call for that arch only (a filter's few arches, not
  // all 23: each array is a page or so that a short-lived process would
  // otherwise fault in). After that, one acquire load: std::call_once alone
  // costs a __tls_get_addr per call in a shared library, and this runs for
  // every rule a runtime adds.
  std::span<const std::uint32_t> numbers(Arch arch) const {
    const std::size_t i = index_of(arch);
    if (const std::uint32_t* ready = ready_[i].load(std::memory_order_acquire)) return {ready, detail::kNameCount};
    std::call_once(numbers_built_[i], [this, i] {
      numbers_[i].assign(detail::kNameCount, kNoSyscall);
      const auto nrs = detail::kTableNrs[i];
      const auto ids = detail::kTableIds[i];
      for (std::size_t k = 0; k < nrs.size(); ++k) numbers_[i][ids[k]] = nrs[k];
      ready_[i].store(numbers_[i].data(), std::memory_order_release);
    });
    return numbers_[i];
  }

 private:
  std::vector<NameKey> keys_;         // by id
  std::vector<std::uint32_t> slots_;  // name ids by hash
  mutable std::array<std::vector<std::uint32_t>, kArchCount> numbers_;
  mutable std::array<std::once_flag, kArchCount> numbers_built_;
  mutable std::array<std::atomic<const std::uint32_t*>, kArchCount> ready_{};  // numbers_[i].data() once built
};

const NameIndex& name_index() {
  static const NameIndex index;
  return index;
}

// Parses a syscall number written as the shared integer lexer reads it
// (decimal, 0x hex, 0b binary, octal); nullopt when `text` does not start
// with a digit (a name). Throws when it starts like a number but is not one,
// or does not fit seccomp_data.nr's 32 bits.
std::optional<std::uint32_t> parse_number(Arch arch, std::string_view text) {
  if (text.empty() || text[0] < '0' || text[0] > '9') return std::nullopt;
  const std::optional<std::uint64_t> value = parse_integer(text);
  if (value && *value > 0xffffffffu)
    throw InputError(fmt::format("syscall number '{}' on {} does not fit in 32 bits", text, arch_name(arch)));
  if (!value) {
    // Digits only (after a 0x prefix, hex digits): a number too long for 64 bits.
    const bool hex = text.size() > 2 && (text[1] == 'x' || text[1] == 'X');
    const std::string_view digits = hex ? text.substr(2) : text;
    const bool overflow = !digits.empty() && std::all_of(digits.begin(), digits.end(), [&](char c) {
      return hex ? std::isxdigit(static_cast<unsigned char>(c)) != 0 : (c >= '0' && c <= '9');
    });
    if (overflow)
      throw InputError(fmt::format("syscall number '{}' on {} does not fit in 32 bits", text, arch_name(arch)));
    throw InputError(fmt::format("'{}' on {} is neither a syscall name nor a number (decimal, 0x hex, 0b binary or "
                                 "octal)",
                                 text, arch_name(arch)));
  }
  return static_cast<std::uint32_t>(*value);
}

}  // namespace

std::span<const ArchInfo> all_arches() { return kArches; }

const ArchInfo& arch_info(Arch arch) { return kArches.at(index_of(arch)); }

std::string_view arch_name(Arch arch) { return arch_info(arch).name; }

std::optional<Arch> parse_arch(std::string_view name) {
  if (name.empty()) return std::nullopt;
  // SCMP_ARCH_NATIVE is libseccomp's and OCI's way of saying "this machine".
  if (iequals(name, "native") || iequals(name, kScmpArchNative)) return native_arch();
  for (const ArchInfo& info : kArches) {
    // Empty Go names mean "none"; the empty check above keeps them unmatched.
    if (iequals(name, info.name) || iequals(name, info.go_name) || iequals(name, info.oci_name)) return info.arch;
  }
  for (const Alias& alias : kAliases) {
    if (iequals(name, alias.spelling)) return alias.arch;
  }
  return std::nullopt;
}

std::string_view scmp_arch_name(Arch arch) { return arch_info(arch).oci_name; }

std::optional<Arch> arch_from_scmp_name(std::string_view name) {
  for (const ArchInfo& info : kArches)
    if (name == info.oci_name) return info.arch;
  return std::nullopt;
}

Arch parse_arch_or_throw(std::string_view name) {
  if (auto arch = parse_arch(name)) return *arch;
  std::vector<std::string_view> spellings;
  std::string canonical;
  for (const ArchInfo& info : kArches) {
    spellings.push_back(info.name);
    if (!info.go_name.empty()) spellings.push_back(info.go_name);
    canonical += canonical.empty() ? "" : ", ";
    canonical += info.name;
  }
  for (const Alias& alias : kAliases) spellings.push_back(alias.spelling);
  std::string hint;
  if (auto guess = did_you_mean(name, spellings)) hint = fmt::format(" (did you mean '{}'?)", *guess);
  throw InputError(fmt::format("unknown architecture '{}'{}; known: {} (Go names, SCMP_ARCH_* names and "
                               "common aliases such as amd64, arm64, x86 are accepted too)",
                               name, hint, canonical));
}

Arch native_arch() {
#if defined(__x86_64__) && defined(__ILP32__)
  return Arch::x32;
#elif defined(__x86_64__)
  return Arch::x86_64;
#elif defined(__i386__)
  return Arch::i386;
#elif defined(__aarch64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return Arch::aarch64;
#elif defined(__arm__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return Arch::arm;
#elif defined(__riscv) && __riscv_xlen == 64
  return Arch::riscv64;
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return Arch::ppc64le;
#elif defined(__powerpc64__)
  return Arch::ppc64;
#elif defined(__powerpc__)
  return Arch::ppc;
#elif defined(__s390x__)
  return Arch::s390x;
#elif defined(__s390__)
  return Arch::s390;
#elif defined(__mips__) && _MIPS_SIM == _ABIO32
  return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? Arch::mipsel : Arch::mips;
#elif defined(__mips__) && _MIPS_SIM == _ABI64
  return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? Arch::mips64el : Arch::mips64;
#elif defined(__mips__) && _MIPS_SIM == _ABIN32
  return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? Arch::mipsel64n32 : Arch::mips64n32;
#elif defined(__loongarch64)
  return Arch::loongarch64;
#elif defined(__hppa__) && defined(__LP64__)
  return Arch::parisc64;
#elif defined(__hppa__)
  return Arch::parisc;
#elif defined(__m68k__)
  return Arch::m68k;
#elif defined(__sh__)
  return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? Arch::sh : Arch::sheb;
#else
#error "seccage does not know this architecture's seccomp ABI; add it to include/seccage/arch.hpp"
#endif
}

bool shares_audit_arch(Arch a, Arch b) { return arch_info(a).audit_arch == arch_info(b).audit_arch; }

bool arch_owns_number(Arch arch, std::uint32_t nr) {
  if (arch == Arch::x86_64) return nr < kX32SyscallBit || nr == kNoSyscallNr;
  if (arch == Arch::x32) return nr >= kX32SyscallBit;
  return true;
}

std::optional<Arch> arch_of_call(std::uint32_t audit_arch, std::uint32_t nr) {
  // Enum order: -1, which both x86_64 and x32 own, is taken as x86_64's.
  for (const ArchInfo& info : all_arches())
    if (info.audit_arch == audit_arch && arch_owns_number(info.arch, nr)) return info.arch;
  return std::nullopt;
}

std::span<const SyscallEntry> syscall_table(Arch arch) {
  // Built on first use from the generated numbers and name ids (which hold
  // no pointers, see scripts/gen-syscalls.py).
  static std::array<std::vector<SyscallEntry>, kArchCount> tables;
  static std::array<std::once_flag, kArchCount> built;
  const std::size_t i = index_of(arch);
  std::call_once(built[i], [i] {
    const auto nrs = detail::kTableNrs[i];
    const auto ids = detail::kTableIds[i];
    tables[i].reserve(nrs.size());
    for (std::size_t k = 0; k < nrs.size(); ++k) tables[i].push_back({name_of(ids[k]), nrs[k]});
  });
  return tables[i];
}

std::optional<std::uint32_t> syscall_number(Arch arch, std::string_view name) {
  const NameIndex& index = name_index();
  const std::uint32_t id = index.id_of(name);
  if (id == NameIndex::kEmpty) return std::nullopt;
  const std::uint32_t nr = index.number(arch, id);
  if (nr == kNoSyscall) return std::nullopt;
  return nr;
}

std::uint32_t find_syscall_name_id(std::string_view name) {
  static_assert(NameIndex::kEmpty == kNoSyscall);
  return name_index().id_of(name);
}

std::span<const std::uint32_t> syscall_numbers_by_id(Arch arch) { return name_index().numbers(arch); }

std::optional<std::string_view> syscall_name(Arch arch, std::uint32_t nr) {
  const auto nrs = detail::kTableNrs[index_of(arch)];
  const auto it = std::lower_bound(nrs.begin(), nrs.end(), nr);
  if (it == nrs.end() || *it != nr) return std::nullopt;
  return name_of(detail::kTableIds[index_of(arch)][static_cast<std::size_t>(it - nrs.begin())]);
}

std::span<const std::string_view> all_syscall_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> all;
    all.reserve(detail::kNameCount);
    for (std::uint32_t id = 0; id < detail::kNameCount; ++id) all.push_back(name_of(id));
    return all;
  }();
  return names;
}

std::uint32_t resolve_syscall(Arch arch, std::string_view name_or_number) {
  if (name_or_number.empty()) throw InputError(fmt::format("empty syscall name on {}", arch_name(arch)));
  if (auto nr = parse_number(arch, name_or_number)) return *nr;
  if (auto nr = syscall_number(arch, name_or_number)) return *nr;

  // A real syscall of other arches is a portability mistake, not a typo, so
  // say where it exists rather than suggest a look-alike.
  std::vector<std::string_view> elsewhere;
  for (const ArchInfo& info : kArches) {
    if (syscall_number(info.arch, name_or_number)) elsewhere.push_back(info.name);
  }
  if (!elsewhere.empty()) {
    constexpr std::size_t kShown = 8;
    std::string list;
    for (std::size_t i = 0; i < elsewhere.size() && i < kShown; ++i) {
      list += i ? ", " : "";
      list += elsewhere[i];
    }
    if (elsewhere.size() > kShown) list += fmt::format(" and {} more", elsewhere.size() - kShown);
    throw InputError(fmt::format("syscall '{}' does not exist on {} (it exists on {})", name_or_number,
                                 arch_name(arch), list));
  }

  std::vector<std::string_view> names;
  for (const SyscallEntry& e : syscall_table(arch)) names.push_back(e.name);
  if (auto guess = did_you_mean(name_or_number, names)) {
    throw InputError(fmt::format("unknown syscall '{}' on {} (did you mean '{}'?)", name_or_number,
                                 arch_name(arch), *guess));
  }
  throw InputError(fmt::format("unknown syscall '{}' on {}", name_or_number, arch_name(arch)));
}

}  // namespace seccage
