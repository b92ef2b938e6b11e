// Where every denied call of a run is recorded: the violations kept one by
// one (up to a cap), the count of all of them, and the per-call summary
// (count, first and last time, one example). Memory is bounded by the cap and
// by the number of distinct calls, however often a program repeats one.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "seccage/sandbox.hpp"

namespace seccage::sandbox {

class ViolationLog {
 public:
  using Clock = std::chrono::steady_clock;
  ViolationLog(Report& report, std::size_t cap, Clock::time_point started)
      : report_(report), cap_(cap), started_(started) {}

  // The summary's key: calls with the same syscall, rule, action and arch are
  // one entry.
  static std::string key(const std::string& syscall, const std::string& rule, const Action& action,
                         const std::string& arch);
  // Whether a call with this key still needs its arguments read: it is kept
  // one by one, or it is the first of its kind (the summary's example).
  // Reading a process's memory is most of the cost of a notification, so a
  // program repeating a denied call is answered without it.
  bool wants_details(const std::string& key) const;
  // Records one denied call. `fallback`: an ENOSYS answer meant to make libc
  // fall back (Report::fallbacks), not a violation.
  void record(Violation v, bool fallback = false);
  void record(const std::string& key, Violation v, bool fallback = false);

  std::int64_t now_ms() const;
  Report& report() { return report_; }
  const Report& report() const { return report_; }

 private:
  Report& report_;
  std::size_t cap_;
  Clock::time_point started_;
  std::map<std::string, std::size_t> index_;  // key -> position in report_.summary
};

}  // namespace seccage::sandbox
