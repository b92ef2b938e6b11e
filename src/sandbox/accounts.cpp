#include "seccage/accounts.hpp"

#include <charconv>
#include <vector>

#include "util/read_file.hpp"

namespace seccage::sandbox {
namespace {

std::optional<std::uint32_t> parse_id(std::string_view text) {
  std::uint32_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

// Calls `visit(fields)` for each well-formed line (colon-separated, at least
// `min_fields` fields), until it returns true. Comments and the old NIS
// "+"/"-" lines are skipped.
template <class Visit>
void for_each_entry(const std::string& path, std::size_t min_fields, Visit visit) {
  const std::string text = read_small_file(path).value_or("");
  std::vector<std::string_view> fields;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    const std::string_view line(text.data() + pos, eol - pos);
    pos = eol + 1;
    if (line.empty() || line[0] == '#' || line[0] == '+' || line[0] == '-') continue;
    fields.clear();
    std::size_t start = 0;
    for (;;) {
      const std::size_t colon = line.find(':', start);
      fields.push_back(line.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
      if (colon == std::string_view::npos) break;
      start = colon + 1;
    }
    if (fields.size() < min_fields || fields[0].empty()) continue;
    if (visit(fields)) return;
  }
}

std::optional<Account> find_account(const std::string& path, std::string_view name, std::optional<std::uint32_t> uid) {
  std::optional<Account> found;
  for_each_entry(path, 4, [&](const std::vector<std::string_view>& f) {
    const auto u = parse_id(f[2]);
    const auto g = parse_id(f[3]);
    if (!u || !g) return false;
    if (uid ? *u != *uid : f[0] != name) return false;
    found = Account{*u, *g};
    return true;
  });
  return found;
}

}  // namespace

std::optional<Account> find_user(std::string_view name, const std::string& passwd_file) {
  return find_account(passwd_file, name, std::nullopt);
}

std::optional<Account> find_user_by_uid(std::uint32_t uid, const std::string& passwd_file) {
  return find_account(passwd_file, {}, uid);
}

std::optional<std::uint32_t> find_group(std::string_view name, const std::string& group_file) {
  std::optional<std::uint32_t> found;
  for_each_entry(group_file, 3, [&](const std::vector<std::string_view>& f) {
    if (f[0] != name) return false;
    found = parse_id(f[2]);
    return found.has_value();
  });
  return found;
}

}  // namespace seccage::sandbox
