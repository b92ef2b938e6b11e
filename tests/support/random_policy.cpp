#include "support/random_policy.hpp"

#include <algorithm>
#include <mutex>
#include <numeric>

#include <fmt/core.h>

#include "support/libseccomp_ref.hpp"

namespace seccage::test {
namespace {

constexpr std::array<std::uint64_t, 16> kBoundaries{
    0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x100000001, 0xffffffffffffffff,
    0xfffffffffffffffe, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffff00000000, 0x00000001ffffffff, 5, 64};

template <typename T>
const T& pick(std::mt19937_64& rng, const std::vector<T>& v) {
  return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
}

bool chance(std::mt19937_64& rng, double p) { return std::bernoulli_distribution(p)(rng); }
int between(std::mt19937_64& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

Action random_action(std::mt19937_64& rng) {
  switch (between(rng, 0, 9)) {
    case 0: return Action::allow();
    case 1: return Action::kill_process();
    case 2: return Action::kill_thread();
    // libseccomp accepts TRAP only without data.
    case 3: return Action::trap();
    case 4: return Action::trace(static_cast<std::uint16_t>(between(rng, 0, 3) == 0 ? 0xffff : between(rng, 0, 9)));
    case 5: return Action::log();
    case 6: return Action::user_notif();
    default: {
      // libseccomp 2.5.4 refuses ERRNO(4095) (its limit is below the
      // kernel's), so 4094 is the largest boundary worth comparing.
      static const std::vector<std::uint16_t> errnos{0, 1, 1, 2, 13, 38, 4094};
      return Action::errno_(chance(rng, 0.8) ? pick(rng, errnos) : static_cast<std::uint16_t>(between(rng, 3, 4000)));
    }
  }
}

std::uint64_t random_value(std::mt19937_64& rng) {
  switch (between(rng, 0, 3)) {
    case 0: return kBoundaries[static_cast<std::size_t>(between(rng, 0, kBoundaries.size() - 1))];
    case 1: return static_cast<std::uint64_t>(between(rng, 0, 20));
    case 2: return rng();
    default: {
      // A small value in either word.
      std::uint64_t lo = static_cast<std::uint64_t>(between(rng, 0, 4));
      std::uint64_t hi = static_cast<std::uint64_t>(between(rng, 0, 2));
      return (hi << 32) | lo;
    }
  }
}

std::uint64_t random_mask(std::mt19937_64& rng) {
  static const std::vector<std::uint64_t> masks{0x1, 0x3, 0xff, 0xffffffff, 0xffffffff00000000, 0x100000001,
                                                ~std::uint64_t{0}, 0x0, 0x80000000, 0x8000000000000000};
  return chance(rng, 0.7) ? pick(rng, masks) : rng();
}

// Names present on every arch of the policy on which libseccomp and seccage
// agree, plus (for multiplexing arches) the socketcall/ipc families.
std::vector<std::string> candidate_names(const std::vector<Arch>& arches, bool multiplexed) {
  static const std::vector<std::string> common{"read", "write", "close", "openat", "mmap", "ioctl", "fcntl",
                                               "clone", "prctl", "kill", "futex", "lseek", "dup3"};
  static const std::vector<std::string> mux{"socket", "bind", "connect", "accept4", "sendto", "recvfrom",
                                            "socketpair", "semget", "semctl", "shmget", "shmat", "msgsnd",
                                            "socketcall", "ipc", "accept", "semop", "recvmmsg", "sendmmsg"};
  std::vector<std::string> out;
  for (const auto* list : {&common, &mux}) {
    if (list == &mux && !multiplexed) continue;
    for (const std::string& n : *list) {
      bool ok = std::all_of(arches.begin(), arches.end(), [&](Arch a) { return libseccomp_agrees(a, n); });
      bool somewhere = std::any_of(arches.begin(), arches.end(), [&](Arch a) {
        auto m = multiplexed_call(n);
        return syscall_number(a, n).has_value() || (m && syscall_number(a, m->via).has_value());
      });
      if (ok && somewhere) out.push_back(n);
    }
  }
  return out;
}

}  // namespace

Policy random_policy(std::mt19937_64& rng, const RandomPolicyOptions& options) {
  Policy p;
  p.arches = options.arches;
  p.default_action = random_action(rng);
  p.bad_arch_action = chance(rng, 0.5) ? Action::kill_process() : random_action(rng);
  p.enosys_for_unknown = chance(rng, 0.5);
  p.multiplex = options.multiplex;

  std::vector<std::string> names = candidate_names(options.arches, options.multiplexed);
  std::shuffle(names.begin(), names.end(), rng);
  names.resize(std::min<std::size_t>(names.size(), static_cast<std::size_t>(between(rng, 1, options.max_syscalls))));

  // A small pool of operands shared by the rules, so their comparisons meet.
  std::vector<std::uint64_t> pool;
  for (int i = between(rng, 1, 6); i > 0; --i) pool.push_back(random_value(rng));
  std::vector<std::uint64_t> masks;
  for (int i = between(rng, 1, 3); i > 0; --i) masks.push_back(random_mask(rng));
  // Few argument indexes per policy, also for overlap.
  std::vector<std::uint8_t> arg_pool(6);
  std::iota(arg_pool.begin(), arg_pool.end(), std::uint8_t{0});
  std::shuffle(arg_pool.begin(), arg_pool.end(), rng);
  arg_pool.resize(static_cast<std::size_t>(between(rng, 1, 6)));

  std::vector<Action> actions;
  for (int i = between(rng, 1, 4); i > 0; --i) actions.push_back(random_action(rng));

  for (int r = between(rng, 1, options.max_rules); r > 0; --r) {
    Rule rule;
    if (options.by_number && chance(rng, 0.15)) {
      rule.syscall = static_cast<std::uint32_t>(chance(rng, 0.5) ? between(rng, 0, 20) : between(rng, 1000, 1010));
    } else {
      rule.syscall = pick(rng, names);
    }
    rule.action = chance(rng, 0.8) ? pick(rng, actions) : random_action(rng);
    int want = chance(rng, 0.2) ? 0 : between(rng, 1, std::min<int>(options.max_conditions, static_cast<int>(arg_pool.size())));
    std::vector<std::uint8_t> args = arg_pool;
    std::shuffle(args.begin(), args.end(), rng);
    for (int c = 0; c < want; ++c) {
      Condition cond;
      cond.arg = args[static_cast<std::size_t>(c)];
      cond.op = static_cast<CmpOp>(between(rng, 0, 6));
      cond.value = chance(rng, 0.85) ? pick(rng, pool) : random_value(rng);
      if (cond.op == CmpOp::MaskedEq) {
        cond.mask = pick(rng, masks);
        // Usually a value inside the mask, sometimes not (libseccomp masks it).
        if (chance(rng, 0.8)) cond.value &= cond.mask;
      }
      rule.conditions.push_back(cond);
    }
    p.rules.push_back(std::move(rule));
  }
  return p;
}

std::vector<std::array<std::uint64_t, 6>> random_args(std::mt19937_64& rng, const Policy& policy, int count) {
  std::vector<std::uint64_t> consts;
  std::vector<std::uint64_t> masks;
  for (const Rule& r : policy.rules) {
    for (const Condition& c : r.conditions) {
      consts.push_back(c.value);
      if (c.op == CmpOp::MaskedEq) masks.push_back(c.mask);
    }
  }
  // Operands of the multiplexers' sub-calls, which land in args[0].
  for (const MultiplexedCall& m : multiplexed_calls()) consts.push_back(m.call);

  auto one = [&]() -> std::uint64_t {
    int kind = between(rng, 0, 9);
    if (!consts.empty() && kind <= 3) {
      std::uint64_t v = pick(rng, consts);
      switch (between(rng, 0, 6)) {
        case 0: return v + 1;
        case 1: return v - 1;
        case 2: return v ^ (std::uint64_t{1} << 32);             // other high word
        case 3: return (v & 0xffffffff00000000) | (rng() & 0xffffffff);  // same high word
        case 4: return (v & 0xffffffff) | (rng() << 32);          // same low word
        default: return v;
      }
    }
    if (!masks.empty() && kind == 4) {
      std::uint64_t m = pick(rng, masks);
      std::uint64_t v = consts.empty() ? 0 : pick(rng, consts);
      return (v & m) | (rng() & ~m);  // passes the masked test, other bits random
    }
    if (kind <= 7) return kBoundaries[static_cast<std::size_t>(between(rng, 0, kBoundaries.size() - 1))];
    return rng();
  };
  std::vector<std::array<std::uint64_t, 6>> out;
  out.push_back({});  // all zero
  while (static_cast<int>(out.size()) < count) {
    std::array<std::uint64_t, 6> a{};
    for (auto& v : a) v = one();
    out.push_back(a);
  }
  return out;
}

std::string describe(const Policy& policy) {
  std::string out = fmt::format("default {}, bad arch {}, arches", policy.default_action.to_string(),
                                policy.bad_arch_action.to_string());
  for (Arch a : policy.effective_arches()) out += fmt::format(" {}", arch_name(a));
  out += fmt::format(", enosys {}, multiplex {}\n", policy.enosys_for_unknown,
                     policy.multiplex == MultiplexMode::Safe ? "safe" : "compatible");
  for (std::size_t i = 0; i < policy.rules.size(); ++i) {
    const Rule& r = policy.rules[i];
    out += fmt::format("  [{}] {} {}", i, to_string(r.syscall), r.action.to_string());
    for (std::size_t c = 0; c < r.conditions.size(); ++c)
      out += (c == 0 ? " if " : " && ") + r.conditions[c].to_string();
    out += "\n";
  }
  return out;
}

}  // namespace seccage::test
