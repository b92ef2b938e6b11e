// Fuzzes the text policy language: any input must either compile or throw
// InputError (never another exception, a crash or a hang), and what compiles
// must survive the canonical writer: write -> read -> write is a fixed point.
// The layout formatter (seccage fmt) must compile to the same policy and be
// a fixed point too.
#include <cstdint>
#include <string>

#include "seccage/error.hpp"
#include "seccage/policy_text.hpp"
#include "fuzz_fail.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  seccage::TextPolicyOptions options;
  options.host_arch = seccage::Arch::x86_64;
  // Includes without the disk: "self.policy" is the input itself (a cycle),
  // anything else a small fixed policy, "missing.policy" unreadable.
  options.read_file = [&text](const std::filesystem::path& p) -> std::string {
    const std::string name = p.filename().string();
    if (name == "self.policy") return text;
    if (name == "missing.policy") throw seccage::InputError("cannot read 'missing.policy'");
    return "allow read, write\nkill ptrace: arg0 == 1\n";
  };
  seccage::TextPolicy first;
  try {
    first = seccage::read_text_policy_text(text, "fuzz.policy", options);
  } catch (const seccage::InputError&) {
    return 0;
  }
  const std::string written = seccage::write_text_policy(first.policy);
  seccage::TextPolicy second;
  try {
    second = seccage::read_text_policy_text(written, "written.policy", options);
  } catch (const seccage::InputError& e) {
    fuzz_fail("the canonical form of a valid policy does not read back:", std::string(e.what()) + "\n" + written);
  }
  const std::string again = seccage::write_text_policy(second.policy);
  if (again != written) fuzz_fail("the canonical form is not a fixed point:", written + "\n----\n" + again);

  std::string laid_out;
  try {
    laid_out = seccage::format_text_policy(text, "fuzz.policy");
  } catch (const seccage::InputError& e) {
    fuzz_fail("a valid policy cannot be formatted:", std::string(e.what()) + "\n" + text);
  }
  try {
    const seccage::TextPolicy formatted = seccage::read_text_policy_text(laid_out, "fuzz.policy", options);
    if (seccage::write_text_policy(formatted.policy) != written)
      fuzz_fail("formatting changed what the policy decides:", text + "\n----\n" + laid_out);
  } catch (const seccage::InputError& e) {
    fuzz_fail("the formatted policy does not compile:", std::string(e.what()) + "\n" + laid_out);
  }
  if (seccage::format_text_policy(laid_out, "fuzz.policy") != laid_out)
    fuzz_fail("formatting is not a fixed point:", laid_out);
  return 0;
}
