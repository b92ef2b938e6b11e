#include "sandbox/proc.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include <fmt/core.h>

#include "util/read_file.hpp"

namespace seccage::sandbox {

std::optional<std::string> read_memory(pid_t tid, std::uint64_t addr, std::size_t max, bool cstring) {
  const int fd = ::open(fmt::format("/proc/{}/mem", tid).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string out;
  const std::uint64_t page = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
  std::uint64_t at = addr;
  while (out.size() < max) {
    // Never cross a page in one read: a string may end right before an
    // unmapped page, and a read across it would fail as a whole.
    const std::uint64_t room = page - (at % page);
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(room, max - out.size()));
    char buf[4096];
    const ssize_t n = ::pread(fd, buf, std::min(want, sizeof buf), static_cast<off_t>(at));
    if (n <= 0) break;
    const auto got = static_cast<std::size_t>(n);
    if (cstring) {
      if (const void* nul = std::memchr(buf, 0, got)) {
        out.append(buf, static_cast<std::size_t>(static_cast<const char*>(nul) - buf));
        ::close(fd);
        return out;
      }
    }
    out.append(buf, got);
    at += got;
  }
  ::close(fd);
  if (out.empty() && at == addr) return std::nullopt;
  return out;
}

std::optional<TaskStatus> read_status(pid_t tid) {
  auto text = read_small_file(fmt::format("/proc/{}/status", tid));
  if (!text) return std::nullopt;
  TaskStatus st;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    auto value = [&](const char* key, int base = 10) -> std::optional<std::uint64_t> {
      const std::size_t len = std::strlen(key);
      if (line.compare(0, len, key) != 0) return std::nullopt;
      return std::strtoull(line.c_str() + len, nullptr, base);
    };
    if (auto v = value("Tgid:")) st.tgid = static_cast<pid_t>(*v);
    else if (auto b = value("SigBlk:", 16)) st.sig_blocked = *b;
    else if (auto i = value("SigIgn:", 16)) st.sig_ignored = *i;
    else if (auto c = value("SigCgt:", 16)) st.sig_caught = *c;
    else if (line.compare(0, 6, "NSpid:") == 0) {
      // The innermost namespace's pid is the last one on the line.
      const auto last = line.find_last_of(" \t");
      st.ns_pid = static_cast<pid_t>(std::strtol(line.c_str() + last + 1, nullptr, 10));
    }
    else if (auto t = value("Threads:")) st.threads = static_cast<int>(*t);
    else if (auto p = value("VmPeak:")) st.vm_peak_kb = *p;
    else if (auto h = value("VmHWM:")) st.vm_hwm_kb = *h;
  }
  if (st.tgid == 0) return std::nullopt;
  return st;
}

namespace {

struct CpuTicks {
  unsigned long long own = 0;       // utime + stime
  unsigned long long children = 0;  // cutime + cstime: the children it reaped
};

std::optional<CpuTicks> cpu_ticks(pid_t pid) {
  auto text = read_small_file(fmt::format("/proc/{}/stat", pid));
  if (!text) return std::nullopt;
  // The command name (field 2) may hold spaces and parentheses: fields are
  // counted from the last ')'.
  const std::size_t close = text->rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream in(text->substr(close + 2));
  std::string field;
  CpuTicks t;
  for (int i = 3; i <= 17 && in >> field; ++i) {
    if (i == 14 || i == 15) t.own += std::strtoull(field.c_str(), nullptr, 10);
    if (i == 16 || i == 17) t.children += std::strtoull(field.c_str(), nullptr, 10);
  }
  return t;
}

std::int64_t ticks_to_ms(unsigned long long ticks) {
  const long hz = sysconf(_SC_CLK_TCK);
  return static_cast<std::int64_t>(ticks * 1000 / static_cast<unsigned long long>(hz > 0 ? hz : 100));
}

// "PID PID ... " from /proc/PID/task/*/children.
void append_children(pid_t pid, std::vector<pid_t>& out) {
  const std::string base = pid > 0 ? fmt::format("/proc/{}/task", pid) : std::string("/proc/self/task");
  DIR* dir = ::opendir(base.c_str());
  if (!dir) return;
  while (dirent* e = ::readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    auto text = read_small_file(fmt::format("{}/{}/children", base, e->d_name));
    if (!text) continue;
    const char* p = text->c_str();
    for (;;) {
      char* end = nullptr;
      const long v = std::strtol(p, &end, 10);
      if (end == p) break;
      if (v > 0) out.push_back(static_cast<pid_t>(v));
      p = end;
    }
  }
  ::closedir(dir);
}

}  // namespace

std::optional<std::int64_t> cpu_time_ms(pid_t pid) {
  auto t = cpu_ticks(pid);
  if (!t) return std::nullopt;
  return ticks_to_ms(t->own);
}

std::optional<std::int64_t> tree_cpu_time_ms(pid_t root) {
  auto top = cpu_ticks(root);
  if (!top) return std::nullopt;
  unsigned long long total = top->children;
  std::vector<pid_t> todo;
  append_children(root, todo);
  // Bounded: a tree that forks faster than it is walked is cut, not chased.
  for (std::size_t i = 0; i < todo.size() && i < 100'000; ++i) {
    if (auto t = cpu_ticks(todo[i])) total += t->own + t->children;
    append_children(todo[i], todo);
  }
  return ticks_to_ms(total);
}

std::optional<SyscallState> read_syscall(pid_t pid) {
  auto text = read_small_file(fmt::format("/proc/{}/syscall", pid));
  if (!text || text->empty()) return std::nullopt;
  // "running", or "-1 sp pc" outside a syscall, or "NR a0 .. a5 sp pc".
  std::istringstream in(*text);
  std::string nr;
  in >> nr;
  if (nr == "running") return std::nullopt;
  SyscallState s;
  s.nr = std::strtoll(nr.c_str(), nullptr, 0);
  if (s.nr < 0) return std::nullopt;
  for (auto& a : s.args) {
    std::string word;
    if (!(in >> word)) break;
    a = std::strtoull(word.c_str(), nullptr, 0);
  }
  return s;
}

std::vector<pid_t> own_children() {
  std::vector<pid_t> out;
  append_children(0, out);
  return out;
}

}  // namespace seccage::sandbox
