// A learned profile in the format asked for, with its notes where the
// format has room for them.
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "seccage/error.hpp"
#include "seccage/learn.hpp"
#include "seccage/policy_text.hpp"
#include "seccage/writers.hpp"

namespace seccage::learn {
namespace {

std::string note_lines(const LearnedProfile& p) {
  std::string out;
  for (const auto& [name, note] : p.notes) out += fmt::format("\nnote: {}: {}", name, note);
  return out;
}

// OCI JSON has a "comment" on each syscalls entry (Docker's schema; runc and
// crun ignore it, seccage reads it): a note goes on every entry naming its
// syscall.
std::string with_comments(const std::string& oci, const LearnedProfile& p) {
  if (p.notes.empty()) return oci;
  auto doc = nlohmann::ordered_json::parse(oci);
  auto it = doc.find("syscalls");
  if (it == doc.end() || !it->is_array()) return oci;
  for (auto& entry : *it) {
    std::string comment;
    for (const auto& name : entry.value("names", std::vector<std::string>{})) {
      auto note = p.notes.find(name);
      if (note != p.notes.end()) comment += fmt::format("{}{}: {}", comment.empty() ? "" : "; ", name, note->second);
    }
    if (!comment.empty()) entry["comment"] = comment;
  }
  return doc.dump(2) + "\n";
}

}  // namespace

OutputFormat parse_output_format(std::string_view text) {
  if (text == "oci" || text == "json") return OutputFormat::Oci;
  if (text == "text") return OutputFormat::Text;
  if (text == "spo" || text == "yaml") return OutputFormat::Spo;
  throw InputError(fmt::format("output format '{}': expected oci, text or spo", text));
}

std::string write_profile(const LearnedProfile& profile, OutputFormat format, std::string_view header,
                          std::vector<std::string>* warnings) {
  switch (format) {
    case OutputFormat::Oci: return with_comments(write_oci_json(profile.policy, {}, warnings), profile);
    case OutputFormat::Text: {
      TextWriteOptions o;
      o.header = std::string(header) + note_lines(profile);
      return write_text_policy(profile.policy, o);
    }
    case OutputFormat::Spo: {
      std::string comments;
      std::string lines = std::string(header) + note_lines(profile);
      for (std::size_t start = 0; start <= lines.size();) {
        std::size_t end = lines.find('\n', start);
        if (end == std::string::npos) end = lines.size();
        if (end > start) comments += "# " + lines.substr(start, end - start) + "\n";
        start = end + 1;
      }
      return comments + write_spo_yaml(profile.policy, {}, warnings);
    }
  }
  throw InputError("unknown output format");
}

}  // namespace seccage::learn
