// A program outside the project, built against the installed seccage through
// its CMake package and through pkg-config (tests/consumer/build.sh). It uses
// the seed's example: allow everything, kill write() to anything but stdout;
// compiling the policy exercises the library without installing a filter.
#include <cstdio>

#include <seccage/compiler.hpp>
#include <seccage/policy.hpp>

int main() {
  seccage::Filter filter(seccage::Action::allow());
  filter.add(seccage::Action::kill_process(), "write", {seccage::arg(0) != 1});
  const seccage::bpf::Program program = seccage::compile(filter.policy());
  std::printf("compiled %zu instructions\n", program.size());
  return program.empty() ? 1 : 0;
}
