#include "profile/oci_parse.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "profile/suggest.hpp"

namespace seccage::profile_detail {
namespace {

using json = nlohmann::json;

constexpr std::array<std::string_view, 9> kProfileKeys = {
    "defaultAction", "defaultErrnoRet", "defaultErrno",     "architectures", "archMap",
    "flags",         "listenerPath",    "listenerMetadata", "syscalls",
};
constexpr std::array<std::string_view, 9> kSyscallKeys = {
    "names", "name", "action", "errnoRet", "errno", "args", "comment", "includes", "excludes",
};
constexpr std::array<std::string_view, 4> kArgKeys = {"index", "value", "valueTwo", "op"};
constexpr std::array<std::string_view, 3> kGateKeys = {"caps", "arches", "minKernel"};
constexpr std::array<std::string_view, 2> kArchMapKeys = {"architecture", "subArchitectures"};

// Arch names Docker can compute for a host (see docker_arch_name) plus "x32",
// which Docker's own default profile lists although no host reports it.
constexpr std::array<std::string_view, 17> kDockerArchNames = {
    "amd64", "x86",   "x32",     "arm",  "arm64", "mips64",  "mips64n32", "mipsel64", "mips3l64n32",
    "mipsel", "ppc", "ppc64", "ppc64le", "s390", "s390x", "riscv64", "loong64",
};

// Where an action's data comes from: OCI's errnoRet (a number) and Podman's
// errno (a name), under the keys the profile or an entry uses for them.
struct ActionKeys {
  std::string_view action, ret, name;
};
constexpr ActionKeys kDefaultActionKeys{"defaultAction", "defaultErrnoRet", "defaultErrno"};
constexpr ActionKeys kEntryActionKeys{"action", "errnoRet", "errno"};

class Parser {
 public:
  explicit Parser(const OciMessages& messages) : messages_(messages), access_(messages) {}

  ParsedOci text(std::string_view text) {
    const json root = parse_json_text(text, messages_.source());
    if (!root.is_object())
      access_.fail("", fmt::format("expected a JSON object (a seccomp profile or an OCI config.json), found {}",
                                   describe_json_value(root)));
    // A config.json has ociVersion/process/linux/root and never a top-level
    // defaultAction; a profile has defaultAction. Decide on that, so a profile
    // with a stray key is not mistaken for a config.
    if (!root.contains("defaultAction") &&
        (root.contains("linux") || root.contains("ociVersion") || root.contains("process"))) {
      const json* linux_obj = JsonAccess::member(root, "linux");
      if (!linux_obj) access_.fail("", "this OCI config.json has no linux.seccomp (no \"linux\" object); nothing to read");
      access_.expect_type(*linux_obj, json::value_t::object, "/linux", "an object");
      const json* s = JsonAccess::member(*linux_obj, "seccomp");
      if (!s) access_.fail("/linux", "this OCI config.json has no linux.seccomp; nothing to read");
      ParsedOci out = value(*s, "/linux/seccomp");
      out.profile.from_config_json = true;
      return out;
    }
    return value(root, "");
  }

  ParsedOci value(const json& s, std::string_view base) {
    out_.profile.at = std::string(base);
    access_.expect_type(s, json::value_t::object, out_.profile.at, "an object");
    read_profile(s);
    return std::move(out_);
  }

 private:
  void warn(const std::string& pointer, const std::string& message) {
    out_.warnings.push_back(messages_.warning(pointer, message));
  }

  void read_profile(const json& s);
  void read_arches(const json& s);
  void read_flags(const json& s);
  oci::ArchRef read_arch(const json& v, const std::string& pointer) const;
  Action read_action(const json& obj, const std::string& pointer, const ActionKeys& keys) const;
  std::uint16_t read_action_data(const json& obj, const std::string& pointer, const ActionKeys& keys,
                                 ActionKind kind, std::string_view name) const;
  oci::Entry read_entry(const json& e, const std::string& p);
  std::vector<oci::SyscallName> read_names(const json& e, const std::string& p) const;
  oci::Arg read_arg(const json& a, const std::string& p);
  oci::Gate read_gate(const json& v, const std::string& pointer);
  KernelVersion read_min_kernel(const json& v, const std::string& pointer) const;

