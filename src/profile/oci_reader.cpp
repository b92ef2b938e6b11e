// Reads OCI runtime-spec `linux.seccomp` objects, Docker and Podman seccomp
// profiles, and whole OCI config.json files, and resolves them for one host
// into a seccage::Policy. The runtime behaviour each step reproduces (runc,
// crun, moby, containers/common) is written down in docs/oci.md.
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "profile/json_locate.hpp"
#include "profile/oci_reader_hooks.hpp"
#include "profile/suggest.hpp"
#include "seccage/error.hpp"
#include "seccage/profile.hpp"

namespace seccage {

namespace {

using json = nlohmann::json;
using profile_detail::suggestion_suffix;

constexpr std::array<std::string_view, 9> kActionNames = {
    "SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",   "SCMP_ACT_ERRNO",
    "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW",        "SCMP_ACT_LOG",         "SCMP_ACT_NOTIFY",
};

constexpr std::array<std::string_view, 7> kOperatorNames = {
    "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
};
constexpr std::array<CmpOp, 7> kOperators = {
    CmpOp::NE, CmpOp::LT, CmpOp::LE, CmpOp::EQ, CmpOp::GE, CmpOp::GT, CmpOp::MaskedEq,
};


constexpr std::array<std::string_view, 9> kProfileKeys = {
    "defaultAction", "defaultErrnoRet", "defaultErrno",     "architectures", "archMap",
    "flags",         "listenerPath",    "listenerMetadata", "syscalls",
};
constexpr std::array<std::string_view, 9> kSyscallKeys = {
    "names", "name", "action", "errnoRet", "errno", "args", "comment", "includes", "excludes",
};
constexpr std::array<std::string_view, 4> kArgKeys = {"index", "value", "valueTwo", "op"};
constexpr std::array<std::string_view, 3> kFilterKeys = {"caps", "arches", "minKernel"};
constexpr std::array<std::string_view, 2> kArchMapKeys = {"architecture", "subArchitectures"};

// Arch names Docker can compute for a host (see docker_arch_name) plus "x32",
// which Docker's own default profile lists although no host reports it.
constexpr std::array<std::string_view, 17> kDockerArchNames = {
    "amd64", "x86",   "x32",     "arm",  "arm64", "mips64",  "mips64n32", "mipsel64", "mips3l64n32",
    "mipsel", "ppc", "ppc64", "ppc64le", "s390", "s390x", "riscv64", "loong64",
};

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

// What a value is, for "expected X, found Y" messages.
std::string describe(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return fmt::format("boolean {}", v.get<bool>() ? "true" : "false");
    case json::value_t::string: {
      std::string s = v.get<std::string>();
      if (s.size() > 40) s = s.substr(0, 37) + "...";
      return fmt::format("string \"{}\"", s);
    }
    case json::value_t::number_unsigned:
    case json::value_t::number_integer:
    case json::value_t::number_float: return fmt::format("number {}", v.dump());
    case json::value_t::array: return fmt::format("an array of {}", v.size());
    case json::value_t::object: return "an object";
    default: return v.type_name();
  }
}

// One split alternative of a syscalls[] entry: the conditions and which args
// they came from.
struct Alternative {
  std::vector<Condition> conditions;
  std::vector<std::size_t> arg_positions;  // indexes into the entry's args[]
};

struct ParsedArg {
  Condition condition;
};

struct ParsedFilter {
  std::vector<std::string> caps;
  std::vector<std::string> arches;
  std::optional<KernelVersion> min_kernel;
};

class Reader {
 public:
  Reader(std::string_view text, std::string_view source, const OciResolveOptions& options)
      : text_(text), source_(source), options_(options) {}
  // A profile already parsed from another syntax (SPO YAML): `where` places
  // pointers in that text, `base` is the profile's own pointer.
  Reader(const json& given, std::string_view source, std::string_view base, profile_detail::PointerLocator where,
         const OciResolveOptions& options)
      : source_(source), options_(options), base_(base), given_(&given), where_(std::move(where)) {}

