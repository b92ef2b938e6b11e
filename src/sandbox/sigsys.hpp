// Why a program died of SIGSYS (docs/run.md, "Verdicts"). Every source of a
// SIGSYS the program can get, and what seccage knows of each:
//   - a kill of the policy: seccage carried it out (SIGKILL standing in for
//     the kernel's SIGSYS), so it knows the call;
//   - a TRAP of the policy: the kernel carries it out (the program's handler
//     gets a real SYS_SECCOMP signal); seccage learns of it only when the
//     program dies of it, and then not which call it was;
//   - a filter the program installed itself (seccage sees the install);
//   - a signal a process sent (kill -SYS): seccage sees the sending call when
//     the sender is in the sandbox.
#pragma once

#include <string>

#include "seccage/sandbox.hpp"

namespace seccage::sandbox {

struct SigsysFacts {
  bool supervised = false;
  bool killed_by_seccage = false;   // seccage killed it for the policy
  bool trapped_by_seccage = false;  // seccage sent it a trap's SIGSYS (calls that always notify)
  std::string sent_by;              // an observed SIGSYS sent to it: "pid 7: kill(pid=2, sig=SIGSYS)"
  bool own_filter = false;          // it installed a filter of its own
  bool policy_traps = false;        // the policy has a TRAP action the kernel carries out
  std::string trap_rule;            // the policy's only TRAP rule, when it has exactly one
  bool policy_kills = false;        // the policy has a KILL action (matters without supervision)
};

struct SigsysVerdict {
  SigsysCause cause;
  bool violation = false;  // a new violation must be recorded for it (none was yet)
  std::string rule;        // for that violation
};

SigsysVerdict explain_sigsys(const SigsysFacts& facts);

}  // namespace seccage::sandbox
