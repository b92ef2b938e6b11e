// Decoding a syscall's arguments for reports: each argument's name, raw
// value and readable form (flags and enums by name, paths, strings, socket
// addresses and structs read from the caller's memory through a reader the
// supervisor provides, so the decoder runs in tests on plain buffers), and
// the one-line form people read. The tables live in src/sandbox/decode/.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seccage/arch.hpp"
#include "seccage/sandbox.hpp"

namespace seccage::sandbox {

// Reads up to `max` bytes at `addr` in the traced process; with `cstring`,
// stops after a NUL (not included). nullopt when the memory cannot be read.
using MemoryReader = std::function<std::optional<std::string>(std::uint64_t addr, std::size_t max, bool cstring)>;

struct DecodeOptions {
  std::size_t string_limit = 96;  // bytes shown of a string or buffer
  std::size_t argv_limit = 8;     // execve: argv entries shown
};

struct DecodedCall {
  std::string syscall;
  std::vector<DecodedArg> args;  // DecodedArg: seccage/sandbox.hpp
  std::string line;              // "write(fd=2, buf=\"hi\\n\", count=3)"
};

// The call's arguments, named and decoded for `arch`. A syscall without a
// signature gets six arguments arg0..arg5 in hex. `reader` may be empty:
// pointers are then shown as addresses. Constants are named only where
// their values are carried for that arch (src/sandbox/decode/common.hpp),
// else shown as numbers. On 32-bit ABIs that split a 64-bit argument over
// two registers, the arguments from the split on are shown raw (arg3=...).
DecodedCall decode_call_structured(Arch arch, std::string_view name, const std::array<std::uint64_t, 6>& args,
                                   const MemoryReader& reader, const DecodeOptions& options = {});
// Its one-line form.
std::string decode_call(Arch arch, std::string_view name, const std::array<std::uint64_t, 6>& args,
                        const MemoryReader& reader, const DecodeOptions& options = {});

// Whether the decoder knows the syscall's arguments on `arch`.
bool has_signature(Arch arch, std::string_view name);

// C-style escaping for a shown string: \n, \t, \", \\, \xNN; `cut` appends "...".
std::string quote(std::string_view bytes, bool cut);

// Names on the native arch: "O_WRONLY|O_CREAT|O_TRUNC", "PROT_READ|PROT_EXEC", "SIGKILL".
std::string open_flags(std::uint64_t flags);
std::string prot_flags(std::uint64_t prot);
std::string signal_name(std::uint64_t sig);

}  // namespace seccage::sandbox
