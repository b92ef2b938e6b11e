// The real profiles vendored in tests/data/profiles (their sources are in its
// README), listed once for every test that walks them.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace seccage::test {

inline std::filesystem::path profiles_dir() { return std::filesystem::path(SECCAGE_TEST_DATA_DIR) / "profiles"; }

// Profiles runc and crun refuse, and seccage with them: Docker's fixture has
// errnoRet 12345, which libseccomp refuses (docs/oci.md).
inline bool runtimes_refuse(std::string_view file) { return file == "docker-fixture-example.json"; }

// File names of every vendored JSON profile, sorted; without the refused
// ones unless asked.
inline std::vector<std::string> vendored_profiles(bool with_refused = false) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(profiles_dir())) {
    const std::string name = e.path().filename().string();
    if (e.path().extension() == ".json" && (with_refused || !runtimes_refuse(name))) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace seccage::test
