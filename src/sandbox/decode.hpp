// Decoding a syscall's arguments for reports: integers, flags and enums by
// name for the common syscalls, and path and string arguments read from the
// caller's memory through a reader the supervisor provides (so the decoder
// runs in tests on plain buffers).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "seccage/arch.hpp"

namespace seccage::sandbox {

// Reads up to `max` bytes at `addr` in the traced process; with `cstring`,
// stops after a NUL (not included). nullopt when the memory cannot be read.
using MemoryReader = std::function<std::optional<std::string>(std::uint64_t addr, std::size_t max, bool cstring)>;

struct DecodeOptions {
  std::size_t string_limit = 96;  // bytes shown of a string or buffer
  std::size_t argv_limit = 8;     // execve: argv entries shown
};

// "write(fd=2, buf=\"hi\\n\", count=3)". Unknown syscalls show six raw
// arguments in hex. `reader` may be empty: pointers are then shown as
// addresses. Flags are named for the native arch (and the x86 ABIs sharing
// its constants); on other arches they are shown in hex.
std::string decode_call(Arch arch, std::string_view name, const std::array<std::uint64_t, 6>& args,
                        const MemoryReader& reader, const DecodeOptions& options = {});

// C-style escaping for a shown string: \n, \t, \", \\, \xNN; `cut` appends "...".
std::string quote(std::string_view bytes, bool cut);

// Flag and enum names (exposed for tests): "O_WRONLY|O_CREAT|O_TRUNC",
// "PROT_READ|PROT_EXEC", "SIGKILL", "AF_INET".
std::string open_flags(std::uint64_t flags);
std::string prot_flags(std::uint64_t prot);
std::string signal_name(std::uint64_t sig);

}  // namespace seccage::sandbox
