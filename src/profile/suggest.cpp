#include "profile/suggest.hpp"

#include "util/did_you_mean.hpp"

namespace seccage::profile_detail {

std::string suggestion_suffix(std::string_view word, std::span<const std::string_view> candidates) {
  if (auto s = seccage::did_you_mean(word, candidates)) return " (did you mean '" + *s + "'?)";
  return {};
}

}  // namespace seccage::profile_detail