  OciProfile run() {
    if (given_) {
      expect_type(*given_, json::value_t::object, base_, "an object");
      read_profile(*given_);
      return std::move(out_);
    }
    json root = parse();
    if (!root.is_object())
      fail("", fmt::format("expected a JSON object (a seccomp profile or an OCI config.json), found {}", describe(root)));

    const json* seccomp = &root;
    // A config.json has ociVersion/process/linux/root and never a top-level
    // defaultAction; a profile has defaultAction. Decide on that, so a profile
    // with a stray key is not mistaken for a config.
    if (!root.contains("defaultAction") &&
        (root.contains("linux") || root.contains("ociVersion") || root.contains("process"))) {
      out_.from_config_json = true;
      const json* linux_obj = member(root, "linux", "");
      if (!linux_obj) fail("", "this OCI config.json has no linux.seccomp (no \"linux\" object); nothing to read");
      expect_type(*linux_obj, json::value_t::object, "/linux", "an object");
      const json* s = member(*linux_obj, "seccomp", "/linux");
      if (!s) fail("/linux", "this OCI config.json has no linux.seccomp; nothing to read");
      base_ = "/linux/seccomp";
      seccomp = s;
      expect_type(*seccomp, json::value_t::object, base_, "an object");
    }
    read_profile(*seccomp);
    return std::move(out_);
  }

 private:
  // ---- errors and positions -------------------------------------------------

  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
    std::string where = where_ ? where_(pointer)
                               : profile_detail::describe_position(source_, profile_detail::locate_pointer(text_, pointer));
    if (pointer.empty()) throw InputError(fmt::format("{}: {}", where, message));
    throw InputError(fmt::format("{}: {}: {}", where, pointer, message));
  }

  void warn(const std::string& pointer, const std::string& message) {
    // A warning about the whole profile (pointer "") has no useful line.
    auto pos = pointer.empty() ? std::nullopt : profile_detail::locate_pointer(text_, pointer);
    std::string where = where_ && !pointer.empty() ? where_(pointer) : profile_detail::describe_position(source_, pos);
    out_.warnings.push_back(pointer.empty() ? fmt::format("{}: {}", where, message)
                                            : fmt::format("{}: {}: {}", where, pointer, message));
  }

  json parse() {
    try {
      return json::parse(text_.begin(), text_.end());
    } catch (const json::parse_error& e) {
      // nlohmann's byte is the count of bytes read when it gave up, so the
      // offending byte is the one before it.
      std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
      // nlohmann reads a whole string before it can tell the string is
      // misplaced, so it stops at the closing quote; point at the opening one,
      // where the missing comma or colon belongs.
      if (offset < text_.size() && text_[offset] == '"' && offset > 0) {
        std::size_t i = offset;
        while (i-- > 0) {
          if (text_[i] != '"') continue;
          std::size_t backslashes = 0;
          for (std::size_t j = i; j > 0 && text_[j - 1] == '\\'; --j) ++backslashes;
          if (backslashes % 2 == 0) {
            offset = i;
            break;
          }
        }
      }
      auto pos = profile_detail::position_of_offset(text_, offset);
      std::string what = e.what();
      // Keep nlohmann's description ("syntax error while parsing object key
      // - unexpected '}'; expected string literal") without its own prefix.
      if (auto col = what.find("column "); col != std::string::npos) {
        if (auto colon = what.find(": ", col); colon != std::string::npos) what = what.substr(colon + 2);
      } else if (auto br = what.find("] "); br != std::string::npos) {
        what = what.substr(br + 2);
      }
      throw InputError(fmt::format("{}:{}:{}: malformed JSON: {}", source_, pos.line, pos.column, what));
    } catch (const json::exception& e) {
      // Not a syntax error but a value nlohmann cannot hold, such as a number
      // that overflows a double (1E400): still bad input, never a crash.
      std::string what = e.what();
      if (auto br = what.find("] "); br != std::string::npos) what = what.substr(br + 2);
      throw InputError(fmt::format("{}: malformed JSON: {}", source_, what));
    }
  }

  // ---- typed access ---------------------------------------------------------

  // A member that is present and not null (Go decodes null as "absent" for
  // every field Docker and Podman use, and Podman writes "args": null).
  const json* member(const json& obj, std::string_view key, const std::string& /*pointer*/) const {
    auto it = obj.find(std::string(key));
    if (it == obj.end() || it->is_null()) return nullptr;
    return &*it;
  }

  void expect_type(const json& v, json::value_t type, const std::string& pointer, std::string_view expected) const {
    if (v.type() == type) return;
    fail(pointer, fmt::format("expected {}, found {}", expected, describe(v)));
  }

