// io_uring: the way around a seccomp policy, and the guard that closes it.
//
// A seccomp filter runs for syscalls only. Once a program has a ring
// (io_uring_setup), IORING_OP_OPENAT, _WRITE, _SOCKET, _CONNECT, _MKDIRAT, ...
// do the work of openat, write, socket, connect, mkdirat without the filter
// ever seeing them. So a policy that denies any of those syscalls means
// nothing unless io_uring is denied too (docs/semantics.md, "io_uring").
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "seccage/policy.hpp"

namespace seccage {

// One io_uring opcode (Linux 6.18's table) and the syscalls whose work it
// does. Opcodes that do no syscall's work (NOP, TIMEOUT, ASYNC_CANCEL,
// PROVIDE_BUFFERS, FILES_UPDATE, MSG_RING, ...) are not listed.
struct IoUringOp {
  std::string_view op;                         // "IORING_OP_OPENAT"
  std::span<const std::string_view> syscalls;  // "open", "openat", "creat"
};
std::span<const IoUringOp> io_uring_ops();

// A denial io_uring gets around: a syscall the policy denies for some
// arguments on some of its arches, and the opcode that does its work.
struct IoUringRoute {
  std::string syscall;
  std::string_view op;
  std::string to_string() const;  // "openat (IORING_OP_OPENAT)"
};

// Every route of the policy, in io_uring_ops() order. "Denies" is read
// widely: any action but allow and log (a notifying or tracing supervisor
// may refuse) counts, and a syscall with conditional rules counts when any
// of them, or the default, denies. Over-counting only costs io_uring.
std::vector<IoUringRoute> io_uring_routes(const Policy& policy);

// True when some argument values of io_uring_setup reach the kernel (the
// policy allows or logs it for them) on some arch of the policy.
bool io_uring_setup_reachable(const Policy& policy);

// True when an allow or log rule names io_uring_setup (by name, or by its
// number on an arch of the policy): the author's explicit opt-in.
bool allows_io_uring_by_name(const Policy& policy);

// The guard of seccage's own policy forms (text language, rule options,
// presets). Unless `allowed_by_name`, a policy with any route gets
// io_uring_setup, io_uring_enter and io_uring_register denied with ENOSYS
// (libraries then fall back to plain syscalls, which the filter checks).
// enter and register are denied too because a ring can be inherited. A
// call the policy already denies for every argument (an unconditional kill,
// trap or errno, or a denying default no rule overrides) keeps that answer. With `allowed_by_name`, rules an earlier guard added are
// taken out again, so allowing io_uring_setup by name allows io_uring.
// Returns the routes found (empty: the policy was left as it was).
std::vector<IoUringRoute> guard_io_uring(Policy& policy, bool allowed_by_name);

// The guard's rules: ENOSYS for each of the three calls some arguments of
// which would get through.
void deny_io_uring(Policy& policy, const std::string& why);

// What the RuleOrigin::name of every guard rule starts with ("io_uring guard: ...").
inline constexpr std::string_view kIoUringGuardOrigin = "io_uring guard";

}  // namespace seccage
