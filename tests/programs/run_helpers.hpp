// Helpers for the `seccage run` integration tests: run the built binary,
// compile small C programs at test time, read the JSON report, and check
// that nothing a run started is left behind.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/child.hpp"

namespace seccage::runtest {

inline const std::string kCli = SECCAGE_CLI_PATH;
inline const std::string kShared = SECCAGE_TEST_DATA_DIR;

// A private directory per test, removed at the end.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "seccage-run-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Compiles `source` (C) with the system compiler, dynamically linked.
inline std::string compile_c(const TempDir& dir, const std::string& name, const std::string& source) {
  const std::string src = dir / (name + ".c");
  std::ofstream(src) << source;
  const std::string out = dir / name;
  auto r = test::run_command({"/usr/bin/cc", "-O1", "-o", out, src});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  return out;
}

inline test::CommandResult seccage(std::vector<std::string> args, const std::string& input = {},
                                   std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  args.insert(args.begin(), kCli);
  return test::run_command(args, input, timeout);
}

inline nlohmann::json read_report(const std::string& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  try {
    return nlohmann::json::parse(s.str());
  } catch (const std::exception& e) {
    ADD_FAILURE() << "report " << file << " is not JSON: " << e.what() << "\n" << s.str();
    return nlohmann::json::object();
  }
}

// A word no other process has in its command line: passed to the program
// under test so that leftovers can be found in /proc.
inline std::string unique_marker() {
  static std::atomic<int> n{0};
  return "seccage-marker-" + std::to_string(::getpid()) + "-" + std::to_string(n++);
}

// Processes whose command line contains `marker` (seccage itself excluded,
// since its own arguments contain the marker too).
inline std::vector<int> processes_with(const std::string& marker) {
  std::vector<int> out;
  DIR* d = ::opendir("/proc");
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    const int pid = std::atoi(e->d_name);
    if (pid <= 0) continue;
    // A process that exits while its cmdline is read fails the read with
    // ESRCH, which libstdc++'s streams throw on: read it with read(2).
    std::string cmd;
    const int fd = ::open((std::string("/proc/") + e->d_name + "/cmdline").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) cmd.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    if (cmd.find(marker) == std::string::npos) continue;
    if (cmd.rfind(kCli, 0) == 0) continue;
    out.push_back(pid);
  }
  ::closedir(d);
  return out;
}

// Waits up to a second for leftovers to vanish (a SIGKILLed process takes a
// moment to be reaped by init), then fails if any remain.
inline void expect_nothing_left(const std::string& marker) {
  std::vector<int> left;
  for (int i = 0; i < 100; ++i) {
    left = processes_with(marker);
    if (left.empty()) return;
    ::usleep(10000);
  }
  std::string list;
  for (int p : left) list += std::to_string(p) + " ";
  ADD_FAILURE() << "processes left behind: " << list;
}

inline bool is_root() { return ::geteuid() == 0; }

}  // namespace seccage::runtest
