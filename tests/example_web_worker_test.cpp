// examples/web-worker.policy does what its comments say, in the real kernel:
// sockets of the inet, inet6 and unix families only, and no mapping that is
// writable and executable at once, while the read+exec mappings the dynamic
// loader makes still work. The example as shipped before issue 12 let every
// socket family and RWX mappings through (its conditional allows had no
// effect after `allow @system-service`); the last test keeps that form to
// show these tests can tell the difference.
#include <gtest/gtest.h>

#include <linux/netlink.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "seccage/compiler.hpp"
#include "seccage/policy_text.hpp"
#include "support/child.hpp"

namespace seccage {
namespace {

namespace fs = std::filesystem;

const fs::path kExample = fs::path(SECCAGE_SOURCE_DIR) / "examples" / "web-worker.policy";

// What each attempt returned in the child: 0 success, else the errno.
struct Attempts {
  int inet = -1, unix_ = -1, netlink = -1, packet = -1;
  int map_rw = -1, map_rx = -1, map_rwx = -1, protect_rwx = -1;
};

int socket_errno(int family, int type, int protocol) {
  const int fd = static_cast<int>(syscall(SYS_socket, family, type, protocol));
  if (fd < 0) return errno;
  close(fd);
  return 0;
}

int mmap_errno(int prot) {
  void* p = mmap(nullptr, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return errno;
  munmap(p, 4096);
  return 0;
}

// Runs every attempt under the policy in a child (the filter stays there).
Attempts attempts_under(const Policy& policy) {
  const bpf::Program program = compile(policy);
  const test::ChildResult r = test::run_in_child([&](int report) {
    // The page mprotect tries to make RWX is mapped before the filter.
    void* page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) return 2;
    if (test::install_filter(program) != 0) return 3;
    Attempts a;
    a.inet = socket_errno(AF_INET, SOCK_STREAM, 0);
    a.unix_ = socket_errno(AF_UNIX, SOCK_STREAM, 0);
    a.netlink = socket_errno(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    // AF_PACKET needs CAP_NET_RAW: as a user it fails with EPERM whatever
    // the filter says, so only the netlink attempt tells the filters apart.
    a.packet = socket_errno(AF_PACKET, SOCK_RAW, 0);
    a.map_rw = mmap_errno(PROT_READ | PROT_WRITE);
    a.map_rx = mmap_errno(PROT_READ | PROT_EXEC);
    a.map_rwx = mmap_errno(PROT_READ | PROT_WRITE | PROT_EXEC);
    a.protect_rwx = mprotect(page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC) == 0 ? 0 : errno;
    return test::write_value(report, a) ? 0 : 4;
  });
  EXPECT_TRUE(r.ok()) << r.describe();
  const auto v = test::read_values<Attempts>(r.output);
  return v.empty() ? Attempts{} : v[0];
}

TEST(ExampleWebWorker, OnlyInetInet6AndUnixSockets) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "web-worker.policy is written for x86_64";
#endif
  const Attempts a = attempts_under(read_text_policy(kExample).policy);
  EXPECT_EQ(a.inet, 0);
  EXPECT_EQ(a.unix_, 0);
  EXPECT_EQ(a.netlink, EPERM);
  EXPECT_EQ(a.packet, EPERM);
}

TEST(ExampleWebWorker, NoWritableAndExecutableMemoryButLoaderMappingsWork) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "web-worker.policy is written for x86_64";
#endif
  const Attempts a = attempts_under(read_text_policy(kExample).policy);
  EXPECT_EQ(a.map_rw, 0);
  EXPECT_EQ(a.map_rx, 0);  // what ld.so does for every shared library
  EXPECT_EQ(a.map_rwx, EPERM);
  EXPECT_EQ(a.protect_rwx, EPERM);
}

TEST(ExampleWebWorker, TheFormerExampleLetEverySocketAndRwxMappingThrough) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "web-worker.policy is written for x86_64";
#endif
  const Policy old = read_text_policy_text(
                         "default errno(EPERM)\narch x86_64\nallow @system-service\n"
                         "deny @privileged, @mount, @raw-io\n"
                         "allow socket: arg0 == AF_INET || arg0 == AF_INET6 || arg0 == AF_UNIX\n"
                         "allow mmap, mprotect: arg2 & PROT_EXEC == 0\n",
                         "old-web-worker.policy")
                         .policy;
  const Attempts a = attempts_under(old);
  EXPECT_EQ(a.netlink, 0);
  EXPECT_EQ(a.map_rwx, 0);
}

}  // namespace
}  // namespace seccage
