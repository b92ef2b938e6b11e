#include "sandbox/decode/signatures.hpp"

#include <algorithm>
#include <set>
#include <variant>

#include <gtest/gtest.h>

#include "seccage/presets.hpp"

namespace seccage::sandbox::decode_detail {
namespace {

// What a preset denies on `arch`: its denying rules, and for a preset whose
// default denies, every syscall of the arch's table no allowing rule names.
std::set<std::string> denied_by(std::string_view preset, Arch arch) {
  const Policy p = preset_policy(preset, {arch});
  std::set<std::string> denied, allowed;
  for (const Rule& r : p.rules) {
    const auto* name = std::get_if<std::string>(&r.syscall);
    if (!name || !syscall_number(arch, *name)) continue;
    (r.action.denies() ? denied : allowed).insert(*name);
  }
  if (p.default_action.denies() && preset != "stdio") {
    for (const SyscallEntry& e : syscall_table(arch))
      if (!allowed.count(std::string(e.name))) denied.insert(std::string(e.name));
  }
  return denied;
}

TEST(DecodeSignatures, EverySyscallAPresetDeniesIsDecoded) {
  // stdio denies everything it does not list; its conditional denials
  // (ioctl, fcntl, open, prlimit64) and the common calls a computation
  // makes by mistake are checked instead.
  for (const ArchInfo& a : all_arches()) {
    const Arch arch = a.arch;
    for (const PresetInfo& info : presets()) {
      for (const std::string& name : denied_by(info.name, arch)) {
        // uprobe and uretprobe are entered by the kernel's own trampolines.
        if (name.starts_with("uretprobe") || name.starts_with("uprobe")) continue;
        EXPECT_NE(find_signature(arch, name), nullptr)
            << "preset " << info.name << " denies " << name << " on " << arch_name(arch) << " without a signature";
      }
    }
  }
  for (std::string_view name : {"socket", "connect", "execve", "openat", "ioctl", "fcntl", "prlimit64", "clone",
                                "clone3", "kill", "mkdir", "unlink", "readlink", "statfs", "fstatfs", "sendmsg"})
    EXPECT_NE(find_signature(Arch::x86_64, name), nullptr) << name;
}

TEST(DecodeSignatures, AuxiliaryArgumentsPointInsideTheSignature) {
  for (std::string_view name : signature_names()) {
    for (const ArchInfo& a : all_arches()) {
      const Signature* s = find_signature(a.arch, name);
      ASSERT_NE(s, nullptr) << name;
      EXPECT_LE(s->params.size(), 6u) << name;
      for (std::size_t i = 0; i < s->params.size(); ++i) {
        const Param& p = s->params[i];
        const bool needs_aux = p.kind == Kind::Buf || p.kind == Kind::SockAddr || p.kind == Kind::CloneArgs ||
                               p.kind == Kind::FcntlArg || p.kind == Kind::PtraceData || p.kind == Kind::PrctlArg ||
                               p.kind == Kind::IoctlArg || p.kind == Kind::Protocol;
        if (needs_aux) {
          EXPECT_GE(p.aux, 0) << name << " " << p.name;
          EXPECT_LT(static_cast<std::size_t>(p.aux), s->params.size()) << name << " " << p.name;
          EXPECT_NE(static_cast<std::size_t>(p.aux), i) << name << " " << p.name;
        }
      }
    }
  }
}

}  // namespace
}  // namespace seccage::sandbox::decode_detail
