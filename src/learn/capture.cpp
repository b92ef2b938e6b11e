// Which arguments the learner records (docs/learn.md, "Arguments"). Each one
// decides what a call can do and is a plain value in a register, so a filter
// can check it; pointers (paths, clone3's struct) cannot be checked and are
// not recorded.
#include <array>

#include "seccage/learn.hpp"

namespace seccage::learn {
namespace {

constexpr std::uint64_t kLow32 = 0xffffffffULL;         // the kernel reads the argument as an int
constexpr std::uint64_t kSockFlags = 0x800 | 0x80000;   // SOCK_NONBLOCK | SOCK_CLOEXEC: no new power
constexpr std::uint64_t kProtExec = 0x4;                // PROT_EXEC: the only prot bit that matters here
constexpr std::uint64_t kAccessMode = 0x3;              // O_ACCMODE: read, write or both

struct Entry {
  std::string_view name;
  std::array<CapturedArg, 2> args;
  std::size_t count;
};

// Sorted by name for the binary search below.
constexpr std::array kCaptured{
    Entry{"clone", {CapturedArg{0, ~0ULL}}, 1},                      // flags: threads, namespaces, vfork
    Entry{"fcntl", {CapturedArg{1, kLow32}}, 1},                     // cmd
    Entry{"fcntl64", {CapturedArg{1, kLow32}}, 1},                   // cmd (32-bit arches)
    Entry{"ioctl", {CapturedArg{1, kLow32}}, 1},                     // request (unsigned int to the kernel)
    Entry{"mmap", {CapturedArg{2, kProtExec}}, 1},                   // prot: executable or not
    Entry{"mmap2", {CapturedArg{2, kProtExec}}, 1},
    Entry{"mprotect", {CapturedArg{2, kProtExec}}, 1},
    Entry{"open", {CapturedArg{1, kAccessMode}}, 1},                 // flags' access mode
    Entry{"openat", {CapturedArg{2, kAccessMode}}, 1},
    Entry{"personality", {CapturedArg{0, kLow32}}, 1},               // persona
    Entry{"pkey_mprotect", {CapturedArg{2, kProtExec}}, 1},
    Entry{"prctl", {CapturedArg{0, kLow32}}, 1},                     // option
    Entry{"socket", {CapturedArg{0, kLow32}, CapturedArg{1, kLow32 & ~kSockFlags}}, 2},      // domain, type
    Entry{"socketpair", {CapturedArg{0, kLow32}, CapturedArg{1, kLow32 & ~kSockFlags}}, 2},  // domain, type
};

}  // namespace

std::span<const CapturedArg> captured_args(Arch arch, std::string_view syscall) {
  // i386's `mmap` is old_mmap, whose only argument points to a struct.
  if (syscall == "mmap" && arch == Arch::i386) return {};
  for (const Entry& e : kCaptured)
    if (e.name == syscall) return std::span<const CapturedArg>(e.args.data(), e.count);
  return {};
}

}  // namespace seccage::learn
