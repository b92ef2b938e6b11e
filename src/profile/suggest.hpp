// The profile reader's way of appending a did-you-mean to a message, on top
// of the shared seccage::did_you_mean (src/util/did_you_mean.hpp).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace seccage::profile_detail {

// " (did you mean 'x'?)" or "" when nothing is close.
std::string suggestion_suffix(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace seccage::profile_detail
