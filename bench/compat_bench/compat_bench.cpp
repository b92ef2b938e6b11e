// The drop-in against Debian's libseccomp, in one process and one run: both
// libraries are opened with dlopen and driven through the same C API calls,
// as a container runtime drives libseccomp when a container starts:
//
//   build+export  seccomp_init, the attributes, one seccomp_rule_add_array
//                 per rule of Docker's default profile (names resolved with
//                 seccomp_syscall_resolve_name, as runc and crun do), and
//                 seccomp_export_bpf_mem/seccomp_export_bpf to a memfd
//   export        seccomp_export_bpf alone, from a context built once
//   build+load    the first step, then seccomp_load in a forked child (the
//                 fork and wait are timed too, and are the same for both)
//
// Prints the median of each over --runs runs (default 51) and the ratio;
// then build+export again with the two libraries alternating run by run,
// and the median of each pair's ratio (steadier on a shared machine).
//
// Last, the cases that end in the kernel, alternating the libraries, each
// run in a new thread (the libraries warm) and then in a fresh process (this
// program run again: what a runtime pays at a container's start, the
// library opened and the profile read untimed): seccomp_init + the rules +
// seccomp_load, timed in the thread or process the filter then binds; the
// same with seccomp_export_bpf instead of the load (the library's own work);
// the kernel's install of each library's program alone (the seccomp(2)
// call); and of a one-instruction filter, the floor no library's load can
// go below.
// Usage: compat_bench <libseccomp.so.2> <libseccage-compat.so> <docker-default.json> [runs]
// (COMPAT_BENCH_ARCHES=amd64: x86 and x32 added too, as runc and crun do.)
// (COMPAT_BENCH_PROFILE=N in the environment: the drop-in's build + export
// alone, N times, to profile it; with COMPAT_BENCH_ALTERNATE=1 too, each
// after a libseccomp build + export, as in the alternating row.)
#include <dlfcn.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/core.h>

#include "seccage/load_policy.hpp"

namespace {

using Ctx = void*;
struct Cmp {
  unsigned arg;
  int op;
  std::uint64_t a, b;
};

// The part of the API the benchmark calls, from one library.
struct Api {
  void* handle = nullptr;
  Ctx (*init)(std::uint32_t);
  void (*release)(Ctx);
  int (*rule_add_array)(Ctx, std::uint32_t, int, unsigned, const Cmp*);
  int (*resolve_name)(const char*);
  int (*export_bpf)(Ctx, int);
  int (*load)(Ctx);
  int (*attr_set)(Ctx, int, std::uint32_t);
  int (*arch_add)(Ctx, std::uint32_t);

  explicit Api(const std::string& path) {
    handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) throw std::runtime_error(dlerror());
    bind(init, "seccomp_init");
    bind(release, "seccomp_release");
    bind(rule_add_array, "seccomp_rule_add_array");
    bind(resolve_name, "seccomp_syscall_resolve_name");
    bind(export_bpf, "seccomp_export_bpf");
    bind(load, "seccomp_load");
    bind(attr_set, "seccomp_attr_set");
    bind(arch_add, "seccomp_arch_add");
  }
  template <typename F>
  void bind(F& f, const char* name) {
    f = reinterpret_cast<F>(dlsym(handle, name));
    if (!f) throw std::runtime_error(fmt::format("{} lacks {}", "library", name));
  }
};

struct ScmpRule {
  std::string name;
  std::uint32_t action;
  std::vector<Cmp> conds;
};

int scmp_op(seccage::CmpOp op) {
  switch (op) {
    case seccage::CmpOp::NE: return 1;
    case seccage::CmpOp::LT: return 2;
    case seccage::CmpOp::LE: return 3;
    case seccage::CmpOp::EQ: return 4;
    case seccage::CmpOp::GE: return 5;
    case seccage::CmpOp::GT: return 6;
    case seccage::CmpOp::MaskedEq: return 7;
  }
  return 0;
}

struct Profile {
  std::uint32_t default_action;
  std::vector<ScmpRule> rules;
  std::vector<std::uint32_t> extra_arches;  // SCMP_ARCH_* added after seccomp_init
};

// COMPAT_BENCH_ARCHES=amd64 in the environment (children inherit it): the
// filter also covers x86 and x32, as runc and crun build Docker's profile on
// amd64 (its archMap); otherwise x86_64 alone.
bool amd64_arches() {
  const char* v = std::getenv("COMPAT_BENCH_ARCHES");
  return v != nullptr && std::string(v) == "amd64";
}

