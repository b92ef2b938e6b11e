// Memory: mmap/mprotect protections, mmap flags (per arch family), madvise.
#include <fmt/core.h>

#include "sandbox/decode/families.hpp"

namespace seccage::sandbox::decode_detail {
namespace {

// asm-generic/mman.h and mman-common.h: x86, arm, aarch64, riscv, s390,
// loongarch, m68k, sh.
constexpr Named kMapGeneric[] = {
    {0x10, "MAP_FIXED"},        {0x20, "MAP_ANONYMOUS"},  {0x100, "MAP_GROWSDOWN"},  {0x800, "MAP_DENYWRITE"},
    {0x1000, "MAP_EXECUTABLE"}, {0x2000, "MAP_LOCKED"},   {0x4000, "MAP_NORESERVE"}, {0x8000, "MAP_POPULATE"},
    {0x10000, "MAP_NONBLOCK"},  {0x20000, "MAP_STACK"},   {0x40000, "MAP_HUGETLB"},  {0x80000, "MAP_SYNC"},
    {0x100000, "MAP_FIXED_NOREPLACE"}, {0x4000000, "MAP_UNINITIALIZED"}};
// x86 alone has MAP_32BIT.
constexpr Named kMapX86[] = {{0x40, "MAP_32BIT"}};
// arch/powerpc/include/uapi/asm/mman.h: MAP_NORESERVE and MAP_LOCKED differ.
constexpr Named kMapPpc[] = {
    {0x10, "MAP_FIXED"},        {0x20, "MAP_ANONYMOUS"}, {0x40, "MAP_NORESERVE"},   {0x80, "MAP_LOCKED"},
    {0x100, "MAP_GROWSDOWN"},   {0x800, "MAP_DENYWRITE"}, {0x1000, "MAP_EXECUTABLE"}, {0x8000, "MAP_POPULATE"},
    {0x10000, "MAP_NONBLOCK"},  {0x20000, "MAP_STACK"},  {0x40000, "MAP_HUGETLB"},   {0x80000, "MAP_SYNC"},
    {0x100000, "MAP_FIXED_NOREPLACE"}};
// arch/mips/include/uapi/asm/mman.h.
constexpr Named kMapMips[] = {
    {0x10, "MAP_FIXED"},      {0x400, "MAP_NORESERVE"}, {0x800, "MAP_ANONYMOUS"}, {0x1000, "MAP_GROWSDOWN"},
    {0x2000, "MAP_DENYWRITE"}, {0x4000, "MAP_EXECUTABLE"}, {0x8000, "MAP_LOCKED"}, {0x10000, "MAP_POPULATE"},
    {0x20000, "MAP_NONBLOCK"}, {0x40000, "MAP_STACK"},   {0x80000, "MAP_HUGETLB"}};

bool is_x86(Arch arch) { return arch == Arch::x86_64 || arch == Arch::x32 || arch == Arch::i386; }

}  // namespace

std::string prot_flags(std::uint64_t prot) {
  // The same on every arch Linux runs on (mman-common.h); arch-only bits
  // (PROT_SAO, PROT_BTI, PROT_MTE) are left in hex.
  if (prot == 0) return "PROT_NONE";
  static constexpr Named kProt[] = {{1, "PROT_READ"},
                                    {2, "PROT_WRITE"},
                                    {4, "PROT_EXEC"},
                                    {0x01000000, "PROT_GROWSDOWN"},
                                    {0x02000000, "PROT_GROWSUP"}};
  return flag_names(prot, kProt);
}

std::string map_flags(Arch arch, std::uint64_t flags) {
  static constexpr std::string_view kTypes[] = {"", "MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE"};
  std::string type(kTypes[flags & 3]);
  const Family family = family_of(arch);
  // PA-RISC's other bits are not carried: only the type is named there.
  if (type.empty() && family == Family::Parisc) return hex(flags);
  if (!type.empty()) flags &= ~std::uint64_t{3};
  if (family == Family::Parisc) return flags == 0 ? type : type + "|" + hex(flags);
  if (family == Family::Ppc) return flag_names(flags, kMapPpc, type);
  if (family == Family::Mips) return flag_names(flags, kMapMips, type);
  if (is_x86(arch) && (flags & 0x40)) {
    type = flag_names(0x40, kMapX86, type);
    flags &= ~std::uint64_t{0x40};
  }
  if (flags == 0 && !type.empty()) return type;
  return flag_names(flags, kMapGeneric, type);
}

std::string madvise_advice(Arch arch, std::uint64_t advice) {
  static constexpr Named kAdvice[] = {
      {0, "MADV_NORMAL"},        {1, "MADV_RANDOM"},         {2, "MADV_SEQUENTIAL"},   {3, "MADV_WILLNEED"},
      {4, "MADV_DONTNEED"},      {8, "MADV_FREE"},           {9, "MADV_REMOVE"},       {10, "MADV_DONTFORK"},
      {11, "MADV_DOFORK"},       {12, "MADV_MERGEABLE"},     {13, "MADV_UNMERGEABLE"}, {14, "MADV_HUGEPAGE"},
      {15, "MADV_NOHUGEPAGE"},   {16, "MADV_DONTDUMP"},      {17, "MADV_DODUMP"},      {18, "MADV_WIPEONFORK"},
      {19, "MADV_KEEPONFORK"},   {20, "MADV_COLD"},          {21, "MADV_PAGEOUT"},     {22, "MADV_POPULATE_READ"},
      {23, "MADV_POPULATE_WRITE"}, {24, "MADV_DONTNEED_LOCKED"}, {25, "MADV_COLLAPSE"}, {100, "MADV_HWPOISON"},
      {101, "MADV_SOFT_OFFLINE"}};
  // mman-common.h; MIPS and PA-RISC have had their own numbering.
  const Family family = family_of(arch);
  if (family == Family::Mips || family == Family::Parisc) return fmt::format("{}", advice);
  return enum_name(advice, kAdvice);
}

std::string mremap_flags(std::uint64_t flags) {
  static constexpr Named kRemap[] = {{1, "MREMAP_MAYMOVE"}, {2, "MREMAP_FIXED"}, {4, "MREMAP_DONTUNMAP"}};
  return flag_names(flags, kRemap);
}

}  // namespace seccage::sandbox::decode_detail
