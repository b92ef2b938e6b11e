// What a fuzz target does when an invariant breaks: print what and why, and
// abort, so that libFuzzer keeps the input as a crash reproducer.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

[[noreturn]] inline void fuzz_fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "%s\n%s\n", what, detail.c_str());
  std::abort();
}
