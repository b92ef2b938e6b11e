#include "profile/oci_model.hpp"

namespace seccage::oci {

const Entry* entry_at(const Profile& profile, const Pointer& pointer) {
  for (const Entry& e : profile.syscalls) {
    if (e.at.empty() || !pointer.starts_with(e.at)) continue;
    // "/syscalls/1" must not claim "/syscalls/12".
    if (pointer.size() == e.at.size() || pointer[e.at.size()] == '/') return &e;
  }
  return nullptr;
}

}  // namespace seccage::oci