Profile docker_profile(const std::string& path) {
  seccage::PolicyLoadOptions options;
  options.arches = {seccage::native_arch()};
  if (amd64_arches()) options.arches = {seccage::Arch::x86_64, seccage::Arch::i386, seccage::Arch::x32};
  const seccage::Policy policy = seccage::load_policy_file(path, options).policy;
  Profile p{policy.default_action.to_ret(), {}, {}};
  if (amd64_arches()) p.extra_arches = {0x40000003u /* SCMP_ARCH_X86 */, 0x4000003eu /* SCMP_ARCH_X32 */};
  for (const seccage::Rule& r : policy.rules) {
    ScmpRule s{seccage::to_string(r.syscall), r.action.to_ret(), {}};
    for (const seccage::Condition& c : r.conditions) {
      const bool masked = c.op == seccage::CmpOp::MaskedEq;
      s.conds.push_back({c.arg, scmp_op(c.op), masked ? c.mask : c.value, masked ? c.value : 0});
    }
    p.rules.push_back(std::move(s));
  }
  return p;
}

Ctx build(const Api& api, const Profile& profile) {
  Ctx ctx = api.init(profile.default_action);
  for (std::uint32_t arch : profile.extra_arches) api.arch_add(ctx, arch);
  for (const ScmpRule& r : profile.rules) {
    const int nr = api.resolve_name(r.name.c_str());
    if (nr == -1) continue;  // unknown to this library: runc skips it too
    // Refusals (-EACCES for the default's action, ...) are ignored, as runc does.
    api.rule_add_array(ctx, r.action, nr, static_cast<unsigned>(r.conds.size()), r.conds.data());
  }
  return ctx;
}

