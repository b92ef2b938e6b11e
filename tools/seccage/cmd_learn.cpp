// seccage learn: the smallest profile a program needs, from watching it run;
// and the two ways to grow one: merging profiles of several runs, and adding
// what a `seccage run` report shows denied (docs/learn.md).
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include <fmt/core.h>

#include "command.hpp"
#include "seccage/error.hpp"
#include "seccage/learn.hpp"
#include "seccage/load_policy.hpp"
#include "seccage/sandbox.hpp"
#include "syntax/units.hpp"
#include "policy_input.hpp"
#include "program_options.hpp"
#include "seccage/safe_path.hpp"

namespace seccage::cli {
namespace learn_command {  // one per command: tools/seccage is built as one unity source
namespace {

using learn::NamedPolicy;

struct LearnArgs {
  std::string output, format = "oci", counts, max_values;
  bool append = false, quiet = false;
  std::vector<std::string> merge;
  std::string from_report, profile;
  std::string wall_time;
  ProgramArgs program;
};

// Where a document goes: checked (and its directory pinned) before anything
// runs, written whole at the end, so a failure never leaves half a file.
struct Destination {
  std::optional<PreparedOutput> file;  // empty: standard output
  std::string name;
  static Destination prepare(const std::string& path, const char* option) {
    Destination d;
    d.name = path.empty() || path == "-" ? "standard output" : path;
    if (path.empty() || path == "-") return d;
    try {
      d.file.emplace(PreparedOutput::prepare(path));
    } catch (const SystemError& e) {
      // A path that cannot be written is a bad argument: nothing has run.
      throw InputError(fmt::format("{}: {}", option, e.what()));
    }
    return d;
  }
  void write(const std::string& text) {
    if (file) {
      file->commit(text);
      return;
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  }
};

NamedPolicy load_named(const std::string& path) {
  LoadedPolicy loaded = load_policy_file(path);
  for (const auto& w : loaded.warnings) fmt::print(stderr, "seccage: warning: {}: {}\n", path, w);
  return NamedPolicy{path, std::move(loaded.policy)};
}

void print_warnings(const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) fmt::print(stderr, "seccage: warning: {}\n", w);
}

void print_notes(const learn::LearnedProfile& p) {
  for (const auto& [name, note] : p.notes) fmt::print(stderr, "seccage: note: {}: {}\n", name, note);
}

std::size_t parse_max_values(const std::string& text) {
  if (text.empty()) return learn::kDefaultMaxValues;
  const std::uint64_t v = parse_count("--max-values", text);
  if (v == 0 || v > 4096) throw InputError(fmt::format("--max-values '{}': expected a whole number from 1 to 4096", text));
  return v;
}

int merge_command(const LearnArgs& a, learn::OutputFormat format) {
  Destination out = Destination::prepare(a.output, "-o");
  std::vector<NamedPolicy> inputs;
  for (const auto& path : a.merge) inputs.push_back(load_named(path));
  learn::LearnedProfile merged = learn::merge_profiles(inputs);
  std::vector<std::string> warnings = merged.warnings;
  const std::string text = learn::write_profile(merged, format, fmt::format("merged by seccage learn from {} profiles", inputs.size()), &warnings);
  print_warnings(warnings);
  print_notes(merged);
  out.write(text);
  return kExitOk;
}

int from_report_command(const LearnArgs& a, learn::OutputFormat format, const learn::LearnOptions& lo) {
  if (a.profile.empty()) throw InputError("--from-report needs --profile P: the profile the report's run used");
  Destination out = Destination::prepare(a.output, "-o");
  NamedPolicy base = load_named(a.profile);
  std::vector<std::string> warnings;
  const std::string report = read_profile_text(a.from_report);
  const std::vector<learn::SyscallUse> uses = learn::uses_from_report(report, warnings);
  learn::LearnedProfile grown = learn::add_to_profile(base.policy, uses, lo);
  warnings.insert(warnings.end(), grown.warnings.begin(), grown.warnings.end());
  const std::string text = learn::write_profile(grown, format, fmt::format("{} with the calls {} shows denied", a.profile, a.from_report), &warnings);
  print_warnings(warnings);
  print_notes(grown);
  std::string names;
  for (const auto& u : uses) names += fmt::format("{}{} ({})", names.empty() ? "" : ", ", u.name, arch_name(u.arch));
  fmt::print(stderr, "seccage: {} syscall{} added{}{}\n", uses.size(), uses.size() == 1 ? "" : "s",
             uses.empty() ? "" : ": ", names);
  out.write(text);
  return kExitOk;
}

sandbox::RunOptions run_options(const LearnArgs& a) {
  sandbox::RunOptions o;
  apply_program_options(a.program, o);
  if (!a.wall_time.empty()) o.limits.wall_seconds = cli::parse_duration(a.wall_time);
  // The profile may go to stdout: the program's output then goes to stderr.
  o.stdout_to_stderr = a.output.empty() || a.output == "-";
  return o;
}

int learn_command(const LearnArgs& a, learn::OutputFormat format, const learn::LearnOptions& lo) {
  if (a.program.command.empty()) throw InputError("no program to learn from: seccage learn [OPTIONS] -- PROGRAM [ARGS...]");
  if (a.append && (a.output.empty() || a.output == "-")) throw InputError("--append needs -o FILE: the profile to add the run to");
  // Everything that can fail on bad input fails before the program runs.
  std::optional<NamedPolicy> existing;
  if (a.append && std::filesystem::exists(a.output)) existing = load_named(a.output);
  Destination out = Destination::prepare(a.output, "-o");
  std::optional<Destination> counts;
  if (!a.counts.empty()) counts = Destination::prepare(a.counts, "--counts");
  const sandbox::RunOptions options = run_options(a);

  const learn::LearnRun run = learn::learn_run(options, lo);
  const sandbox::Report& r = run.report;
  if (r.verdict == sandbox::Verdict::SystemError) {
    fmt::print(stderr, "seccage: {}\nseccage: nothing learned, nothing written\n", r.error);
    return r.status;
  }
  learn::LearnedProfile profile = learn::build_profile(run.uses, lo);
  if (existing) {
    learn::LearnedProfile merged = learn::merge_profiles({*existing, NamedPolicy{"this run", profile.policy}});
    for (auto& [name, note] : profile.notes) merged.notes.try_emplace(name, note);
    merged.warnings.insert(merged.warnings.begin(), profile.warnings.begin(), profile.warnings.end());
    profile = std::move(merged);
  }
  std::vector<std::string> warnings = profile.warnings;
  if (run.unknown_arch_calls)
    warnings.push_back(fmt::format("{} calls came from an ABI seccage does not know and are not in the profile",
                                   run.unknown_arch_calls));
  const std::string header = fmt::format("learned by seccage learn from: {}", r.program);
  const std::string text = learn::write_profile(profile, format, header, &warnings);
  print_warnings(warnings);
  if (!a.quiet) print_notes(profile);
  if (r.verdict != sandbox::Verdict::Ok)
    fmt::print(stderr, "seccage: warning: the program did not end well ({}, status {}): the profile covers the run "
                       "as it happened\n", sandbox::to_string(r.verdict), r.status);
  out.write(text);
  if (counts) counts->write(learn::counts_json(run.uses));
  if (!a.quiet) {
    std::uint64_t calls = 0;
    for (const auto& u : run.uses) calls += u.count;
    fmt::print(stderr, "seccage: learned {} rules from {} calls of {} syscalls in {} ms, written to {}\n",
               profile.policy.rules.size(), calls, run.uses.size(), r.wall_time_ms, out.name);
  }
  return r.status;
}

int run_learn(const LearnArgs& a) {
  ::signal(SIGPIPE, SIG_IGN);
  learn::OutputFormat format;
  try {
    format = learn::parse_output_format(a.format);
  } catch (const InputError& e) {
    throw InputError(fmt::format("--format: {}", e.what()));
  }
  learn::LearnOptions lo;
  lo.max_values = parse_max_values(a.max_values);
  const int modes = !a.merge.empty() + !a.from_report.empty() + !a.program.command.empty();
  if (modes > 1) throw InputError("give one of: -- PROGRAM, --merge A B ..., --from-report R");
  if (!a.merge.empty()) return merge_command(a, format);
  if (!a.from_report.empty()) return from_report_command(a, format, lo);
  return learn_command(a, format, lo);
}

const CommandRegistration registration{
    "learn", "Write the smallest profile a program needs, from watching it run (or merge, or grow from a report)",
    [](CLI::App& sub) {
      auto a = std::make_shared<LearnArgs>();
      sub.add_option("-o,--output", a->output, "where the profile goes (default: standard output)");
      sub.add_option("--format", a->format, "oci (default), text or spo");
      sub.add_flag("--append", a->append, "add this run to the profile at -o FILE (a merge), if there is one");
      sub.add_option("--counts", a->counts, "write the per-syscall counts of the run as JSON to FILE");
      sub.add_option("--max-values", a->max_values,
                     "distinct argument values that become alternatives; more allow the syscall whole (default 16)");
      sub.add_option("--merge", a->merge, "join these profiles (a union) instead of running anything")->allow_extra_args(true);
      sub.add_option("--from-report", a->from_report, "a `seccage run --report` file: add the calls it shows denied to --profile");
      sub.add_option("--profile", a->profile, "with --from-report: the profile the report's run used");
      sub.add_option("--wall-time", a->wall_time, "wall-clock limit; ends the run (and learns what it saw)");
      sub.add_flag("--quiet,-q", a->quiet, "no notes and no summary line");
      add_program_options(sub, a->program);
      sub.footer(
          "Nothing is enforced while learning: every call runs (clone3 excepted, answered ENOSYS).\n"
          "Exit status: the program's (the profile is written anyway); 125/126/127 when it could not be\n"
          "started (nothing written); 2 bad arguments, an unwritable output, profiles that cannot be merged.\n"
          "Example: seccage learn -o app.json -- ./app && seccage run --profile app.json -- ./app");
      CLI::App* app = &sub;
      return [a, app] {
        take_program_words(*app, a->program);
        return run_learn(*a);
      };
    }};

}  // namespace
}  // namespace learn_command
}  // namespace seccage::cli
