// A fake address space for the decoder's tests: byte blocks at chosen
// addresses, read through a MemoryReader as the supervisor's would be.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "sandbox/decode.hpp"

namespace seccage::sandbox::testing {

struct FakeMemory {
  std::map<std::uint64_t, std::string> blocks;

  // Little- or big-endian integers of `width` bytes, for building structs.
  static std::string integer(std::uint64_t v, std::size_t width, bool little_endian = true) {
    std::string out(width, '\0');
    for (std::size_t k = 0; k < width; ++k)
      out[little_endian ? k : width - 1 - k] = static_cast<char>((v >> (8 * k)) & 0xff);
    return out;
  }

  MemoryReader reader() const {
    return [this](std::uint64_t addr, std::size_t max, bool cstring) -> std::optional<std::string> {
      for (const auto& [start, bytes] : blocks) {
        if (addr < start || addr >= start + bytes.size()) continue;
        std::string s = bytes.substr(addr - start, max);
        if (cstring) {
          if (auto nul = s.find('\0'); nul != std::string::npos) s.resize(nul);
        }
        return s;
      }
      return std::nullopt;
    };
  }
};

// The structured form's value of the argument called `name` ("?" if none).
inline std::string value_of(const DecodedCall& d, std::string_view name) {
  for (const auto& a : d.args)
    if (a.name == name) return a.value;
  return "?";
}

}  // namespace seccage::sandbox::testing