void export_to(const Api& api, Ctx ctx, int fd) {
  ::lseek(fd, 0, SEEK_SET);
  if (api.export_bpf(ctx, fd) != 0) throw std::runtime_error("export failed");
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <typename F>
double time_us(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
}

struct Figures {
  double build_export, export_only, build_load;
};

Figures measure(const Api& api, const Profile& profile, int runs, int fd) {
  std::vector<double> be, ex, bl;
  Ctx once = build(api, profile);
  // One loop per case, the forking one last: after a fork every page of the
  // parent is copy-on-write, and the next writes to the heap fault, which
  // would charge the next case for the previous one's fork.
  for (int i = 0; i < runs; ++i) {
    be.push_back(time_us([&] {
      Ctx ctx = build(api, profile);
      export_to(api, ctx, fd);
      api.release(ctx);
    }));
  }
  for (int i = 0; i < runs; ++i) ex.push_back(time_us([&] { export_to(api, once, fd); }));
  for (int i = 0; i < runs; ++i) {
    bl.push_back(time_us([&] {
      Ctx ctx = build(api, profile);
      pid_t pid = fork();
      if (pid == 0) _exit(api.load(ctx) == 0 ? 0 : 1);
      int status = 0;
      waitpid(pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("load failed in the child");
      api.release(ctx);
    }));
  }
  api.release(once);
  return {median(be), median(ex), median(bl)};
}

// The build + export case with the two libraries alternating, run by run:
// under other load a burst that lands in one library's loop of its own moves
// that library's median alone, and so the ratio; here each libseccomp run
// sits next to a drop-in run, and the median of the pairs' ratios is what a
// burst hardly moves.
struct Interleaved {
  double a, b, ratio;
};

Interleaved interleaved(const Api& a, const Api& b, const Profile& profile, int runs, int fd) {
  std::vector<double> ta, tb, ratios;
  auto once = [&](const Api& api) {
    return time_us([&] {
      Ctx ctx = build(api, profile);
      export_to(api, ctx, fd);
      api.release(ctx);
    });
  };
  for (int i = 0; i < runs; ++i) {
    ta.push_back(once(a));
    tb.push_back(once(b));
    ratios.push_back(ta.back() / tb.back());
  }
  return {median(ta), median(tb), median(ratios)};
}

// --- One run in a fresh process ---------------------------------------------

// The seccomp(2) install of `program` in this process, timed; the process is
// bound by the filter afterwards (it only writes its figure and exits, which
// every filter here allows).
double install_us(const std::vector<sock_filter>& program) {
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) throw std::runtime_error("PR_SET_NO_NEW_PRIVS failed");
  sock_fprog fprog{static_cast<unsigned short>(program.size()), const_cast<sock_filter*>(program.data())};
  return time_us([&] {
    if (::syscall(SYS_seccomp, 1 /* SECCOMP_SET_MODE_FILTER */, 0, &fprog) != 0)
      throw std::runtime_error(fmt::format("seccomp: {}", std::strerror(errno)));
  });
}

std::vector<sock_filter> exported(const Api& api, const Profile& profile) {
  const int fd = memfd_create("compat-bench-program", MFD_CLOEXEC);
  Ctx ctx = build(api, profile);
  export_to(api, ctx, fd);
  api.release(ctx);
  std::vector<sock_filter> program(static_cast<std::size_t>(::lseek(fd, 0, SEEK_END)) / sizeof(sock_filter));
  if (::pread(fd, program.data(), program.size() * sizeof(sock_filter), 0) < 0) throw std::runtime_error("pread");
  ::close(fd);
  return program;
}

// One timed run of a case that ends in the kernel (MODE): build-load (the
// whole start: init, rules, seccomp_load), build-export (the library's own
// work, no install), install (the kernel's install of the library's
// program, built untimed) or floor (of a one-instruction filter). The
// calling thread is bound by the filter afterwards.
double timed_case(const std::string& mode, const Api& api, const Profile& profile) {
  if (mode == "floor") {
    const std::vector<sock_filter> allow_all{{0x06 /* BPF_RET|BPF_K */, 0, 0, 0x7fff0000u /* ALLOW */}};
    return install_us(allow_all);
  }
  if (mode == "install") return install_us(exported(api, profile));
  if (mode == "build-export") {
    const int fd = memfd_create("compat-bench-program", MFD_CLOEXEC);
    Ctx ctx = nullptr;
    const double us = time_us([&] {
      ctx = build(api, profile);
      export_to(api, ctx, fd);
    });
    api.release(ctx);
    ::close(fd);
    return us;
  }
  Ctx ctx = nullptr;
  const double us = time_us([&] {
    ctx = build(api, profile);
    if (api.load(ctx) != 0) throw std::runtime_error("seccomp_load failed");
  });
  api.release(ctx);
  return us;
}

const char* const kKernelCases[] = {"build-load", "build-export", "install", "floor"};

// The child's side: `compat_bench --once MODE LIB PROFILE`: the library
// opened and the profile read untimed, then one timed_case. Prints
// microseconds.
int run_once(const std::string& mode, const char* lib, const char* profile_path) {
  const Api api(lib);
  const Profile profile = docker_profile(profile_path);
  std::printf("%.3f\n", timed_case(mode, api, profile));
  return 0;
}

// One timed_case in a new thread of this process (the libraries and the
// heap warm): the filter binds only that thread, which then ends.
double in_new_thread(const std::string& mode, const Api& api, const Profile& profile) {
  double us = 0;
  std::exception_ptr failure;
  std::thread([&] {
    try {
      us = timed_case(mode, api, profile);
    } catch (...) {
      failure = std::current_exception();
    }
  }).join();
  if (failure) std::rethrow_exception(failure);
  return us;
}

// Runs this program again as `--once MODE LIB PROFILE` and reads its figure.
double fresh_process(const std::string& mode, const char* lib, const char* profile_path) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  const pid_t pid = fork();
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    const char* argv[] = {"compat_bench", "--once", mode.c_str(), lib, profile_path, nullptr};
    ::execv("/proc/self/exe", const_cast<char* const*>(argv));
    _exit(127);
  }
  ::close(out[1]);
  char buf[64] = {};
  const ssize_t n = ::read(out[0], buf, sizeof buf - 1);
  ::close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (n <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(fmt::format("the fresh-process run '{}' of {} failed", mode, lib));
  return std::strtod(buf, nullptr);
}

// Each kernel case with the two libraries alternating run by run, `one`
// running a case of a library (a path for a fresh process, an Api for a
// thread); the floor's figure is in both columns.
template <typename Run>
std::vector<Interleaved> kernel_cases(Run&& one, int runs) {
  std::vector<Interleaved> out;
  for (const char* mode : kKernelCases) {
    std::vector<double> ta, tb, ratios;
    for (int i = 0; i < runs; ++i) {
      ta.push_back(one(mode, 0));
      tb.push_back(one(mode, 1));
      ratios.push_back(ta.back() / tb.back());
    }
    out.push_back({median(ta), median(tb), median(ratios)});
  }
  return out;
}

