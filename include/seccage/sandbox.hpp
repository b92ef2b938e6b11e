// The sandbox runner: runs a program under a policy and resource limits, and
// reports every syscall the policy denied, with its arguments (docs/run.md).
//
// How it works, in one paragraph: the runner compiles a variant of the policy
// in which every denying action becomes USER_NOTIF (allowed syscalls stay in
// the kernel), starts the program with that filter, and supervises the
// listener: each notified call is re-evaluated against the original policy,
// recorded with its decoded arguments, and answered with the original action
// (an errno, or the death of the process). Where the kernel lacks user
// notification the plain filter is installed and only a kill is reported.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seccage/action.hpp"
#include "seccage/arch.hpp"
#include "seccage/policy.hpp"

namespace seccage::sandbox {

// ---------------------------------------------------------------------------
// What to run and how.

struct Limits {
  std::optional<double> cpu_seconds;      // --time: CPU time of the program (user+system)
  std::optional<double> wall_seconds;     // --wall-time: kills everything the program started
  std::optional<std::uint64_t> memory;    // --memory: bytes; a cgroup's limit, else address space (RLIMIT_AS)
  std::optional<std::uint64_t> stack;     // --stack: RLIMIT_STACK, bytes
  std::optional<std::uint64_t> fsize;     // --fsize: RLIMIT_FSIZE, bytes
  std::optional<std::uint64_t> nofile;    // --nofile: RLIMIT_NOFILE
  std::optional<std::uint64_t> nproc;     // --nproc: processes; a cgroup's pids.max, else RLIMIT_NPROC (per user; root is exempt)
  std::optional<std::uint64_t> output;    // --output: bytes the program may write to stdout+stderr
  bool core_dumps = false;                // RLIMIT_CORE is 1 unless set (0 would not stop a piped core_pattern)
};

enum class Mode : std::uint8_t {
  Enforce,     // the policy's actions apply
  Permissive,  // denied calls are reported and allowed (SECCOMP_USER_NOTIF_FLAG_CONTINUE)
};

// Learning (`seccage learn`, docs/learn.md): a recorder sees every syscall
// the program and its descendants make from its exec on. With one set, the
// runner installs a filter that notifies every call of every ABI instead of
// the policy's (the policy is then unused), and the supervisor hands each
// call to the recorder instead of classifying it. Nothing is enforced: the
// call runs as made (SECCOMP_USER_NOTIF_FLAG_CONTINUE) unless the recorder
// answers it with an errno.
class CallRecorder {
 public:
  virtual ~CallRecorder() = default;
  // Returns 0 to let the call run, or the errno (> 0) to fail it with.
  // Called on the runner's thread, one call at a time.
  virtual int record(std::uint32_t audit_arch, std::uint32_t nr, const std::array<std::uint64_t, 6>& args) = 0;
};

struct RunOptions {
  Policy policy;
  // Set: learning (see CallRecorder). Needs user notification; a run
  // without it fails with a SystemError report.
  CallRecorder* recorder = nullptr;
  std::vector<std::string> argv;  // argv[0] is searched in PATH when it has no '/'
  Limits limits;
  Mode mode = Mode::Enforce;
  bool audit_log = false;         // SECCOMP_FILTER_FLAG_LOG
  // Use user notification when the kernel has it (the default); false forces
  // the plain filter (a report without arguments), as on an old kernel.
  bool supervise = true;
  // Run the program in its own user, PID and mount namespaces with its own
  // /proc (docs/SECURITY.md). When the kernel refuses them the run goes on
  // without, and Report::isolation says so. False: never use them.
  bool namespaces = true;
  // Refuse to run (a SystemError, exit 125) rather than fall back to weaker
  // isolation when the kernel refuses the namespaces: a program of the same
  // user can use up its user-namespace count and so weaken a concurrent run.
  bool require_namespaces = false;

  bool env_clear = false;
  std::vector<std::pair<std::string, std::string>> env_set;
  std::string cwd;                          // empty: inherited
  std::string stdin_file, stdout_file, stderr_file;  // empty: inherited
  std::optional<std::uint32_t> uid, gid;    // dropped to in the child (needs root)

  // The program's stdout goes to seccage's stderr (unless stdout_file is
  // set): `--report -` keeps seccage's own stdout for the report alone.
  bool stdout_to_stderr = false;

