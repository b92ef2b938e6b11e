#include "sandbox/violation_log.hpp"

#include <utility>

namespace seccage::sandbox {

std::string ViolationLog::key(const std::string& syscall, const std::string& rule, const Action& action,
                              const std::string& arch) {
  return syscall + '\0' + rule + '\0' + action.to_string() + '\0' + arch;
}

std::int64_t ViolationLog::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_).count();
}

bool ViolationLog::wants_details(const std::string& k) const {
  return report_.violations.size() < cap_ || !index_.count(k);
}

void ViolationLog::record(Violation v, bool fallback) {
  const std::string k = key(v.syscall, v.rule, v.action, v.arch);
  record(k, std::move(v), fallback);
}

void ViolationLog::record(const std::string& k, Violation v, bool fallback) {
  if (fallback) {
    // Fallbacks are expected (libc retries with an older call): counted and
    // kept up to the cap, without a summary of their own.
    ++report_.fallback_count;
    if (report_.fallbacks.size() < cap_) report_.fallbacks.push_back(std::move(v));
    return;
  }
  const std::int64_t t = now_ms();
  ++report_.violation_count;
  auto [it, fresh] = index_.emplace(k, report_.summary.size());
  if (fresh) {
    CallSummary s;
    s.syscall = v.syscall;
    s.arch = v.arch;
    s.rule = v.rule;
    s.action = v.action;
    s.first_ms = t;
    s.example = v;
    report_.summary.push_back(std::move(s));
  }
  CallSummary& s = report_.summary[it->second];
  ++s.count;
  s.last_ms = t;
  if (report_.violations.size() < cap_) report_.violations.push_back(std::move(v));
}

}  // namespace seccage::sandbox