void print_kernel_cases(const char* title, const std::vector<Interleaved>& rows, int runs) {
  std::printf("%s (median of %d, alternating; ratio: median of the pairs')\n", title, runs);
  const char* names[] = {"  init + rules + load", "  init + rules + export_bpf", "  the kernel's install of its program"};
  for (std::size_t i = 0; i < 3; ++i) std::printf("%-36s %10.1f %12.1f %7.1fx\n", names[i], rows[i].a, rows[i].b, rows[i].ratio);
  const double floor = (rows[3].a + rows[3].b) / 2;
  std::printf("%-36s %10.1f   (so no library's init + rules + load can beat libseccomp's by more than %.1fx)\n",
              "  a one-instruction filter's install", floor, rows[0].a / floor);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "--once") {
    try {
      return run_once(argv[2], argv[3], argv[4]);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "compat_bench --once: %s\n", e.what());
      return 1;
    }
  }
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s <libseccomp.so.2> <libseccage-compat.so> <docker-default.json> [runs]\n", argv[0]);
    return 2;
  }
  try {
    const int runs = argc > 4 ? std::atoi(argv[4]) : 51;
    const Api libseccomp(argv[1]);
    const Api compat(argv[2]);
    const Profile profile = docker_profile(argv[3]);
    const int fd = memfd_create("compat-bench", MFD_CLOEXEC);
    // COMPAT_BENCH_PROFILE=N: only the drop-in's build + export, N times, for
    // a profiler (perf record) to see that case alone.
    if (const char* n = std::getenv("COMPAT_BENCH_PROFILE")) {
      const bool alternate = std::getenv("COMPAT_BENCH_ALTERNATE") != nullptr;
      for (int i = 0, count = std::atoi(n); i < count; ++i) {
        if (alternate) {
          Ctx other = build(libseccomp, profile);
          export_to(libseccomp, other, fd);
          libseccomp.release(other);
        }
        Ctx ctx = build(compat, profile);
        export_to(compat, ctx, fd);
        compat.release(ctx);
      }
      return 0;
    }
    // Each library in turn, after a warm-up of its own.
    measure(libseccomp, profile, 3, fd);
    const Figures a = measure(libseccomp, profile, runs, fd);
    measure(compat, profile, 3, fd);
    const Figures b = measure(compat, profile, runs, fd);
    std::printf("Docker default profile, %zu rules, %s, median of %d runs (microseconds)\n", profile.rules.size(),
                amd64_arches() ? "x86_64 + x86 + x32 (runc's and crun's amd64)" : "x86_64", runs);
    std::printf("%-34s %12s %12s %8s\n", "case", "libseccomp", "compat", "ratio");
    auto row = [](const char* name, double x, double y) { std::printf("%-34s %12.1f %12.1f %7.1fx\n", name, x, y, x / y); };
    row("init + rules + export_bpf", a.build_export, b.build_export);
    row("export_bpf alone", a.export_only, b.export_only);
    row("init + rules + load (in a child)", a.build_load, b.build_load);
    // After the forking cases: the copy-on-write faults they leave behind
    // hit both libraries' first runs here alike.
    interleaved(libseccomp, compat, profile, 3, fd);
    const Interleaved in = interleaved(libseccomp, compat, profile, runs, fd);
    std::printf("%-34s %12.1f %12.1f %7.1fx  (median of the %d pairs' ratios)\n", "init+rules+export, alternating", in.a,
                in.b, in.ratio, runs);
    // The cases that end in seccomp(2), whose filter binds the thread that
    // installs it: in a new thread each run, then in a fresh process each
    // run, as a runtime starts (its first and only build).
    const Api* apis[] = {&libseccomp, &compat};
    print_kernel_cases("In a new thread each run",
                       kernel_cases([&](const char* mode, int lib) { return in_new_thread(mode, *apis[lib], profile); }, runs),
                       runs);
    const char* paths[] = {argv[1], argv[2]};
    print_kernel_cases("In a fresh process each run",
                       kernel_cases([&](const char* mode, int lib) { return fresh_process(mode, paths[lib], argv[3]); }, runs),
                       runs);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "compat_bench: %s\n", e.what());
    return 1;
  }
}