  const OciMessages& messages_;
  JsonAccess access_;
  ParsedOci out_;
};

void Parser::read_profile(const json& s) {
  const std::string& base = out_.profile.at;
  access_.check_keys(s, kProfileKeys, base, "a seccomp profile");
  out_.profile.default_action = read_action(s, base, kDefaultActionKeys);
  if (out_.profile.default_action.kind == ActionKind::UserNotif)
    warn(base + "/defaultAction", "runc refuses SCMP_ACT_NOTIFY as the default action (it would trap its own setup)");
  read_arches(s);
  read_flags(s);
  if (const json* lp = JsonAccess::member(s, "listenerPath"))
    out_.profile.listener_path = access_.get_string(*lp, base + "/listenerPath");
  if (const json* lm = JsonAccess::member(s, "listenerMetadata"))
    out_.profile.listener_metadata = access_.get_string(*lm, base + "/listenerMetadata");
  if (const json* calls = JsonAccess::member(s, "syscalls")) {
    access_.expect_type(*calls, json::value_t::array, base + "/syscalls", "an array of syscall rules");
    for (std::size_t i = 0; i < calls->size(); ++i)
      out_.profile.syscalls.push_back(read_entry((*calls)[i], fmt::format("{}/syscalls/{}", base, i)));
  }
}

oci::ArchRef Parser::read_arch(const json& v, const std::string& pointer) const {
  const std::string name = access_.get_string(v, pointer);
  // Podman's types list SCMP_ARCH_NATIVE: the arch the runtime runs as,
  // known only when resolving.
  if (name == kScmpArchNative) return {std::nullopt, pointer};
  if (auto a = parse_arch(name)) return {*a, pointer};
  std::vector<std::string_view> names;
  for (const auto& info : all_arches()) names.push_back(scmp_arch_name(info.arch));
  access_.fail(pointer, fmt::format("unknown architecture \"{}\"{}", name, suggestion_suffix(name, names)));
}

void Parser::read_arches(const json& s) {
  const std::string& base = out_.profile.at;
  const json* arches = JsonAccess::member(s, "architectures");
  if (arches) {
    access_.expect_type(*arches, json::value_t::array, base + "/architectures", "an array of SCMP_ARCH_* names");
    for (std::size_t i = 0; i < arches->size(); ++i)
      out_.profile.architectures.push_back(read_arch((*arches)[i], fmt::format("{}/architectures/{}", base, i)));
  }
  const json* archmap = JsonAccess::member(s, "archMap");
  if (archmap) {
    const std::string p = base + "/archMap";
    access_.expect_type(*archmap, json::value_t::array, p, "an array of {architecture, subArchitectures}");
    for (std::size_t i = 0; i < archmap->size(); ++i) {
      const std::string ep = fmt::format("{}/{}", p, i);
      const json& e = (*archmap)[i];
      access_.expect_type(e, json::value_t::object, ep, "an object with architecture and subArchitectures");
      access_.check_keys(e, kArchMapKeys, ep, "an archMap entry");
      const json* main = JsonAccess::member(e, "architecture");
      if (!main) access_.fail(ep, "missing \"architecture\"");
      oci::ArchMapEntry entry{read_arch(*main, ep + "/architecture"), {}};
      if (const json* sub = JsonAccess::member(e, "subArchitectures")) {
        access_.expect_type(*sub, json::value_t::array, ep + "/subArchitectures", "an array of SCMP_ARCH_* names");
        for (std::size_t j = 0; j < sub->size(); ++j)
          entry.sub_architectures.push_back(read_arch((*sub)[j], fmt::format("{}/subArchitectures/{}", ep, j)));
      }
      out_.profile.arch_map.push_back(std::move(entry));
    }
  }
  if (!out_.profile.architectures.empty() && archmap && !archmap->empty())
    access_.fail(base + "/archMap",
                 "both \"architectures\" and \"archMap\" are given; Docker and Podman refuse that, use one");
}

void Parser::read_flags(const json& s) {
  const std::string& base = out_.profile.at;
  const json* flags = JsonAccess::member(s, "flags");
  if (!flags) return;
  const auto names = access_.get_string_array(*flags, base + "/flags");
  const auto known = runtime_filter_flag_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (std::find(known.begin(), known.end(), names[i]) == known.end())
      access_.fail(fmt::format("{}/flags/{}", base, i),
                   fmt::format("unknown seccomp flag \"{}\" (runc and crun accept {}){}", names[i],
                               "SECCOMP_FILTER_FLAG_TSYNC, _LOG, _SPEC_ALLOW, _WAIT_KILLABLE_RECV",
                               suggestion_suffix(names[i], known)));
    out_.profile.flags.push_back(names[i]);
  }
}

// ---- actions ----------------------------------------------------------------

Action Parser::read_action(const json& obj, const std::string& pointer, const ActionKeys& keys) const {
  const std::string action_ptr = pointer + "/" + std::string(keys.action);
  const json* a = JsonAccess::member(obj, keys.action);
  if (!a) access_.fail(pointer, fmt::format("missing \"{}\" (one of SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, ...)", keys.action));
  const std::string name = access_.get_string(*a, action_ptr);
  const std::optional<ActionKind> kind = action_kind_from_scmp_name(name);
  if (!kind) {
    std::vector<std::string_view> names;
    for (const ScmpActionName& n : scmp_action_names()) names.push_back(n.name);
    access_.fail(action_ptr, fmt::format("unknown action \"{}\"{}", name, suggestion_suffix(name, names)));
  }
  if (!scmp_action_takes_data(*kind)) {
    // crun refuses data here and runc ignores it; either way the number
    // means nothing, so it is a mistake in the profile.
    for (std::string_view key : {keys.ret, keys.name})
      if (JsonAccess::member(obj, key))
        access_.fail(pointer + "/" + std::string(key),
                     fmt::format("\"{}\" is only meaningful with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not {}", key, name));
    return Action{*kind, 0};
  }
  return Action{*kind, read_action_data(obj, pointer, keys, *kind, name)};
}

// The errno or trace data from errnoRet and errno. runc and crun use EPERM
// when neither is given, for ERRNO and for TRACE alike.
std::uint16_t Parser::read_action_data(const json& obj, const std::string& pointer, const ActionKeys& keys,
                                       ActionKind kind, std::string_view name) const {
  const json* ret = JsonAccess::member(obj, keys.ret);
  const json* errno_name_v = JsonAccess::member(obj, keys.name);
  const std::string ret_ptr = pointer + "/" + std::string(keys.ret);
  const std::string name_ptr = pointer + "/" + std::string(keys.name);

  std::optional<std::uint64_t> number;
  if (ret) number = access_.get_unsigned(*ret, ret_ptr, 0xffffffffu);
  std::optional<int> named;
  if (errno_name_v) {
    const std::string en = access_.get_string(*errno_name_v, name_ptr);
    named = errno_from_name(en);
    if (!named) {
      std::vector<std::string> owned;
      for (int i = 1; i < 4096; ++i)
        if (auto n = errno_name(i)) owned.emplace_back(*n);
      const std::vector<std::string_view> names(owned.begin(), owned.end());
      access_.fail(name_ptr, fmt::format("unknown errno name \"{}\"{}", en, suggestion_suffix(en, names)));
    }
    if (number && *number != static_cast<std::uint64_t>(*named))
      access_.fail(name_ptr, fmt::format("\"{}\": \"{}\" is {}, but \"{}\" says {}; they must agree", keys.name, en,
                                         *named, keys.ret, *number));
  }
  const std::uint64_t data = number ? *number : named ? static_cast<std::uint64_t>(*named) : 1 /* EPERM */;
  const std::string& data_ptr = number ? ret_ptr : name_ptr;

  // libseccomp keeps the low 16 bits of the data; anything above would be
  // silently turned into another number.
  if (data > 0xffff)
    access_.fail(data_ptr,
                 fmt::format("{} data must be at most 65535 (the filter has 16 bits for it), found {}", name, data));
  // libseccomp takes ERRNO data below MAX_ERRNO (4095) only: seccomp_init
  // and seccomp_rule_add refuse the rest with EINVAL, so runc and crun
  // refuse to start the container. The profile means nothing a container
  // can run with; say so rather than guess (docs/oci.md).
  if (kind == ActionKind::Errno && data >= 4095)
    access_.fail(data_ptr, fmt::format("errno {} is too large: libseccomp accepts ERRNO data up to 4094 only, so runc "
                                       "and crun refuse to start a container with this profile (the kernel itself "
                                       "would return at most 4095); use a real errno",
                                       data));
  return static_cast<std::uint16_t>(data);
}

// ---- syscall entries ----------------------------------------------------------

oci::Entry Parser::read_entry(const json& e, const std::string& p) {
  access_.expect_type(e, json::value_t::object, p, "an object with names and action");
  access_.check_keys(e, kSyscallKeys, p, "a syscall rule");
  oci::Entry entry;
  entry.at = p;
  entry.names = read_names(e, p);
  entry.action = read_action(e, p, kEntryActionKeys);
  if (const json* c = JsonAccess::member(e, "comment")) access_.get_string(*c, p + "/comment");
  if (const json* args = JsonAccess::member(e, "args")) {
    access_.expect_type(*args, json::value_t::array, p + "/args", "an array of {index, value, valueTwo, op}");
    for (std::size_t k = 0; k < args->size(); ++k)
      entry.args.push_back(read_arg((*args)[k], fmt::format("{}/args/{}", p, k)));
  }
  if (const json* v = JsonAccess::member(e, "includes")) entry.includes = read_gate(*v, p + "/includes");
  if (const json* v = JsonAccess::member(e, "excludes")) entry.excludes = read_gate(*v, p + "/excludes");
  return entry;
}

// names, or Docker's older single-name form.
std::vector<oci::SyscallName> Parser::read_names(const json& e, const std::string& p) const {
  std::vector<oci::SyscallName> names;
  if (const json* names_v = JsonAccess::member(e, "names")) {
    const auto list = access_.get_string_array(*names_v, p + "/names");
    for (std::size_t j = 0; j < list.size(); ++j) names.push_back({list[j], fmt::format("{}/names/{}", p, j)});
  }
  if (const json* name_v = JsonAccess::member(e, "name")) {
    std::string n = access_.get_string(*name_v, p + "/name");
    if (!names.empty() && !n.empty())
      access_.fail(p + "/name", "both \"name\" and \"names\" are given; Docker refuses that, use \"names\"");
    if (!n.empty()) names.push_back({std::move(n), p + "/name"});
  }
  if (names.empty()) access_.fail(p, "a syscall rule needs \"names\" (a non-empty array of syscall names)");
  for (const oci::SyscallName& n : names)
    if (n.name.empty()) access_.fail(n.at, "empty syscall name");
  return names;
}

oci::Arg Parser::read_arg(const json& a, const std::string& p) {
  access_.expect_type(a, json::value_t::object, p, "an object with index, value, op");
  access_.check_keys(a, kArgKeys, p, "a syscall argument");
  const json* index = JsonAccess::member(a, "index");
  if (!index) access_.fail(p, "missing \"index\" (the argument number, 0 to 5)");
  const json* value = JsonAccess::member(a, "value");
  if (!value) access_.fail(p, "missing \"value\"");
  const json* op = JsonAccess::member(a, "op");
  if (!op) access_.fail(p, "missing \"op\" (SCMP_CMP_EQ, SCMP_CMP_MASKED_EQ, ...)");
  const json* two = JsonAccess::member(a, "valueTwo");

  oci::Arg arg;
  arg.at = p;
  arg.index = static_cast<unsigned>(access_.get_unsigned(*index, p + "/index", 5));
  arg.value = access_.get_unsigned(*value, p + "/value", ~std::uint64_t{0});
  if (two) arg.value_two = access_.get_unsigned(*two, p + "/valueTwo", ~std::uint64_t{0});
  const std::string opname = access_.get_string(*op, p + "/op");
  const std::optional<CmpOp> cmp = cmp_op_from_scmp_name(opname);
  if (!cmp)
    access_.fail(p + "/op", fmt::format("unknown operator \"{}\"{}", opname, suggestion_suffix(opname, scmp_cmp_names())));
  arg.op = *cmp;
  const std::uint64_t v1 = arg.value, v2 = arg.value_two.value_or(0);
  if (arg.op == CmpOp::MaskedEq && (v2 & ~v1) != 0)
    warn(p, fmt::format("valueTwo {:#x} has bits outside the mask {:#x}; libseccomp drops them, so this "
                        "condition matches when (arg & {:#x}) == {:#x}",
                        v2, v1, v1, v2 & v1));
  if (arg.op != CmpOp::MaskedEq && v2 != 0)
    warn(p + "/valueTwo", fmt::format("valueTwo is ignored by {} (only SCMP_CMP_MASKED_EQ uses it)", opname));
  return arg;
}

// ---- includes / excludes --------------------------------------------------------

oci::Gate Parser::read_gate(const json& v, const std::string& pointer) {
  access_.expect_type(v, json::value_t::object, pointer, "an object with caps, arches, minKernel");
  access_.check_keys(v, kGateKeys, pointer, "includes/excludes");
  oci::Gate g;
  if (const json* caps = JsonAccess::member(v, "caps")) {
    g.caps = access_.get_string_array(*caps, pointer + "/caps");
    const auto known = known_capabilities();
    for (std::size_t i = 0; i < g.caps->size(); ++i) {
      const std::string& cap = (*g.caps)[i];
      if (std::find(known.begin(), known.end(), cap) != known.end()) continue;
      // Docker compares these strings exactly with the bounding set
      // ("CAP_SYS_ADMIN"), so any other spelling would never match.
      access_.fail(fmt::format("{}/caps/{}", pointer, i),
                   fmt::format("unknown capability \"{}\" (Docker compares names exactly, as CAP_XXX){}", cap,
                               suggestion_suffix(cap, known)));
    }
  }
  if (const json* arches = JsonAccess::member(v, "arches")) {
    g.arches = access_.get_string_array(*arches, pointer + "/arches");
    for (std::size_t i = 0; i < g.arches->size(); ++i) {
      const std::string& arch = (*g.arches)[i];
      if (std::find(kDockerArchNames.begin(), kDockerArchNames.end(), arch) != kDockerArchNames.end()) continue;
      // Not an error: Docker accepts it and it simply never matches. Worth
      // saying, since "386" or "x86_64" look right and are not.
      warn(fmt::format("{}/arches/{}", pointer, i),
           fmt::format("\"{}\" is not an arch name Docker uses (amd64, x86, arm64, arm, ppc64le, s390x, ...); it "
                       "never matches{}",
                       arch, suggestion_suffix(arch, kDockerArchNames)));
    }
  }
  if (const json* mk = JsonAccess::member(v, "minKernel")) g.min_kernel = read_min_kernel(*mk, pointer + "/minKernel");
  return g;
}

// Docker accepts exactly "<kernel>.<major>", each 0..255, not 0.0.
KernelVersion Parser::read_min_kernel(const json& v, const std::string& pointer) const {
  const std::string s = access_.get_string(v, pointer);
  auto bad = [&](std::string_view why) {
    access_.fail(pointer,
                 fmt::format("invalid minKernel \"{}\": expected \"<kernel>.<major>\" such as \"4.8\"{}", s, why));
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
  return k;
}

}  // namespace

ParsedOci parse_oci_text(std::string_view text, const OciMessages& messages) { return Parser(messages).text(text); }

ParsedOci parse_oci_value(const nlohmann::json& profile, std::string_view base, const OciMessages& messages) {
  return Parser(messages).value(profile, base);
}

}  // namespace seccage::profile_detail
