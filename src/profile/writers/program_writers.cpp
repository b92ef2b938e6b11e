// Writers of a compiled program: raw bytes, C header, base64.
#include <fmt/core.h>

#include "seccage/version.hpp"
#include "seccage/writers.hpp"

namespace seccage {

std::string write_raw_program(const bpf::Program& program) {
  const std::vector<std::byte> bytes = bpf::to_raw(program);
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::string write_c_header(const bpf::Program& program, std::string_view source) {
  // The comment must not end early: a source name holding "*/" would close it.
  std::string safe(source);
  for (std::size_t p; (p = safe.find("*/")) != std::string::npos;) safe.replace(p, 2, "* /");
  std::string out = fmt::format(
      "/* seccomp-BPF filter compiled by seccage {} from {}: {} instructions.\n"
      " * Install with prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) and then\n"
      " * prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &seccage_fprog). */\n"
      "#include <linux/filter.h>\n\n"
      "static struct sock_filter seccage_filter[] = {{\n",
      kVersion, safe, program.size());
  for (const bpf::Insn& i : program) out += fmt::format("\t{{ 0x{:02x}, {}, {}, 0x{:08x} }},\n", i.code, i.jt, i.jf, i.k);
  out += "};\n\nstatic struct sock_fprog seccage_fprog = {\n"
         "\t.len = sizeof(seccage_filter) / sizeof(seccage_filter[0]),\n"
         "\t.filter = seccage_filter,\n};\n";
  return out;
}

std::string base64_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t v = byte(i) << 16;
    if (rest == 2) v |= byte(i + 1) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string write_base64_program(const bpf::Program& program) {
  return base64_encode(write_raw_program(program)) + "\n";
}

}  // namespace seccage
