// Security Profiles Operator SeccompProfile objects: picks the profile out of
// the YAML stream, checks the object against the CRD (v1 and v1beta1 have
// the same spec fields), fills in what SPO's omitempty fields leave out, and
// hands `spec` to the OCI reader, so it means exactly what the same fields
// mean in OCI JSON.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "profile/oci_reader_hooks.hpp"
#include "profile/suggest.hpp"
#include "profile/yaml_json.hpp"
#include "seccage/error.hpp"
#include "seccage/formats.hpp"

namespace seccage {

namespace {

using json = nlohmann::json;
using profile_detail::YamlDocument;

constexpr std::string_view kGroup = "security-profiles-operator.x-k8s.io/";
constexpr std::array<std::string_view, 3> kVersions = {"v1", "v1beta1", "v1alpha1"};
constexpr std::array<std::string_view, 5> kObjectKeys = {"apiVersion", "kind", "metadata", "spec", "status"};
// SeccompProfileSpec (api/seccompprofile/v1) with SpecBase's `disabled`;
// defaultErrnoRet is not a CRD field but seccage's writer adds it (warned).
constexpr std::array<std::string_view, 9> kSpecKeys = {
    "baseProfileName", "defaultAction", "architectures", "listenerPath", "listenerMetadata",
    "syscalls",        "flags",         "disabled",      "defaultErrnoRet"};
constexpr std::array<std::string_view, 4> kSyscallKeys = {"names", "action", "errnoRet", "args"};
constexpr std::array<std::string_view, 4> kArgKeys = {"index", "value", "valueTwo", "op"};

struct Candidate {
  const YamlDocument* doc;
  std::string pointer;  // of the object in its document: "" or "/items/3"
  std::string name;     // metadata.name, may be empty
};

class SpoReader {
 public:
  SpoReader(std::string_view text, std::string_view source, const SpoReadOptions& options)
      : text_(text), source_(source), options_(options) {}

  OciProfile run() {
    docs_ = profile_detail::parse_yaml_documents(text_, source_);
    multi_ = docs_.size() > 1;
    std::vector<Candidate> found;
    for (const YamlDocument& d : docs_) collect(d, found);
    const Candidate chosen = choose(found);
    return read(chosen);
  }

 private:
  std::string where(const YamlDocument& d, std::string pointer) const {
    auto it = d.positions.find(pointer);
    while (it == d.positions.end() && !pointer.empty()) {
      pointer.erase(pointer.rfind('/'));
      it = d.positions.find(pointer);
    }
    const profile_detail::YamlPosition p = it == d.positions.end() ? profile_detail::YamlPosition{} : it->second;
    return fmt::format("{}:{}:{}{}", source_, p.line, p.column, multi_ ? fmt::format(" (document {})", d.number) : "");
  }

  [[noreturn]] void fail(const YamlDocument& d, const std::string& pointer, const std::string& message) const {
    throw InputError(fmt::format("{}: {}{}SPO YAML: {}", where(d, pointer), pointer, pointer.empty() ? "" : ": ", message));
  }

  void warn(const YamlDocument& d, const std::string& pointer, const std::string& message) {
    warnings_.push_back(fmt::format("{}: {}{}{}", where(d, pointer), pointer, pointer.empty() ? "" : ": ", message));
  }

  static std::string string_member(const json& obj, std::string_view key) {
    auto it = obj.find(std::string(key));
    return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
  }

  void collect(const YamlDocument& d, std::vector<Candidate>& out) {
    if (d.value.is_null()) return;  // an empty document ("---" at the end)
    if (!d.value.is_object()) fail(d, "", "expected a Kubernetes object (apiVersion, kind, metadata, spec)");
    const std::string kind = string_member(d.value, "kind");
    if (kind == "List" || kind == "SeccompProfileList") {
      auto items = d.value.find("items");
      if (items == d.value.end() || !items->is_array()) fail(d, "/items", "a List needs an items array");
      for (std::size_t i = 0; i < items->size(); ++i) {
        const json& item = (*items)[i];
        const std::string p = fmt::format("/items/{}", i);
        if (item.is_object() && string_member(item, "kind") == "SeccompProfile") out.push_back(candidate(d, p, item));
        else warn(d, p, "not a SeccompProfile; skipped");
      }
      return;
    }
    if (kind.empty()) fail(d, "", "this document has no kind; expected kind: SeccompProfile");
    if (kind != "SeccompProfile") {
      warn(d, "/kind", fmt::format("a {}, not a SeccompProfile; skipped", kind));
      return;
    }
    out.push_back(candidate(d, "", d.value));
  }

  Candidate candidate(const YamlDocument& d, const std::string& p, const json& obj) {
    const std::string api = string_member(obj, "apiVersion");
    const bool known = api.starts_with(kGroup) &&
                       std::find(kVersions.begin(), kVersions.end(), std::string_view(api).substr(kGroup.size())) !=
                           kVersions.end();
    if (!known)
      fail(d, p + "/apiVersion",
           fmt::format("apiVersion \"{}\" is not the Security Profiles Operator's (expected {}v1 or {}v1beta1)", api,
                       kGroup, kGroup));
    std::string name;
    if (auto m = obj.find("metadata"); m != obj.end() && m->is_object()) name = string_member(*m, "name");
    return {&d, p, name};
  }

