#include "sandbox/cgroup.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/core.h>

#include "seccage/error.hpp"
#include "util/read_file.hpp"

namespace seccage::sandbox {
namespace {

constexpr const char* kRoot = "/sys/fs/cgroup";

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

bool write_text(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const int err = errno;
  ::close(fd);
  errno = err;
  return ok;
}

std::optional<std::uint64_t> read_number(const std::string& path) {
  auto text = read_small_file(path);
  if (!text || text->empty()) return std::nullopt;
  return std::strtoull(text->c_str(), nullptr, 10);
}

// "key value" lines (memory.events, cpu.stat, memory.oom_control).
std::optional<std::uint64_t> read_key(const std::string& path, std::string_view key) {
  auto text = read_small_file(path);
  if (!text) return std::nullopt;
  std::size_t at = 0;
  while (at < text->size()) {
    std::size_t end = text->find('\n', at);
    if (end == std::string::npos) end = text->size();
    std::string_view line(text->data() + at, end - at);
    if (line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == ' ')
      return std::strtoull(std::string(line.substr(key.size() + 1)).c_str(), nullptr, 10);
    at = end + 1;
  }
  return std::nullopt;
}

// Directories of runs whose seccage died (SIGKILL leaves them behind, empty).
// Names are run-PID-N; a live PID's are left alone.
void remove_stale_runs(const std::string& parent) {
  DIR* d = ::opendir(parent.c_str());
  if (!d) return;
  while (dirent* e = ::readdir(d)) {
    if (std::strncmp(e->d_name, "run-", 4) != 0) continue;
    const long pid = std::strtol(e->d_name + 4, nullptr, 10);
    if (pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM)) continue;
    ::rmdir((parent + "/" + e->d_name).c_str());
  }
  ::closedir(d);
}

std::string run_name() {
  static std::atomic<unsigned> counter{0};
  return fmt::format("run-{}-{}", ::getpid(), counter++);
}

}  // namespace

std::optional<RunCgroup> RunCgroup::create(const CgroupLimits& limits, std::string& why_not) {
  RunCgroup cg;
  const std::string name = run_name();
  auto make = [&](const std::string& hierarchy) -> std::string {
    const std::string parent = hierarchy + "/seccage";
    if (::mkdir(parent.c_str(), 0755) != 0 && errno != EEXIST) return "";
    remove_stale_runs(parent);
    const std::string dir = parent + "/" + name;
    if (::mkdir(dir.c_str(), 0755) != 0) return "";
    cg.dirs_.push_back(dir);
    return dir;
  };
  auto refuse = [&](const std::string& what) -> std::optional<RunCgroup> {
    why_not = fmt::format("{}: {}", what, std::strerror(errno));
    return std::nullopt;  // cg's destructor removes what was made
  };

  if (exists(fmt::format("{}/cgroup.controllers", kRoot))) {
    cg.version_ = "v2";
    // Controllers are enabled top-down; the root cgroup may hold processes
    // and still delegate them.
    const std::string top = fmt::format("{}/seccage", kRoot);
    write_text(fmt::format("{}/cgroup.subtree_control", kRoot), "+memory +pids +cpu");
    if (::mkdir(top.c_str(), 0755) != 0 && errno != EEXIST) return refuse("cannot create " + top);
    write_text(top + "/cgroup.subtree_control", "+memory +pids +cpu");
    const std::string dir = make(kRoot);
    if (dir.empty()) return refuse(fmt::format("cannot create a cgroup under {}", top));
    cg.memory_ = cg.pids_ = cg.cpu_ = cg.unified_ = dir;
    if (limits.memory) {
      if (!write_text(dir + "/memory.max", std::to_string(*limits.memory))) return refuse("cannot set memory.max");
      write_text(dir + "/memory.swap.max", "0");
    }
    if (limits.pids && !write_text(dir + "/pids.max", std::to_string(*limits.pids))) return refuse("cannot set pids.max");
    return cg;
  }

  cg.version_ = "v1";
  const std::string memory_root = fmt::format("{}/memory", kRoot);
  const std::string pids_root = fmt::format("{}/pids", kRoot);
  const std::string cpu_root = fmt::format("{}/cpuacct", kRoot);
  if (!exists(memory_root) || !exists(cpu_root)) {
    errno = ENOENT;
    return refuse(fmt::format("no cgroup v2 and no v1 memory and cpuacct controllers under {}", kRoot));
  }
  if ((cg.memory_ = make(memory_root)).empty()) return refuse("cannot create a cgroup under " + memory_root);
  if ((cg.cpu_ = make(cpu_root)).empty()) return refuse("cannot create a cgroup under " + cpu_root);
  if (limits.pids) {
    if (!exists(pids_root)) {
      errno = ENOENT;
      return refuse("no pids controller under " + std::string(kRoot));
    }
    if ((cg.pids_ = make(pids_root)).empty()) return refuse("cannot create a cgroup under " + pids_root);
    if (!write_text(cg.pids_ + "/pids.max", std::to_string(*limits.pids))) return refuse("cannot set pids.max");
  }
  if (limits.memory) {
    if (!write_text(cg.memory_ + "/memory.limit_in_bytes", std::to_string(*limits.memory)))
      return refuse("cannot set memory.limit_in_bytes");
    // With swap accounting, swap counts too (absent without it).
    write_text(cg.memory_ + "/memory.memsw.limit_in_bytes", std::to_string(*limits.memory));
  }
  const std::string unified = fmt::format("{}/unified", kRoot);
  if (exists(unified + "/cgroup.procs")) cg.unified_ = make(unified);  // for cgroup.kill; optional
  return cg;
}

RunCgroup::RunCgroup(RunCgroup&& o) noexcept
    : version_(std::move(o.version_)),
      dirs_(std::move(o.dirs_)),
      memory_(std::move(o.memory_)),
      pids_(std::move(o.pids_)),
      cpu_(std::move(o.cpu_)),
      unified_(std::move(o.unified_)) {
  o.dirs_.clear();
}

RunCgroup::~RunCgroup() {
  for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it) {
    // A process that just died may still be leaving the cgroup: retry briefly.
    for (int i = 0; i < 50 && ::rmdir(it->c_str()) != 0 && errno == EBUSY; ++i) ::usleep(1000);
  }
}

void RunCgroup::add(pid_t pid) const {
  const std::string text = std::to_string(pid);
  for (const std::string& dir : dirs_) {
    if (!write_text(dir + "/cgroup.procs", text))
      throw SystemError(fmt::format("cannot move the sandbox into the cgroup {}", dir), errno);
  }
}

std::optional<std::uint64_t> RunCgroup::cpu_ns() const {
  if (version_ == "v2") {
    if (auto us = read_key(cpu_ + "/cpu.stat", "usage_usec")) return *us * 1000;
    return std::nullopt;
  }
  return read_number(cpu_ + "/cpuacct.usage");
}

std::optional<std::uint64_t> RunCgroup::memory_peak() const {
  if (version_ == "v2") return read_number(memory_ + "/memory.peak");
  return read_number(memory_ + "/memory.max_usage_in_bytes");
}

std::uint64_t RunCgroup::oom_kills() const {
  if (version_ == "v2") return read_key(memory_ + "/memory.events", "oom_kill").value_or(0);
  return read_key(memory_ + "/memory.oom_control", "oom_kill").value_or(0);
}

bool RunCgroup::kill_all() const { return !unified_.empty() && write_text(unified_ + "/cgroup.kill", "1"); }

}  // namespace seccage::sandbox
