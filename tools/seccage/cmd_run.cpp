// seccage run: run a program under a policy and limits, naming every syscall
// the policy denies (docs/run.md).
#include <signal.h>
#include <unistd.h>

#include <chrono>

#include <cstdio>
#include <optional>
#include <memory>

#include <fmt/core.h>

#include "command.hpp"
#include "policy_input.hpp"
#include "program_options.hpp"
#include "seccage/error.hpp"
#include "seccage/io_uring_guard.hpp"
#include "seccage/sandbox.hpp"
#include "syntax/rule_options.hpp"
#include "syntax/units.hpp"
#include "seccage/bounded_write.hpp"
#include "seccage/safe_path.hpp"

namespace seccage::cli {
namespace run_command {  // one per command: tools/seccage is built as one unity source
namespace {

struct RunArgs {
  PolicyInput input;
  std::vector<std::string> allow, deny, kill, trap, log, errno_;
  // The rule options again, as (option, text) in command-line order: a later
  // option wins where it overlaps an earlier one, as later statements do in
  // the text language.
  std::vector<std::pair<std::string, std::string>> rule_options;
  std::string default_action;
  std::string time, wall_time, memory, stack, fsize, output;
  std::string nofile, nproc;
  bool core = false;
  std::string report;
  std::string max_violations;
  bool permissive = false, audit_log = false, no_notify = false, quiet = false;
  std::string stdout_file, stderr_file;
  ProgramArgs program;
};

// seccage's own lines and reports: never waiting more than this on a reader.
constexpr std::chrono::milliseconds kOutputBudget{500};

void say(const std::string& text) {
  std::fflush(stderr);
  write_bounded(2, text, kOutputBudget);
}

int run_command(const RunArgs& a) {
  // A closed stdout or stderr is an EPIPE to seccage, never its death: the
  // report still has to be written.
  ::signal(SIGPIPE, SIG_IGN);
  if (a.program.command.empty()) throw InputError("no program to run: seccage run [OPTIONS] -- PROGRAM [ARGS...]");
  sandbox::RunOptions o;

  if (a.permissive && a.no_notify)
    throw InputError("--permissive needs user notification: without it seccage cannot let a denied call through "
                     "and report it (the kernel carries out the policy's action itself); drop --no-notify");
  // The policy: a profile or preset, or only --default; then the rule options.
  // With none of them, the `default` preset.
  const bool have_rules = !a.allow.empty() || !a.deny.empty() || !a.kill.empty() || !a.trap.empty() ||
                          !a.log.empty() || !a.errno_.empty();
  PolicyInput input = a.input;
  std::string policy_name;
  if (input.profile.empty() && input.preset.empty() && a.default_action.empty() && !have_rules) input.preset = "default";
  if (!input.profile.empty()) policy_name = "profile " + input.profile;
  else if (!input.preset.empty()) policy_name = "preset " + input.preset;
  else policy_name = "--default " + a.default_action;
  if (!input.profile.empty() || !input.preset.empty()) {
    LoadedPolicy loaded = load_policy(input);
    for (const auto& w : loaded.warnings) fmt::print(stderr, "seccage: warning: {}\n", w);
    o.policy = std::move(loaded.policy);
    if (!a.default_action.empty()) policy_name += ", --default " + a.default_action;
  } else if (!a.default_action.empty() || have_rules) {
    if (a.default_action.empty())
      throw InputError("rule options need a base: give --default ACTION (e.g. --default allow), --preset or --profile");
    for (const auto& arch : a.input.arches) o.policy.arches.push_back(parse_arch_or_throw(arch));
    o.policy.multiplex = a.input.compatible_multiplex ? MultiplexMode::Compatible : MultiplexMode::Safe;
  }
  if (!a.default_action.empty()) o.policy.default_action = cli::parse_default_action(a.default_action);
  std::vector<Rule> added;
  const std::vector<Arch> arches = o.policy.effective_arches();
  for (const auto& [option, text] : a.rule_options) {
    std::vector<Rule> r;
    if (option == "--deny" || option == "--errno") r = cli::parse_deny_option(option, text, arches);
    else if (option == "--allow") r = cli::parse_rule_option(option, text, Action::allow(), arches);
    else if (option == "--kill") r = cli::parse_rule_option(option, text, Action::kill_process(), arches);
    else if (option == "--trap") r = cli::parse_rule_option(option, text, Action::trap(), arches);
    else r = cli::parse_rule_option(option, text, Action::log(), arches);
    added.insert(added.end(), r.begin(), r.end());
    policy_name += fmt::format(", {} {}", option, text);
  }
  o.policy_name = policy_name;
  const bool io_uring_by_name = cli::overlay_rules(o.policy, added);
  if (!a.default_action.empty()) guard_io_uring(o.policy, io_uring_by_name);  // a new default may deny
  validate(o.policy);

  auto& l = o.limits;
  if (!a.time.empty()) l.cpu_seconds = cli::parse_duration(a.time);
  if (!a.wall_time.empty()) l.wall_seconds = cli::parse_duration(a.wall_time);
  if (!a.memory.empty()) l.memory = cli::parse_size(a.memory);
  if (!a.stack.empty()) l.stack = cli::parse_size(a.stack);
  if (!a.fsize.empty()) l.fsize = cli::parse_size(a.fsize);
  if (!a.output.empty()) l.output = cli::parse_size(a.output);
  if (!a.nofile.empty()) l.nofile = parse_count("--nofile", a.nofile);
  if (!a.nproc.empty()) l.nproc = parse_count("--nproc", a.nproc);
  l.core_dumps = a.core;

  if (!a.max_violations.empty()) o.max_violations = parse_count("--max-violations", a.max_violations);
  o.mode = a.permissive ? sandbox::Mode::Permissive : sandbox::Mode::Enforce;
  // seccage's stdout is the report's alone: the program's goes to stderr.
  o.stdout_to_stderr = a.report == "-";
  o.audit_log = a.audit_log;
  o.supervise = !a.no_notify;
  apply_program_options(a.program, o);
  o.stdout_file = a.stdout_file;
  o.stderr_file = a.stderr_file;
  if (::geteuid() == 0 && !o.uid) {
    say("seccage: note: the program runs as root: seccomp cannot stop root from using what the policy allows "
        "(reading and writing any file the policy lets it open, changing owners and modes, signalling its own "
        "processes); add --user to drop privileges\n");
  }

  // The report's file is checked and its directory pinned before the
  // program runs: a path that cannot be written fails now (125), and
  // nothing the program does to the path changes where the report goes.
  std::optional<PreparedOutput> report_file;
  if (!a.report.empty() && a.report != "-") {
    try {
      report_file.emplace(PreparedOutput::prepare(a.report));
    } catch (const SystemError& e) {
      fmt::print(stderr, "seccage: --report: {}\n", e.what());
      return sandbox::kStatusFailed;
    }
  }

  const sandbox::Report report = sandbox::run(o);

  // Files first, then the terminal: a stderr nobody reads must not keep the
  // report from being written.
  int status = report.status;
  if (report_file) {
    try {
      report_file->commit(sandbox::to_json(report));
    } catch (const SystemError& e) {
      fmt::print(stderr, "seccage: cannot write the report: {}\n", e.what());
      if (status == 0) status = sandbox::kStatusFailed;
    }
  } else if (a.report == "-") {
    std::fflush(stdout);
    write_bounded(1, sandbox::to_json(report), kOutputBudget);
  }
  std::string text;
  // Without a cgroup --nproc is RLIMIT_NPROC alone, which root ignores (a
  // cgroup's pids.max binds everyone).
  if (l.nproc && ::geteuid() == 0 && (!o.uid || *o.uid == 0) && report.isolation.accounting != "cgroup")
    text += "seccage: warning: --nproc was RLIMIT_NPROC alone (no cgroup), which does not bind root; add --user\n";
  for (const std::string& note : report.isolation.notes) text += fmt::format("seccage: note: {} (docs/SECURITY.md)\n", note);
  if (!a.quiet || report.verdict != sandbox::Verdict::Ok) text += sandbox::summary(report);
  say(text);
  return status;
}

// The rule options in the order they were given. CLI11 fills one vector per
// option and records each occurrence in parse_order(); every occurrence
// carries one value (allow_extra_args(false)).
std::vector<std::pair<std::string, std::string>> rule_options_in_order(const CLI::App& app, const RunArgs& a) {
  const std::pair<const char*, const std::vector<std::string>*> lists[] = {
      {"--allow", &a.allow}, {"--deny", &a.deny}, {"--kill", &a.kill},
      {"--trap", &a.trap},   {"--log", &a.log},   {"--errno", &a.errno_}};
  std::size_t used[std::size(lists)] = {};
  std::vector<std::pair<std::string, std::string>> out;
  for (const CLI::Option* opt : app.parse_order()) {
    for (std::size_t i = 0; i < std::size(lists); ++i) {
      if (opt->get_name() != lists[i].first || used[i] >= lists[i].second->size()) continue;
      out.emplace_back(lists[i].first, (*lists[i].second)[used[i]++]);
    }
  }
  // Anything parse_order() did not list (it should list all) keeps the
  // order of the lists, after the rest.
  for (std::size_t i = 0; i < std::size(lists); ++i)
    for (; used[i] < lists[i].second->size(); ++used[i]) out.emplace_back(lists[i].first, (*lists[i].second)[used[i]]);
  return out;
}

const CommandRegistration registration{
    "run", "Run a program under a policy and resource limits, reporting every denied syscall", [](CLI::App& sub) {
      auto a = std::make_shared<RunArgs>();
      sub.add_option("--profile", a->input.profile, "an OCI/Docker/Podman JSON seccomp profile ('-' for stdin)");
      add_policy_options(sub, a->input);
      // One value per --arch here: a list would run on past `--` and move the
      // program's own options (`sh -c ...`) behind its other words.
      sub.get_option("--arch")->allow_extra_args(false);
      sub.add_option("--allow", a->allow, "allow syscalls: NAME[,NAME...] or NAME:COND[,COND...] (repeatable)")->allow_extra_args(false);
      sub.add_option("--deny", a->deny,
                     "fail syscalls with an errno: NAME[:COND,...][:ERRNO], ERRNO a name or number, EPERM by default "
                     "(e.g. execve:EPERM; repeatable)")->allow_extra_args(false);
      sub.add_option("--kill", a->kill, "kill the process at these syscalls: NAME[:COND,...], COND like arg0!=1, "
                                        "arg1>=5, arg2&0x4==0 (repeatable)")->allow_extra_args(false);
      sub.add_option("--trap", a->trap, "raise SIGSYS at these syscalls, as the kernel's TRAP does (a handler sees "
                                        "SYS_SECCOMP): NAME[:COND,...] (repeatable)")->allow_extra_args(false);
      sub.add_option("--log", a->log, "let these syscalls run and log them (SECCOMP_RET_LOG): NAME[:COND,...] "
                                      "(repeatable)")->allow_extra_args(false);
      sub.add_option("--errno", a->errno_, "fail these syscalls with an errno, as --deny: NAME[:COND,...][:ERRNO] "
                                           "(repeatable)")->allow_extra_args(false);
      sub.add_option("--default", a->default_action,
                     "the action for syscalls no rule names: allow, kill, kill-thread, trap, log, EPERM, errno(13)...");
      auto* limits = sub.add_option_group("limits", "durations: 1.5, 500ms, 2s, 1m; sizes: 4096, 64K, 64M, 1G");
      limits->add_option("--time", a->time, "CPU time limit");
      limits->add_option("--wall-time", a->wall_time, "wall-clock limit; kills the whole process group");
      limits->add_option("--memory", a->memory, "address-space limit (RLIMIT_AS); peak RSS is reported");
      limits->add_option("--stack", a->stack, "stack size limit");
      limits->add_option("--fsize", a->fsize, "largest file the program may write");
      limits->add_option("--nofile", a->nofile, "open file descriptors");
      limits->add_option("--nproc", a->nproc, "processes of the (dropped-to) user, RLIMIT_NPROC");
      limits->add_option("--output", a->output, "bytes the program may write to stdout and stderr together");
      limits->add_flag("--core", a->core, "allow core dumps (off by default)");
      sub.add_option("--report", a->report,
                     "write the JSON report to FILE; '-': to stdout, which then carries the report alone (the "
                     "program's stdout goes to stderr unless --stdout FILE)");
      sub.add_option("--max-violations", a->max_violations,
                     "denied calls kept one by one in the report (default 100; the rest are counted in its summary)");
      sub.add_flag("--permissive", a->permissive, "allow and report what the policy would deny (complain mode)");
      sub.add_flag("--audit-log", a->audit_log, "set SECCOMP_FILTER_FLAG_LOG (the kernel logs every non-allow action)");
      sub.add_flag("--no-notify", a->no_notify,
                   "install the plain filter without a supervisor (as on kernels without user notification)");
      sub.add_flag("--quiet,-q", a->quiet, "no summary line when the run is ok");
      sub.add_option("--stdout", a->stdout_file, "write stdout to FILE");
      sub.add_option("--stderr", a->stderr_file, "write stderr to FILE");
      add_program_options(sub, a->program);
      sub.footer(
          "Exit status: the program's; 128+N if it died of signal N (159 = SIGSYS, a policy kill);\n"
          "125 seccage failed before the program ran; 126 cannot execute; 127 not found; 2 bad arguments.\n"
          "Without --profile, --preset, --default or a rule option the policy is the `default` preset.\n"
          "Example: seccage run --default allow --kill 'write:arg0!=1' -- ./prog");
      CLI::App* app = &sub;
      return [a, app] {
        take_program_words(*app, a->program);
        a->rule_options = rule_options_in_order(*app, *a);
        return run_command(*a);
      };
    }};

}  // namespace
}  // namespace run_command
}  // namespace seccage::cli