  template <std::size_t N>
  void check_keys(const json& obj, const std::array<std::string_view, N>& known, const std::string& pointer,
                  std::string_view what) const {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (std::find(known.begin(), known.end(), it.key()) != known.end()) continue;
      // Docker and Podman ignore unknown keys, so a typo such as "exclude"
      // silently changes what the profile allows; refuse it instead.
      fail(pointer + "/" + escape_token(it.key()),
           fmt::format("unknown key \"{}\" in {}{}", it.key(), what, suggestion_suffix(it.key(), known)));
    }
  }

  static std::string escape_token(const std::string& key) {
    std::string out;
    for (char c : key) {
      if (c == '~') out += "~0";
      else if (c == '/') out += "~1";
      else out += c;
    }
    return out;
  }

  std::string get_string(const json& v, const std::string& pointer) const {
    expect_type(v, json::value_t::string, pointer, "a string");
    return v.get<std::string>();
  }

  // JSON numbers as the Go runtimes decode them into uint64/uint32: integers
  // only, no sign, no fraction or exponent.
  std::uint64_t get_unsigned(const json& v, const std::string& pointer, std::uint64_t max) const {
    if (v.is_number_unsigned()) {
      std::uint64_t n = v.get<std::uint64_t>();
      if (n > max) fail(pointer, fmt::format("expected an integer from 0 to {}, found {}", max, n));
      return n;
    }
    if (v.is_number_integer())
      fail(pointer, fmt::format("expected an unsigned integer, found negative number {}", v.dump()));
    if (v.is_number_float()) {
      // nlohmann stores integers above 2^64-1 as floats; tell the two apart
      // from the text, which says whether a fraction or exponent was written.
      fail(pointer, fmt::format("expected an unsigned integer up to {}, found {}", max, number_text(pointer, v)));
    }
    fail(pointer, fmt::format("expected an unsigned integer, found {}", describe(v)));
  }

  std::string number_text(const std::string& pointer, const json& v) const {
    auto pos = profile_detail::locate_pointer(text_, pointer);
    if (!pos) return v.dump();
    // Re-find the offset from line/column to copy the literal as written.
    std::size_t offset = 0, line = 1;
    while (offset < text_.size() && line < pos->line) {
      if (text_[offset] == '\n') ++line;
      ++offset;
    }
    offset += pos->column - 1;
    std::size_t end = offset;
    while (end < text_.size() && std::string_view("0123456789+-.eE").find(text_[end]) != std::string_view::npos) ++end;
    std::string literal(text_.substr(offset, end - offset));
    if (literal.find_first_of(".eE") != std::string::npos) return "non-integer number " + literal;
    return "number " + literal + " (above 2^64-1)";
  }

  std::vector<std::string> get_string_array(const json& v, const std::string& pointer) const {
    expect_type(v, json::value_t::array, pointer, "an array of strings");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i) out.push_back(get_string(v[i], fmt::format("{}/{}", pointer, i)));
    return out;
  }

  Arch get_arch(const json& v, const std::string& pointer) const {
    std::string name = get_string(v, pointer);
    // Podman's types list SCMP_ARCH_NATIVE: the arch the runtime runs as.
    if (name == "SCMP_ARCH_NATIVE") return options_.host_arch;
    if (auto a = parse_arch(name)) return *a;
    std::vector<std::string_view> names;
    for (const auto& info : all_arches()) names.push_back(info.oci_name);
    fail(pointer, fmt::format("unknown architecture \"{}\"{}", name, suggestion_suffix(name, names)));
  }

  // ---- actions --------------------------------------------------------------

  // The errno or trace data of an action from errnoRet (number) and Podman's
  // errno (name). runc and crun use EPERM when neither is given, for ERRNO and
  // for TRACE alike.
  Action make_action(const json& obj, const std::string& obj_pointer, std::string_view action_key,
                     std::string_view ret_key, std::string_view name_key) {
    const std::string action_ptr = obj_pointer + "/" + std::string(action_key);
    const json* a = member(obj, action_key, obj_pointer);
    if (!a) fail(obj_pointer, fmt::format("missing \"{}\" (one of SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, ...)", action_key));
    const std::string name = get_string(*a, action_ptr);

    const json* ret = member(obj, ret_key, obj_pointer);
    const json* errno_name_v = member(obj, name_key, obj_pointer);
    const std::string ret_ptr = obj_pointer + "/" + std::string(ret_key);
    const std::string name_ptr = obj_pointer + "/" + std::string(name_key);

    const bool takes_data = name == "SCMP_ACT_ERRNO" || name == "SCMP_ACT_TRACE";
    if (!takes_data && std::find(kActionNames.begin(), kActionNames.end(), name) != kActionNames.end()) {
      // crun refuses this and runc ignores it; either way the number means
      // nothing, so it is a mistake in the profile.
      if (ret) fail(ret_ptr, fmt::format("\"{}\" is only meaningful with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not {}", ret_key, name));
      if (errno_name_v) fail(name_ptr, fmt::format("\"{}\" is only meaningful with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not {}", name_key, name));
    }

    if (name == "SCMP_ACT_KILL" || name == "SCMP_ACT_KILL_THREAD") return Action::kill_thread();
    if (name == "SCMP_ACT_KILL_PROCESS") return Action::kill_process();
    if (name == "SCMP_ACT_TRAP") return Action::trap();
    if (name == "SCMP_ACT_ALLOW") return Action::allow();
    if (name == "SCMP_ACT_LOG") return Action::log();
    if (name == "SCMP_ACT_NOTIFY") return Action::user_notif();
    if (!takes_data) fail(action_ptr, fmt::format("unknown action \"{}\"{}", name, suggestion_suffix(name, kActionNames)));

    const bool is_errno = name == "SCMP_ACT_ERRNO";
    std::optional<std::uint64_t> number;
    if (ret) number = get_unsigned(*ret, ret_ptr, 0xffffffffu);
    std::optional<int> named;
    if (errno_name_v) {
      std::string en = get_string(*errno_name_v, name_ptr);
      named = errno_from_name(en);
      if (!named) {
        std::vector<std::string> owned;
        for (int i = 1; i < 4096; ++i)
          if (auto n = errno_name(i)) owned.emplace_back(*n);
        std::vector<std::string_view> names(owned.begin(), owned.end());
        fail(name_ptr, fmt::format("unknown errno name \"{}\"{}", en, suggestion_suffix(en, names)));
      }
      if (number && *number != static_cast<std::uint64_t>(*named)) {
        fail(name_ptr, fmt::format("\"{}\": \"{}\" is {}, but \"{}\" says {}; they must agree", name_key, en, *named,
                                   ret_key, *number));
      }
    }
    std::uint64_t data = number ? *number : named ? static_cast<std::uint64_t>(*named) : 1 /* EPERM */;
    const std::string& data_ptr = number ? ret_ptr : name_ptr;

    // libseccomp keeps the low 16 bits of the data; anything above would be
    // silently turned into another number.
    if (data > 0xffff)
      fail(data_ptr, fmt::format("{} data must be at most 65535 (the filter has 16 bits for it), found {}", name, data));
    // libseccomp takes ERRNO data below MAX_ERRNO (4095) only: seccomp_init
    // and seccomp_rule_add refuse the rest with EINVAL, so runc and crun
    // refuse to start the container. The profile means nothing a container
    // can run with; say so rather than guess (docs/oci.md).
    if (is_errno && data >= 4095)
      fail(data_ptr, fmt::format("errno {} is too large: libseccomp accepts ERRNO data up to 4094 only, so runc and "
                                 "crun refuse to start a container with this profile (the kernel itself would "
                                 "return at most 4095); use a real errno",
                                 data));
    const auto d = static_cast<std::uint16_t>(data);
    return is_errno ? Action::errno_(d) : Action::trace(d);
  }

  // ---- includes / excludes --------------------------------------------------

  ParsedFilter read_filter(const json& v, const std::string& pointer) {
    expect_type(v, json::value_t::object, pointer, "an object with caps, arches, minKernel");
    check_keys(v, kFilterKeys, pointer, "includes/excludes");
    ParsedFilter f;
    if (const json* caps = member(v, "caps", pointer)) {
      f.caps = get_string_array(*caps, pointer + "/caps");
      auto known = known_capabilities();
      for (std::size_t i = 0; i < f.caps.size(); ++i) {
        if (std::find(known.begin(), known.end(), f.caps[i]) != known.end()) continue;
        // Docker compares these strings exactly with the bounding set
        // ("CAP_SYS_ADMIN"), so any other spelling would never match.
        fail(fmt::format("{}/caps/{}", pointer, i),
             fmt::format("unknown capability \"{}\" (Docker compares names exactly, as CAP_XXX){}", f.caps[i],
                         suggestion_suffix(f.caps[i], known)));
      }
    }
    if (const json* arches = member(v, "arches", pointer)) {
      f.arches = get_string_array(*arches, pointer + "/arches");
      for (std::size_t i = 0; i < f.arches.size(); ++i) {
        if (std::find(kDockerArchNames.begin(), kDockerArchNames.end(), f.arches[i]) != kDockerArchNames.end()) continue;
        // Not an error: Docker accepts it and it simply never matches. Worth
        // saying, since "386" or "x86_64" look right and are not.
        warn(fmt::format("{}/arches/{}", pointer, i),
             fmt::format("\"{}\" is not an arch name Docker uses (amd64, x86, arm64, arm, ppc64le, s390x, ...); it never matches{}",
                         f.arches[i], suggestion_suffix(f.arches[i], kDockerArchNames)));
      }
    }
    if (const json* mk = member(v, "minKernel", pointer)) {
      const std::string s = get_string(*mk, pointer + "/minKernel");
      // Docker accepts exactly "<kernel>.<major>", each 0..255, not 0.0.
      auto bad = [&](std::string_view why) {
        fail(pointer + "/minKernel", fmt::format("invalid minKernel \"{}\": expected \"<kernel>.<major>\" such as \"4.8\"{}", s, why));
      };
      const auto dot = s.find('.');
      if (dot == std::string::npos || s.find('.', dot + 1) != std::string::npos) bad("");
      auto part = [&](std::string_view p) -> std::uint32_t {
        if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string_view::npos) bad("");
        std::uint32_t n = 0;
        for (char c : p) n = n * 10 + static_cast<std::uint32_t>(c - '0');
        if (n > 255) bad(" (each part at most 255)");
        return n;
      };
      KernelVersion k;
      k.major = part(std::string_view(s).substr(0, dot));
      k.minor = part(std::string_view(s).substr(dot + 1));
      if (k.major == 0 && k.minor == 0) bad(" (0.0 is not a version)");
      f.min_kernel = k;
    }
    return f;
  }

  KernelVersion host_kernel() {
    if (!kernel_) kernel_ = options_.kernel ? *options_.kernel : running_kernel_version();
    return *kernel_;
  }

  // Docker's order (moby setupSeccomp): excludes first (any matching
  // condition drops the entry), then includes (every listed condition must
  // hold; every listed cap must be granted). Returns why the entry is dropped.
  std::optional<std::string> filter_out(const std::optional<ParsedFilter>& inc, const std::optional<ParsedFilter>& exc) {
    const std::string host = std::string(docker_arch_name(options_.host_arch));
    auto has_cap = [&](const std::string& c) { return options_.capabilities.count(c) > 0; };
    if (exc) {
      if (!exc->arches.empty() && std::find(exc->arches.begin(), exc->arches.end(), host) != exc->arches.end())
        return fmt::format("excludes.arches lists this host's arch \"{}\"", host);
      for (const auto& c : exc->caps)
        if (has_cap(c)) return fmt::format("excludes.caps: {} is granted", c);
      if (exc->min_kernel && host_kernel() >= *exc->min_kernel)
        return fmt::format("excludes.minKernel: kernel {} >= {}", host_kernel().to_string(), exc->min_kernel->to_string());
    }
    if (inc) {
      if (!inc->arches.empty() && std::find(inc->arches.begin(), inc->arches.end(), host) == inc->arches.end())
        return fmt::format("includes.arches does not list this host's arch \"{}\"", host.empty() ? arch_name(options_.host_arch) : host);
      for (const auto& c : inc->caps)
        if (!has_cap(c)) return fmt::format("includes.caps: {} is not granted", c);
      if (inc->min_kernel && host_kernel() < *inc->min_kernel)
        return fmt::format("includes.minKernel: kernel {} < {}", host_kernel().to_string(), inc->min_kernel->to_string());
    }
    return std::nullopt;
  }

  // ---- arches ---------------------------------------------------------------

  void read_arches(const json& s) {
    std::vector<Arch> listed;
    const json* arches = member(s, "architectures", base_);
    if (arches) {
      expect_type(*arches, json::value_t::array, base_ + "/architectures", "an array of SCMP_ARCH_* names");
      for (std::size_t i = 0; i < arches->size(); ++i)
        listed.push_back(get_arch((*arches)[i], fmt::format("{}/architectures/{}", base_, i)));
    }
    std::vector<Arch> mapped;
    bool host_in_map = false;
    const json* archmap = member(s, "archMap", base_);
    if (archmap) {
      const std::string p = base_ + "/archMap";
      expect_type(*archmap, json::value_t::array, p, "an array of {architecture, subArchitectures}");
      for (std::size_t i = 0; i < archmap->size(); ++i) {
        const std::string ep = fmt::format("{}/{}", p, i);
        const json& e = (*archmap)[i];
        expect_type(e, json::value_t::object, ep, "an object with architecture and subArchitectures");
        check_keys(e, kArchMapKeys, ep, "an archMap entry");
        const json* main = member(e, "architecture", ep);
        if (!main) fail(ep, "missing \"architecture\"");
        Arch a = get_arch(*main, ep + "/architecture");
        std::vector<Arch> subs;
        if (const json* sub = member(e, "subArchitectures", ep)) {
          expect_type(*sub, json::value_t::array, ep + "/subArchitectures", "an array of SCMP_ARCH_* names");
          for (std::size_t j = 0; j < sub->size(); ++j)
            subs.push_back(get_arch((*sub)[j], fmt::format("{}/subArchitectures/{}", ep, j)));
        }
        // Docker takes the first entry for the host arch and stops there.
        if (a == options_.host_arch && !host_in_map) {
          host_in_map = true;
          mapped.push_back(a);
          mapped.insert(mapped.end(), subs.begin(), subs.end());
        }
      }
    }
    if (!listed.empty() && archmap && !archmap->empty())
      fail(base_ + "/archMap", "both \"architectures\" and \"archMap\" are given; Docker and Podman refuse that, use one");

    // archMap with an entry for the host: that entry. Otherwise the listed
    // architectures. Docker passes an empty list when the host has no archMap
    // entry, and libseccomp's filter always holds the native arch, so the
    // host is in the result in every case.
    std::vector<Arch> result = host_in_map ? mapped : listed;
    if (std::find(result.begin(), result.end(), options_.host_arch) == result.end())
      result.insert(result.begin(), options_.host_arch);
    // The caller's list of covered arches wins: names are then checked
    // against exactly the arches the filter will hold.
    if (!options_.arches.empty()) result = options_.arches;
    for (Arch a : result)
      if (std::find(out_.policy.arches.begin(), out_.policy.arches.end(), a) == out_.policy.arches.end())
        out_.policy.arches.push_back(a);
  }

  bool known_on_arches(const std::string& name) const {
    for (Arch a : out_.policy.arches)
      if (syscall_number(a, name)) return true;
    // A socketcall/ipc sub-call the arch only has through its multiplexer is
    // still a syscall a rule can name there.
    if (auto m = multiplexed_call(name)) {
      for (Arch a : out_.policy.arches)
        if (syscall_number(a, m->via)) return true;
    }
    return false;
  }

  // ---- the profile ----------------------------------------------------------

  void read_profile(const json& s) {
    check_keys(s, kProfileKeys, base_, "a seccomp profile");

    out_.policy.default_action = make_action(s, base_, "defaultAction", "defaultErrnoRet", "defaultErrno");
    // libseccomp's bad-arch action stays at its default, SCMP_ACT_KILL (kill
    // the thread), in runc and crun alike.
    out_.policy.bad_arch_action = Action::kill_thread();
    if (out_.policy.default_action.kind == ActionKind::UserNotif)
      warn(base_ + "/defaultAction", "runc refuses SCMP_ACT_NOTIFY as the default action (it would trap its own setup)");

    read_arches(s);

    if (const json* flags = member(s, "flags", base_)) {
      auto names = get_string_array(*flags, base_ + "/flags");
      for (std::size_t i = 0; i < names.size(); ++i) {
        const auto known = runtime_filter_flag_names();
        if (std::find(known.begin(), known.end(), names[i]) == known.end())
          fail(fmt::format("{}/flags/{}", base_, i),
               fmt::format("unknown seccomp flag \"{}\" (runc and crun accept {}){}", names[i],
                           "SECCOMP_FILTER_FLAG_TSYNC, _LOG, _SPEC_ALLOW, _WAIT_KILLABLE_RECV",
                           suggestion_suffix(names[i], known)));
        out_.policy.runtime.flags.push_back(names[i]);
      }
    }
    if (const json* lp = member(s, "listenerPath", base_))
      out_.policy.runtime.listener_path = get_string(*lp, base_ + "/listenerPath");
    if (const json* lm = member(s, "listenerMetadata", base_))
      out_.policy.runtime.listener_metadata = get_string(*lm, base_ + "/listenerMetadata");

    if (const json* calls = member(s, "syscalls", base_)) {
      expect_type(*calls, json::value_t::array, base_ + "/syscalls", "an array of syscall rules");
      for (std::size_t i = 0; i < calls->size(); ++i) read_syscall((*calls)[i], fmt::format("{}/syscalls/{}", base_, i));
    }

    bool notify = out_.policy.default_action.kind == ActionKind::UserNotif;
    for (const auto& r : out_.policy.rules) notify = notify || r.action.kind == ActionKind::UserNotif;
    if (notify && !out_.policy.runtime.listener_path)
      warn(base_, "SCMP_ACT_NOTIFY is used but no listenerPath is given: runc and crun have no agent to send the notifications to");

    report_unknown_names();
  }

  void read_syscall(const json& e, const std::string& p) {
    expect_type(e, json::value_t::object, p, "an object with names and action");
    check_keys(e, kSyscallKeys, p, "a syscall rule");

    // names / name (Docker's older single-name form).
    std::vector<std::string> names;
    std::vector<std::string> name_ptrs;
    const json* names_v = member(e, "names", p);
    const json* name_v = member(e, "name", p);
    if (names_v) {
      names = get_string_array(*names_v, p + "/names");
      for (std::size_t j = 0; j < names.size(); ++j) name_ptrs.push_back(fmt::format("{}/names/{}", p, j));
    }
    if (name_v) {
      std::string n = get_string(*name_v, p + "/name");
      if (!names.empty() && !n.empty())
        fail(p + "/name", "both \"name\" and \"names\" are given; Docker refuses that, use \"names\"");
      if (!n.empty()) {
        names.push_back(n);
        name_ptrs.push_back(p + "/name");
      }
    }
    if (names.empty()) fail(p, "a syscall rule needs \"names\" (a non-empty array of syscall names)");
    for (std::size_t j = 0; j < names.size(); ++j)
      if (names[j].empty()) fail(name_ptrs[j], "empty syscall name");

    const Action action = make_action(e, p, "action", "errnoRet", "errno");

    if (const json* c = member(e, "comment", p)) get_string(*c, p + "/comment");

    // Arguments.
    std::vector<Condition> conds;
    if (const json* args = member(e, "args", p)) {
      expect_type(*args, json::value_t::array, p + "/args", "an array of {index, value, valueTwo, op}");
      for (std::size_t k = 0; k < args->size(); ++k) conds.push_back(read_arg((*args)[k], fmt::format("{}/args/{}", p, k)));
    }

    std::optional<ParsedFilter> inc, exc;
    if (const json* v = member(e, "includes", p)) inc = read_filter(*v, p + "/includes");
    if (const json* v = member(e, "excludes", p)) exc = read_filter(*v, p + "/excludes");

    const std::string origin = source_ + ":" + p;
    if (auto why = filter_out(inc, exc)) {
      out_.skipped.push_back({origin, *why});
      return;
    }

    if (action.kind == ActionKind::UserNotif)
      for (std::size_t j = 0; j < names.size(); ++j)
        if (names[j] == "write")
          warn(name_ptrs[j], "runc refuses SCMP_ACT_NOTIFY on write (it needs write to hand over the listener)");

    const auto alternatives = split(conds);
    bool added = false;
    for (std::size_t j = 0; j < names.size(); ++j) {
      if (!known_on_arches(names[j])) {
        if (unknown_first_ptr_.emplace(names[j], name_ptrs[j]).second) unknown_order_.push_back(names[j]);
        continue;
      }
      for (const auto& alt : alternatives) {
        Rule r;
        r.syscall = names[j];
        r.action = action;
        r.conditions = alt.conditions;
        r.origin = origin;
        if (alternatives.size() > 1 || alt.arg_positions.size() != conds.size()) {
          std::vector<std::string> ks;
          for (auto k : alt.arg_positions) ks.push_back(std::to_string(k));
          r.origin += "/args/" + join(ks, "+");
        }
        out_.policy.rules.push_back(std::move(r));
        added = true;
      }
    }
    if (added && action == out_.policy.default_action) out_.redundant_rules.push_back(origin);
  }

  Condition read_arg(const json& a, const std::string& p) {
    expect_type(a, json::value_t::object, p, "an object with index, value, op");
    check_keys(a, kArgKeys, p, "a syscall argument");
    const json* index = member(a, "index", p);
    if (!index) fail(p, "missing \"index\" (the argument number, 0 to 5)");
    const json* value = member(a, "value", p);
    if (!value) fail(p, "missing \"value\"");
    const json* op = member(a, "op", p);
    if (!op) fail(p, "missing \"op\" (SCMP_CMP_EQ, SCMP_CMP_MASKED_EQ, ...)");
    const json* two = member(a, "valueTwo", p);

    Condition c;
    c.arg = static_cast<std::uint8_t>(get_unsigned(*index, p + "/index", 5));
    const std::uint64_t v1 = get_unsigned(*value, p + "/value", ~std::uint64_t{0});
    const std::uint64_t v2 = two ? get_unsigned(*two, p + "/valueTwo", ~std::uint64_t{0}) : 0;
    const std::string opname = get_string(*op, p + "/op");
    auto it = std::find(kOperatorNames.begin(), kOperatorNames.end(), opname);
    if (it == kOperatorNames.end())
      fail(p + "/op", fmt::format("unknown operator \"{}\"{}", opname, suggestion_suffix(opname, kOperatorNames)));
    c.op = kOperators[static_cast<std::size_t>(it - kOperatorNames.begin())];
    if (c.op == CmpOp::MaskedEq) {
      // OCI: (arg & value) == valueTwo; seccage: (arg & mask) == value.
      c.mask = v1;
      c.value = v2;
      if ((v2 & ~v1) != 0)
        warn(p, fmt::format("valueTwo {:#x} has bits outside the mask {:#x}; libseccomp drops them, so this "
                            "condition matches when (arg & {:#x}) == {:#x}",
                            v2, v1, v1, v2 & v1));
    } else {
      c.value = v1;
      if (v2 != 0) warn(p + "/valueTwo", fmt::format("valueTwo is ignored by {} (only SCMP_CMP_MASKED_EQ uses it)", opname));
    }
    return c;
  }

  // Splits a rule's conditions into alternatives that OR (see ArgSplit).
  std::vector<Alternative> split(const std::vector<Condition>& conds) const {
    std::map<std::uint8_t, std::vector<std::size_t>> by_index;
    for (std::size_t k = 0; k < conds.size(); ++k) by_index[conds[k].arg].push_back(k);
    const bool repeated = std::any_of(by_index.begin(), by_index.end(), [](const auto& kv) { return kv.second.size() > 1; });
    if (!repeated) {
      Alternative all;
      all.conditions = conds;
      for (std::size_t k = 0; k < conds.size(); ++k) all.arg_positions.push_back(k);
      return {all};
    }
    std::vector<Alternative> out;
    if (options_.arg_split == ArgSplit::Runtime) {
      for (std::size_t k = 0; k < conds.size(); ++k) out.push_back({{conds[k]}, {k}});
      return out;
    }
    // Product: one condition from each index (a single one where the index
    // is not repeated), in args order within each alternative.
    out.push_back({});
    for (const auto& [index, ks] : by_index) {
      std::vector<Alternative> next;
      for (const auto& partial : out) {
        for (std::size_t k : ks) {
          Alternative a = partial;
          a.arg_positions.push_back(k);
          next.push_back(std::move(a));
        }
      }
      out = std::move(next);
    }
    for (auto& a : out) {
      std::sort(a.arg_positions.begin(), a.arg_positions.end());
      for (std::size_t k : a.arg_positions) a.conditions.push_back(conds[k]);
    }
    return out;
  }

  void report_unknown_names() {
    if (unknown_order_.empty()) return;
    std::vector<std::string> arches;
    for (Arch a : out_.policy.arches) arches.emplace_back(arch_name(a));
    const auto everywhere = all_syscall_names();
    std::vector<std::string> items;
    for (const auto& n : unknown_order_) {
      out_.unknown_syscalls.push_back(n);
      // A name some other arch has is not a typo; only suggest for names no
      // arch knows.
      const bool known_somewhere = std::binary_search(everywhere.begin(), everywhere.end(), std::string_view(n));
      items.push_back(known_somewhere ? n : n + suggestion_suffix(n, everywhere));
    }
    const std::string msg = fmt::format("{} syscall name{} not on {} {} skipped: {}", items.size(),
                                        items.size() == 1 ? " is" : "s are", join(arches, ", "),
                                        items.size() == 1 ? "and is" : "and are", join(items, ", "));
    const std::string& first = unknown_first_ptr_.at(unknown_order_.front());
    if (options_.strict) fail(first, msg + " (an error with strict)");
    warn("", msg);
  }

  std::string_view text_;
  std::string source_;
  const OciResolveOptions& options_;
  std::string base_;  // "" for a profile, "/linux/seccomp" in a config.json
  OciProfile out_;
  std::optional<KernelVersion> kernel_;
  std::map<std::string, std::string> unknown_first_ptr_;
  std::vector<std::string> unknown_order_;
  const json* given_ = nullptr;
  profile_detail::PointerLocator where_;
};

}  // namespace

OciProfile read_oci_profile_text(std::string_view json_text, std::string_view source_name, const OciResolveOptions& options) {
  return Reader(json_text, source_name, options).run();
}

namespace profile_detail {
OciProfile read_oci_profile_value(const nlohmann::json& profile, std::string_view source, std::string_view base,
                                  PointerLocator where, const OciResolveOptions& options) {
  return Reader(profile, source, base, std::move(where), options).run();
}
}  // namespace profile_detail

OciProfile read_oci_profile(const std::filesystem::path& path, const OciResolveOptions& options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("{}: cannot read the profile: it is a directory", path.string()));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the profile: {}", path.string(), std::strerror(errno)));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw InputError(fmt::format("{}: cannot read the profile: {}", path.string(), std::strerror(errno)));
  const std::string text = buf.str();
  return read_oci_profile_text(text, path.string(), options);
}

}  // namespace seccage
