// The calls that some 32-bit ABIs (i386, m68k, MIPS o32, ppc, s390, sh) reach
// through the socketcall(2) and ipc(2) multiplexers. A filter sees only the
// multiplexer's number with the sub-call in args[0]; the real arguments sit
// behind a pointer in args[1] (socketcall) or in later registers (ipc), so a
// policy can tell sub-calls apart but cannot inspect what they are passed.
#include <linux/ipc.h>
#include <linux/net.h>

#include <algorithm>
#include <array>
#include <vector>

#include "seccage/arch.hpp"

namespace seccage {
namespace {

// The values are written out and checked against the kernel's uapi headers
// below, so a header that ever disagreed would stop the build.
constexpr std::array<MultiplexedCall, 32> kCalls{{
    {"socket", "socketcall", 1},       {"bind", "socketcall", 2},         {"connect", "socketcall", 3},
    {"listen", "socketcall", 4},       {"accept", "socketcall", 5},       {"getsockname", "socketcall", 6},
    {"getpeername", "socketcall", 7},  {"socketpair", "socketcall", 8},   {"send", "socketcall", 9},
    {"recv", "socketcall", 10},        {"sendto", "socketcall", 11},      {"recvfrom", "socketcall", 12},
    {"shutdown", "socketcall", 13},    {"setsockopt", "socketcall", 14},  {"getsockopt", "socketcall", 15},
    {"sendmsg", "socketcall", 16},     {"recvmsg", "socketcall", 17},     {"accept4", "socketcall", 18},
    {"recvmmsg", "socketcall", 19},    {"sendmmsg", "socketcall", 20},
    {"semop", "ipc", 1},               {"semget", "ipc", 2},              {"semctl", "ipc", 3},
    {"semtimedop", "ipc", 4},          {"msgsnd", "ipc", 11},             {"msgrcv", "ipc", 12},
    {"msgget", "ipc", 13},             {"msgctl", "ipc", 14},             {"shmat", "ipc", 21},
    {"shmdt", "ipc", 22},              {"shmget", "ipc", 23},             {"shmctl", "ipc", 24},
}};

constexpr std::uint32_t call_of(std::string_view name) {
  for (const auto& c : kCalls) {
    if (c.name == name) return c.call;
  }
  return 0;
}

static_assert(call_of("socket") == SYS_SOCKET && call_of("bind") == SYS_BIND && call_of("connect") == SYS_CONNECT &&
              call_of("listen") == SYS_LISTEN && call_of("accept") == SYS_ACCEPT &&
              call_of("getsockname") == SYS_GETSOCKNAME && call_of("getpeername") == SYS_GETPEERNAME &&
              call_of("socketpair") == SYS_SOCKETPAIR && call_of("send") == SYS_SEND && call_of("recv") == SYS_RECV &&
              call_of("sendto") == SYS_SENDTO && call_of("recvfrom") == SYS_RECVFROM &&
              call_of("shutdown") == SYS_SHUTDOWN && call_of("setsockopt") == SYS_SETSOCKOPT &&
              call_of("getsockopt") == SYS_GETSOCKOPT && call_of("sendmsg") == SYS_SENDMSG &&
              call_of("recvmsg") == SYS_RECVMSG && call_of("accept4") == SYS_ACCEPT4 &&
              call_of("recvmmsg") == SYS_RECVMMSG && call_of("sendmmsg") == SYS_SENDMMSG,
              "socketcall sub-call numbers disagree with linux/net.h");
static_assert(call_of("semop") == SEMOP && call_of("semget") == SEMGET && call_of("semctl") == SEMCTL &&
              call_of("semtimedop") == SEMTIMEDOP && call_of("msgsnd") == MSGSND && call_of("msgrcv") == MSGRCV &&
              call_of("msgget") == MSGGET && call_of("msgctl") == MSGCTL && call_of("shmat") == SHMAT &&
              call_of("shmdt") == SHMDT && call_of("shmget") == SHMGET && call_of("shmctl") == SHMCTL,
              "ipc sub-call numbers disagree with linux/ipc.h");

}  // namespace

std::span<const MultiplexedCall> multiplexed_calls() { return kCalls; }

std::optional<MultiplexedCall> multiplexed_call_by_id(std::uint32_t name_id) {
  // By name id, built once: the semantic layer asks for every rule.
  static const std::vector<std::int8_t> call_by_id = [] {
    std::vector<std::int8_t> out(all_syscall_names().size(), -1);
    for (std::size_t i = 0; i < kCalls.size(); ++i) {
      if (const std::uint32_t id = find_syscall_name_id(kCalls[i].name); id != kNoSyscall) out[id] = static_cast<std::int8_t>(i);
    }
    return out;
  }();
  if (name_id >= call_by_id.size() || call_by_id[name_id] < 0) return std::nullopt;
  return kCalls[static_cast<std::size_t>(call_by_id[name_id])];
}

std::optional<MultiplexedCall> multiplexed_call(std::string_view name) {
  auto it = std::find_if(kCalls.begin(), kCalls.end(), [&](const MultiplexedCall& c) { return c.name == name; });
  if (it == kCalls.end()) return std::nullopt;
  return *it;
}

}  // namespace seccage
