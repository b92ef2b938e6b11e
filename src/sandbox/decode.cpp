#include "sandbox/decode.hpp"

#include <fmt/core.h>

#include "sandbox/decode/families.hpp"
#include "sandbox/decode/signatures.hpp"

namespace seccage::sandbox {
namespace {

using decode_detail::Call;
using decode_detail::Kind;

// ABIs whose registers are narrower than a 64-bit argument: pread64's
// offset and the like take two registers there (aligned to an even pair on
// arm, MIPS o32 and ppc32), so the arguments from the first such one on
// are not named. x32 and MIPS n32 pass it in one 64-bit register.
bool splits_64bit_arguments(Arch arch) {
  if (arch_info(arch).is_64bit) return false;
  return arch != Arch::x32 && arch != Arch::mips64n32 && arch != Arch::mipsel64n32;
}

DecodedArg raw_argument(std::size_t i, std::uint64_t v) { return {fmt::format("arg{}", i), v, fmt::format("{:#x}", v)}; }

// i386 and the other socketcall arches pass socket calls through one
// syscall: the sub-call's arguments are an array in memory, decoded here as
// the call they are ("connect(sockfd=3, addr={AF_INET, ...}, addrlen=16)").
void decode_socketcall(DecodedCall& out, const Call& call) {
  const auto number = static_cast<std::uint32_t>(call.args[0]);
  std::optional<MultiplexedCall> sub;
  for (const MultiplexedCall& m : multiplexed_calls())
    if (m.via == "socketcall" && m.call == number) sub = m;
  out.args.push_back({"call", call.args[0], sub ? std::string(sub->name) : fmt::format("{}", number)});
  std::string value = decode_detail::pointer(call.args[1]);
  const decode_detail::Signature* sig = sub ? decode_detail::find_signature(call.arch, sub->name) : nullptr;
  if (sig) {
    const std::size_t w = call.word();
    std::array<std::uint64_t, 6> sub_args{};
    bool read = true;
    for (std::size_t k = 0; k < sig->params.size() && read; ++k) {
      auto raw = call.bytes(call.args[1] + k * w, w);
      read = raw.has_value();
      if (read) sub_args[k] = decode_detail::load(*raw, 0, w, call.little_endian());
    }
    if (read) value = decode_call(call.arch, sub->name, sub_args, call.reader, call.options);
  }
  out.args.push_back({"args", call.args[1], value});
}

std::string join_line(const DecodedCall& d, bool named) {
  std::string out = d.syscall + "(";
  for (std::size_t i = 0; i < d.args.size(); ++i) {
    if (i) out += ", ";
    out += named ? fmt::format("{}={}", d.args[i].name, d.args[i].value) : d.args[i].value;
  }
  return out + ")";
}

}  // namespace

DecodedCall decode_call_structured(Arch arch, std::string_view name, const std::array<std::uint64_t, 6>& args,
                                   const MemoryReader& reader, const DecodeOptions& options) {
  DecodedCall out;
  out.syscall = std::string(name);
  const decode_detail::Signature* sig = decode_detail::find_signature(arch, name);
  if (!sig) {
    for (std::size_t i = 0; i < 6; ++i) out.args.push_back(raw_argument(i, args[i]));
    out.line = join_line(out, false);
    return out;
  }
  const Call call{arch, args, reader, options};
  if (name == "socketcall") {
    decode_socketcall(out, call);
  } else {
    for (std::size_t i = 0; i < sig->params.size(); ++i) {
      const decode_detail::Param& p = sig->params[i];
      if (p.kind == Kind::Off64 && splits_64bit_arguments(arch)) {
        for (std::size_t k = i; k < 6; ++k) out.args.push_back(raw_argument(k, args[k]));
        break;
      }
      out.args.push_back({std::string(p.name), args[i], decode_detail::decode_value(p, call, i)});
    }
  }
  out.line = join_line(out, true);
  return out;
}

std::string decode_call(Arch arch, std::string_view name, const std::array<std::uint64_t, 6>& args,
                        const MemoryReader& reader, const DecodeOptions& options) {
  return decode_call_structured(arch, name, args, reader, options).line;
}

bool has_signature(Arch arch, std::string_view name) { return decode_detail::find_signature(arch, name) != nullptr; }

std::string quote(std::string_view bytes, bool cut) {
  std::string out = "\"";
  for (unsigned char c : bytes) {
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default:
        if (c < 0x20 || c >= 0x7f) out += fmt::format("\\x{:02x}", c);
        else out += static_cast<char>(c);
    }
  }
  out += '"';
  if (cut) out += "...";
  return out;
}

std::string open_flags(std::uint64_t flags) { return decode_detail::open_flags(native_arch(), flags); }
std::string prot_flags(std::uint64_t prot) { return decode_detail::prot_flags(prot); }
std::string signal_name(std::uint64_t sig) { return decode_detail::signal_name(native_arch(), sig); }

}  // namespace seccage::sandbox
