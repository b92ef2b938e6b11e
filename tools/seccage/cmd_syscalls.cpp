// seccage syscalls: look up syscall numbers and names per arch, list an
// arch's table, or list the arches seccage knows.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "seccage/arch.hpp"
#include "seccage/error.hpp"

namespace seccage::cli {
namespace syscalls_command {  // one per command: tools/seccage is built as one unity source
namespace {

struct SyscallsArgs {
  std::string arch;
  bool json = false;
  bool list_arches = false;
  std::vector<std::string> queries;
};

std::string hex32(std::uint32_t v) { return fmt::format("{:#010x}", v); }

// A query that starts with a digit is a number to name; anything else is a
// name to number. Names go through resolve_syscall for its did-you-mean.
SyscallEntry answer(Arch arch, const std::string& query) {
  const bool numeric = !query.empty() && query[0] >= '0' && query[0] <= '9';
  const std::uint32_t nr = resolve_syscall(arch, query);
  if (!numeric) return SyscallEntry{*syscall_name(arch, nr), nr};
  if (auto name = syscall_name(arch, nr)) return SyscallEntry{*name, nr};
  std::string hint;
  // x32 numbers all carry bit 30; a bare x86_64-style number is a common slip.
  const std::uint32_t offset = arch_info(arch).nr_offset;
  if (offset != 0 && nr < offset) {
    if (auto name = syscall_name(arch, nr + offset)) {
      // Show x32's bit in hex, where it is recognisable; MIPS bases are decimal.
      const bool hex = offset == kX32SyscallBit;
      hint = fmt::format(" ({} numbers start at {}: {} is {})", arch_name(arch),
                         hex ? fmt::format("{:#x}", offset) : fmt::format("{}", offset),
                         hex ? fmt::format("{:#x}", nr + offset) : fmt::format("{}", nr + offset), *name);
    }
  }
  throw InputError(fmt::format("no syscall has number {} on {}{}", query, arch_name(arch), hint));
}

nlohmann::json entry_json(const SyscallEntry& e) { return {{"name", e.name}, {"nr", e.nr}}; }

int list_arches(bool json) {
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const ArchInfo& a : all_arches()) {
      out.push_back({{"name", a.name},
                     {"go_name", a.go_name.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.go_name)},
                     {"oci_name", a.oci_name},
                     {"audit_arch", a.audit_arch},
                     {"audit_arch_hex", hex32(a.audit_arch)},
                     {"little_endian", a.little_endian},
                     {"is_64bit", a.is_64bit},
                     {"nr_offset", a.nr_offset},
                     {"max_nr", a.max_nr},
                     {"syscalls", syscall_table(a.arch).size()}});
    }
    fmt::print("{}\n", out.dump(2));
    return kExitOk;
  }
  fmt::print("{:<12} {:<10} {:<12} {:<22} {:<6} {:>10} {:>10}\n", "ARCH", "AUDIT_ARCH", "GO", "OCI", "ABI",
             "NR_OFFSET", "MAX_NR");
  for (const ArchInfo& a : all_arches()) {
    fmt::print("{:<12} {:<10} {:<12} {:<22} {:<6} {:>10} {:>10}\n", a.name, hex32(a.audit_arch),
               a.go_name.empty() ? "-" : a.go_name, a.oci_name,
               fmt::format("{}{}", a.is_64bit ? "64" : "32", a.little_endian ? "le" : "be"), a.nr_offset, a.max_nr);
  }
  return kExitOk;
}

int run_syscalls(const SyscallsArgs& args) {
  if (args.list_arches) return list_arches(args.json);
  const Arch arch = args.arch.empty() ? native_arch() : parse_arch_or_throw(args.arch);

  std::vector<SyscallEntry> entries;
  if (args.queries.empty()) {
    auto table = syscall_table(arch);
    entries.assign(table.begin(), table.end());
  } else {
    // Answer everything before printing anything, so a failing query never
    // leaves a partial answer on stdout for a script to misread; report every
    // bad query, not just the first.
    std::vector<std::string> errors;
    for (const std::string& q : args.queries) {
      try {
        entries.push_back(answer(arch, q));
      } catch (const InputError& e) {
        errors.emplace_back(e.what());
      }
    }
    if (!errors.empty()) {
      for (std::size_t i = 0; i + 1 < errors.size(); ++i) fmt::print(stderr, "seccage: {}\n", errors[i]);
      throw InputError(errors.back());
    }
  }

  if (args.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const SyscallEntry& e : entries) list.push_back(entry_json(e));
    const ArchInfo& info = arch_info(arch);
    nlohmann::json out = {{"arch", info.name}, {"audit_arch", info.audit_arch}, {"syscalls", std::move(list)}};
    fmt::print("{}\n", out.dump(2));
    return kExitOk;
  }
  if (args.queries.empty()) {
    for (const SyscallEntry& e : entries) fmt::print("{} {}\n", e.nr, e.name);
    return kExitOk;
  }
  // One answer per query: the number for a name, the name for a number.
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string& q = args.queries[i];
    const bool numeric = q[0] >= '0' && q[0] <= '9';
    if (numeric) {
      fmt::print("{}\n", entries[i].name);
    } else {
      fmt::print("{}\n", entries[i].nr);
    }
  }
  return kExitOk;
}

const CommandRegistration kRegistration{
    "syscalls", "Look up syscall numbers and names, list an arch's syscall table or the known arches",
    [](CLI::App& sub) {
      auto args = std::make_shared<SyscallsArgs>();
      sub.add_option("QUERY", args->queries,
                     "syscall names (printed as numbers) or decimal/0x-hex numbers (printed as names); "
                     "none: list the arch's whole table as `NR NAME` lines");
      sub.add_option("--arch", args->arch,
                     "arch: canonical, Go or SCMP_ARCH_* name, or an alias such as amd64, arm64, x86 "
                     "(default: the arch seccage runs as)");
      sub.add_flag("--json", args->json, "print JSON instead of text");
      auto* list = sub.add_flag("--list-arches", args->list_arches,
                                "list the known arches with AUDIT_ARCH values, Go and OCI names and highest numbers");
      list->excludes("QUERY");
      list->excludes("--arch");
      sub.footer(
          "Numbers are as a seccomp filter sees them in seccomp_data.nr: x32 numbers include bit 30\n"
          "(0x40000000) and MIPS numbers their ABI base (o32 4000, n64 5000, n32 6000).\n");
      return [args] { return run_syscalls(*args); };
    }};

}  // namespace
}  // namespace syscalls_command
}  // namespace seccage::cli