  Candidate choose(const std::vector<Candidate>& found) const {
    std::vector<std::string> names;
    for (const Candidate& c : found) names.push_back(c.name.empty() ? "(no name)" : c.name);
    if (!options_.profile_name.empty()) {
      for (const Candidate& c : found)
        if (c.name == options_.profile_name) return c;
      throw InputError(fmt::format("{}: SPO YAML: no SeccompProfile named \"{}\" (the file has: {})", source_,
                                   options_.profile_name, fmt::join(names, ", ")));
    }
    if (found.empty()) throw InputError(fmt::format("{}: SPO YAML: no SeccompProfile object in the file", source_));
    if (found.size() > 1)
      throw InputError(fmt::format("{}: SPO YAML: the file holds {} SeccompProfiles ({}); seccage reads one: keep "
                                   "one in the file (or pick it by name through the library's SpoReadOptions)",
                                   source_, found.size(), fmt::join(names, ", ")));
    return found.front();
  }

  template <std::size_t N>
  void check_keys(const YamlDocument& d, const json& obj, const std::array<std::string_view, N>& known,
                  const std::string& p, std::string_view what) const {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (std::find(known.begin(), known.end(), it.key()) != known.end()) continue;
      // The API server prunes fields the CRD does not have, so a Docker field
      // such as "includes" would silently vanish from the profile SPO installs.
      fail(d, p + "/" + profile_detail::pointer_token(it.key()),
           fmt::format("\"{}\" is not a field of {} in the SeccompProfile CRD (the API server would drop it){}",
                       it.key(), what, profile_detail::suggestion_suffix(it.key(), known)));
    }
  }

  // What SPO's types and the OCI runtimes make of the CRD's omitempty
  // fields: an absent value or valueTwo is 0, an errnoRet of 0 is unset.
  json normalise_spec(const YamlDocument& d, const json& spec, const std::string& sp) {
    json out = spec;
    check_keys(d, spec, kSpecKeys, sp, "spec");
    if (auto base = spec.find("baseProfileName"); base != spec.end() && !(base->is_string() && base->get<std::string>().empty()))
      fail(d, sp + "/baseProfileName",
           fmt::format("baseProfileName {} is not supported: SPO unions another SeccompProfile (or an oci:// "
                       "artifact) into this one, which the file alone cannot resolve; copy its syscalls into this "
                       "profile instead",
                       base->dump()));
    out.erase("baseProfileName");
    if (auto dis = spec.find("disabled"); dis != spec.end()) {
      if (dis->is_boolean() && dis->get<bool>())
        warn(d, sp + "/disabled", "the profile is disabled: SPO does not install it on the nodes");
      out.erase("disabled");
    }
    if (spec.contains("defaultErrnoRet"))
      warn(d, sp + "/defaultErrnoRet",
           "not a field of the SeccompProfile CRD: an API server that prunes unknown fields drops it, and the "
           "default action then returns EPERM");
    auto calls = out.find("syscalls");
    if (calls == out.end() || !calls->is_array()) return out;
    for (std::size_t i = 0; i < calls->size(); ++i) {
      json& call = (*calls)[i];
      const std::string cp = fmt::format("{}/syscalls/{}", sp, i);
      if (!call.is_object()) continue;  // the OCI reader says what it expected
      check_keys(d, call, kSyscallKeys, cp, "a syscall rule");
      if (auto e = call.find("errnoRet"); e != call.end() && e->is_number_integer() && e->get<std::int64_t>() == 0)
        call.erase("errnoRet");
      auto args = call.find("args");
      if (args == call.end() || !args->is_array()) continue;
      for (std::size_t k = 0; k < args->size(); ++k) {
        json& arg = (*args)[k];
        if (!arg.is_object()) continue;
        check_keys(d, arg, kArgKeys, fmt::format("{}/args/{}", cp, k), "a syscall argument");
        if (!arg.contains("value") || arg["value"].is_null()) arg["value"] = std::uint64_t{0};
      }
    }
    return out;
  }

  OciProfile read(const Candidate& c) {
    const YamlDocument& d = *c.doc;
    const json& obj = c.pointer.empty() ? d.value : d.value.at(json::json_pointer(c.pointer));
    check_keys(d, obj, kObjectKeys, c.pointer, "the object");
    auto spec = obj.find("spec");
    if (spec == obj.end() || spec->is_null()) fail(d, c.pointer, "the SeccompProfile has no spec");
    const std::string sp = c.pointer + "/spec";
    if (!spec->is_object()) fail(d, sp, "expected an object with defaultAction, architectures and syscalls");
    const json normalised = normalise_spec(d, *spec, sp);
    OciProfile out = profile_detail::read_oci_profile_value(
        normalised, source_, sp, [this, &d](const std::string& pointer) { return where(d, pointer); },
        options_.resolve);
    out.warnings.insert(out.warnings.begin(), warnings_.begin(), warnings_.end());
    return out;
  }

  std::string_view text_;
  std::string source_;
  const SpoReadOptions& options_;
  std::vector<YamlDocument> docs_;
  bool multi_ = false;
  std::vector<std::string> warnings_;
};

}  // namespace

OciProfile read_spo_profile_text(std::string_view yaml, std::string_view source_name, const SpoReadOptions& options) {
  return SpoReader(yaml, source_name, options).run();
}

}  // namespace seccage