  // Bytes of a string argument read from the process's memory; longer strings
  // are cut and marked with "...".
  std::size_t string_limit = 96;
  // Violations kept one by one in the report (later ones are counted in
  // Report::summary, not stored).
  std::size_t max_violations = 100;
  // What the policy was made from, as the report names it ("preset default",
  // "profile x.json, --kill write:arg0!=1").
  std::string policy_name;
};

// ---------------------------------------------------------------------------
// What happened.

enum class Verdict : std::uint8_t {
  Ok,             // exited with status 0, nothing denied
  RuntimeError,   // exited non-zero or died of a signal, nothing denied
  Violation,      // the policy denied at least one call (or killed the program)
  CpuTimeLimit,
  WallTimeLimit,
  MemoryLimit,
  OutputLimit,
  SystemError,    // seccage could not run the program
};
std::string_view to_string(Verdict verdict);  // "ok", "runtime_error", ...

// One argument of a denied call as the report shows it (docs/run.md).
struct DecodedArg {
  std::string name;        // the man page's ("pathname"), or "arg3" where the decoder has none
  std::uint64_t raw = 0;   // the register as the filter saw it
  std::string value;       // "\"/etc/passwd\"", "O_RDONLY|O_CLOEXEC", "{AF_INET, 127.0.0.1:80}"
};

struct Violation {
  std::string syscall;                 // the name, or "#NR" when the table has none
  std::uint32_t nr = 0;
  std::string arch;                    // "x86_64"
  std::int32_t pid = 0;                // thread group (process) id
  std::int32_t tid = 0;                // the calling thread
  std::array<std::uint64_t, 6> args{};
  bool args_known = true;              // false in the fallback without notification
  std::string decoded;                 // write(fd=2, buf="...", count=19)
  std::vector<DecodedArg> arguments;   // the same, per argument; empty when args_known is false
  Action action;                       // what the policy says
  std::string rule;                    // "write: arg0 != 1" or "default action"
  RuleOrigin origin;                   // Rule::origin, or named "default", "seccage", ... (docs/run.md)
  std::string outcome;                 // "killed", "errno EPERM", kLetThrough, ...
};

// The outcome of a call --permissive let through. Other calls of a
// permissive run (seccage's own guards) are still refused.
inline constexpr std::string_view kLetThrough = "allowed (permissive)";

// Every denied call of one kind (same syscall, rule, action and arch): how
// many, when, and the first one in full. Bounded by the number of distinct
// calls, however often a program repeats one.
struct CallSummary {
  std::string syscall;
  std::string arch;
  std::string rule;
  Action action;
  std::size_t count = 0;
  std::int64_t first_ms = 0;  // since the run started
  std::int64_t last_ms = 0;
  Violation example;          // the first one
};

// Why the program died of SIGSYS, when it did (docs/run.md, "Verdicts").
struct SigsysCause {
  // "policy_kill" (seccage carried out a kill of the policy), "policy_trap"
  // (a TRAP of the policy the program did not handle), "own_filter" (a filter
  // the program installed), "signal" (a process sent it), "uncertain" (more
  // than one of these could have; `detail` names them), "unknown".
  std::string cause;
  std::string detail;
};

// A seccomp filter the program installed itself (docs/run.md, "Stacked filters").
struct OwnFilter {
  std::int32_t pid = 0;
  std::string call;                   // "seccomp" or "prctl"
  std::int64_t time_ms = 0;
  std::size_t instructions = 0;       // 0 when the filter could not be read
  // Syscalls the policy kills that this filter answers with an errno or a
  // trap: the kernel ranks those above seccage's notification, so such a call
  // is answered by the program's filter and never reaches seccage.
  std::vector<std::string> outranks_kills;
  bool exact = true;                  // false: the filter reads arguments, so "may answer"
};

// How the run was contained (docs/SECURITY.md).
struct Isolation {
  std::vector<std::string> namespaces;  // "user", "pid", "mount": the ones the program ran in
  std::string cgroup;                   // "v1", "v2", or "" when none was used
  std::string accounting;               // "cgroup" or "rlimits": how CPU, memory and processes were counted
  std::vector<std::string> notes;       // what was weaker than the default, and why
};

struct Report {
  Verdict verdict = Verdict::SystemError;
  int exit_code = -1;   // the program's exit status, -1 when it died of a signal
  int signal = 0;       // the signal it died of (SIGSYS for a policy kill), 0 if none
  int status = 125;     // what `seccage run` exits with (docs/run.md)
  std::int64_t cpu_time_ms = 0;
  std::int64_t wall_time_ms = 0;
  std::int64_t memory_kb = 0;          // peak resident set size
  bool supervised = false;             // user notification was used
  bool permissive = false;
  std::vector<Violation> violations;   // denied calls, first max_violations
  std::size_t violation_count = 0;     // all of them
  std::vector<CallSummary> summary;    // one entry per distinct denied call, in order of first appearance
  std::string policy;                  // RunOptions::policy_name
  std::optional<SigsysCause> sigsys;   // set when the program died of SIGSYS
  // ENOSYS answers (syscalls newer than the table, clone3 in the default
  // preset): denials meant to make libc fall back, kept apart so that a
  // program that runs fine reports no violation.
  std::vector<Violation> fallbacks;
  std::size_t fallback_count = 0;
  std::string error;                   // seccage's own failure, for system_error
  std::string program;                 // the resolved path
  Isolation isolation;
  // Filters the program installed itself (seccomp(2), PR_SET_SECCOMP): the
  // kernel lets their ERRNO and TRAP answers outrank seccage's supervision.
  std::size_t own_filters = 0;
  std::vector<OwnFilter> own_filter_list;  // the first max_violations of them
};

// Exit statuses of seccage's own failures (the program's status otherwise).
inline constexpr int kStatusFailed = 125;      // seccage failed before the program ran
inline constexpr int kStatusCannotExec = 126;  // found but not executable
inline constexpr int kStatusNotFound = 127;    // not found

// Runs the program to its end and returns what happened. Never throws for a
// failure to start the program (that is a Report with SystemError); throws
// InputError for an invalid policy or options.
//
// Process-wide effects while it runs: the calling thread blocks SIGCHLD,
// SIGINT, SIGTERM, SIGHUP and SIGTTOU (and forwards SIGINT, SIGTERM and
// SIGHUP to the program, with a SIGCONT; a second one ends the run); SIGPIPE
// is ignored; the process is made non-dumpable, so that no process of the
// same user can trace it or open its memory, and stays so. The signal
// settings are restored on return.
Report run(const RunOptions& options);

// The report as JSON (docs/run.md lists the fields) and as one human line per
// violation plus a summary line.
std::string to_json(const Report& report);
std::string summary(const Report& report);

}  // namespace seccage::sandbox
