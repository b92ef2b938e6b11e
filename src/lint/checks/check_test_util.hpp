// What the linter's tests share: lint a JSON profile or a text policy, pick
// findings by code, print them for a failure message.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "seccage/lint.hpp"
#include "seccage/policy_text.hpp"
#include "seccage/profile.hpp"

namespace seccage::lint_testing {

inline LintReport lint_json(const std::string& json, Arch host = Arch::x86_64, std::string caps = "docker-default") {
  OciResolveOptions ro;
  ro.host_arch = host;
  ro.capabilities = parse_capabilities(caps);
  ro.kernel = parse_kernel_version("6.1");
  return lint_oci_profile(json, "p.json", ro);
}

inline std::vector<Finding> with_code(const LintReport& r, std::string_view code) {
  std::vector<Finding> out;
  for (const Finding& f : r.findings)
    if (f.code == code) out.push_back(f);
  return out;
}

inline std::string dump(const LintReport& r) {
  std::string s;
  for (const Finding& f : r.findings)
    s += f.location.to_string() + ": " + std::string(severity_name(f.severity)) + ": " + f.message + " [" + f.code +
         "]\n";
  return s;
}

inline LintReport lint_text(const std::string& text) {
  TextPolicyOptions to;
  to.host_arch = Arch::x86_64;
  const TextPolicy tp = read_text_policy_text(text, "t.policy", to);
  return lint_policy(tp.policy, "t.policy");
}

// A profile for x86_64 with the given syscalls entries.
inline std::string profile(const std::string& entries, const std::string& def = R"("SCMP_ACT_ERRNO", "defaultErrnoRet": 38)",
                           const std::string& arches = R"(["SCMP_ARCH_X86_64"])") {
  return R"({"defaultAction": )" + def + R"(, "architectures": )" + arches + R"(, "syscalls": [)" + entries + "]}";
}

}  // namespace seccage::lint_testing
