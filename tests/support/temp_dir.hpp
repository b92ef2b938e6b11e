// Temporary directories and files for tests: made fresh under $TMPDIR with a
// recognisable prefix, removed with everything in them when the object goes.
#pragma once

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace seccage::test {

struct TempDir {
  std::filesystem::path path;

  explicit TempDir(std::string_view prefix = "seccage-test") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(tmpl.data()) == nullptr)
      throw std::runtime_error("mkdtemp " + tmpl + ": " + std::strerror(errno));
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ignored;  // a test may have removed or locked parts of it
    std::filesystem::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::filesystem::path operator/(std::string_view name) const { return path / name; }

  // Writes `content` (bytes as given) to `name` in the directory; returns its path.
  std::filesystem::path write(std::string_view name, std::string_view content) const {
    const std::filesystem::path p = path / name;
    std::ofstream out(p, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) throw std::runtime_error("cannot write " + p.string());
    return p;
  }
};

// One file with the given content, in a directory of its own.
struct TempFile {
  TempDir dir;
  std::filesystem::path path;

  explicit TempFile(std::string_view content, std::string_view name = "file", std::string_view prefix = "seccage-test")
      : dir(prefix), path(dir.write(name, content)) {}
};

}  // namespace seccage::test
