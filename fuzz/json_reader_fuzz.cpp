// Fuzzes the OCI/Docker JSON reader and what consumes its output: any input
// must either be read or throw InputError (never another exception, a crash
// or a hang); a profile that reads must compile or be refused with
// InputError, must lint, and its resolved OCI JSON must read back.
#include <cstdint>
#include <string>

#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
#include "seccage/lint.hpp"
#include "seccage/profile.hpp"
#include "seccage/writers.hpp"
#include "fuzz_fail.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string json(reinterpret_cast<const char*>(data), size);
  seccage::OciResolveOptions options;
  options.host_arch = seccage::Arch::x86_64;
  // Fixed, so minKernel never reads the fuzzing machine's uname.
  options.kernel = seccage::KernelVersion{5, 10, 0};
  seccage::OciProfile profile;
  try {
    profile = seccage::read_oci_profile_text(json, "fuzz.json", options);
  } catch (const seccage::InputError&) {
    return 0;
  }
  try {
    (void)seccage::compile(profile.policy);
  } catch (const seccage::InputError&) {
    // Too large a program, for instance: a clean refusal.
  }
  try {
    (void)seccage::lint_oci_profile(json, "fuzz.json", options);
  } catch (const seccage::InputError& e) {
    fuzz_fail("lint refused a profile the reader accepted", e.what());
  }
  std::string written;
  try {
    written = seccage::write_oci_json(profile.policy);
  } catch (const seccage::InputError&) {
    return 0;  // something OCI JSON cannot say (documented refusals)
  }
  try {
    (void)seccage::read_oci_profile_text(written, "written.json", options);
  } catch (const seccage::InputError& e) {
    fuzz_fail("the OCI writer's output does not read back", std::string(e.what()) + "\n" + written);
  }
  return 0;
}
