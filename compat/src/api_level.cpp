#include "api_level.hpp"

#include <atomic>

#include "seccage/kernel.hpp"

namespace seccage::compat {
namespace {

// The levels, each needing everything below it:
// 1 seccomp(2) filters; 2 TSYNC; 3 LOG flag and action, KILL_PROCESS;
// 4 SPEC_ALLOW; 5 user notification; 6 TSYNC_ESRCH; 7 WAIT_KILLABLE_RECV.
unsigned probe() {
  using kernel::FilterFlag;
  auto has = [](FilterFlag f) {
    try {
      return kernel::flag_supported(f);
    } catch (...) {
      return false;  // seccomp(2) itself is refused (an outer filter): level 1
    }
  };
  unsigned level = 1;
  if (!has(FilterFlag::Tsync)) return level;
  level = 2;
  if (!has(FilterFlag::Log)) return level;
  level = 3;
  if (!has(FilterFlag::SpecAllow)) return level;
  level = 4;
  if (!has(FilterFlag::NewListener)) return level;
  level = 5;
  if (!has(FilterFlag::TsyncEsrch)) return level;
  level = 6;
  if (!has(FilterFlag::WaitKillableRecv)) return level;
  return 7;
}

std::atomic<unsigned> g_level{0};  // 0: not probed yet

}  // namespace

unsigned api_level() {
  unsigned level = g_level.load(std::memory_order_relaxed);
  if (level == 0) {
    level = probe();
    g_level.store(level, std::memory_order_relaxed);
  }
  return level;
}

void set_api_level(unsigned level) { g_level.store(level, std::memory_order_relaxed); }
void reprobe_api_level() { g_level.store(probe(), std::memory_order_relaxed); }

}  // namespace seccage::compat
