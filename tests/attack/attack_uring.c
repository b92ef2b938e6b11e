/* Class 3: io_uring. Operations submitted through a ring are executed by the
 * kernel without passing the seccomp filter: OPENAT with O_CREAT, WRITE
 * through a ring-opened fd, MKDIRAT, SOCKET, CONNECT, UNLINKAT, RENAMEAT.
 * Raw syscalls only (no liburing).
 *
 *   attack_uring ATTEMPT DIR
 *
 * DIR holds the targets: DIR/victim (its content must not change; it must
 * not be unlinked or renamed), DIR/uring-created and DIR/uring-dir (must not
 * appear). The test checks those from outside; the program also says ESCAPE
 * when an operation completed. */
#include "attack.h"

#include <arpa/inet.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>

#define OP_BIND 56
#define OP_LISTEN 57

struct ring {
  int fd;
  unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
  struct io_uring_sqe* sqes;
  struct io_uring_cqe* cqes;
};

static int ring_setup(struct ring* r) {
  struct io_uring_params p;
  memset(&p, 0, sizeof p);
  r->fd = (int)syscall(SYS_io_uring_setup, 8, &p);
  if (r->fd < 0) return -1;
  size_t sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned);
  size_t cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
  char* sq = mmap(NULL, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
  char* cq = mmap(NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
  r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
                 r->fd, IORING_OFF_SQES);
  if (sq == MAP_FAILED || cq == MAP_FAILED || r->sqes == MAP_FAILED) return -1;
  r->sq_tail = (unsigned*)(sq + p.sq_off.tail);
  r->sq_mask = (unsigned*)(sq + p.sq_off.ring_mask);
  r->sq_array = (unsigned*)(sq + p.sq_off.array);
  r->cq_head = (unsigned*)(cq + p.cq_off.head);
  r->cq_tail = (unsigned*)(cq + p.cq_off.tail);
  r->cq_mask = (unsigned*)(cq + p.cq_off.ring_mask);
  r->cqes = (struct io_uring_cqe*)(cq + p.cq_off.cqes);
  return 0;
}

/* Submits one prepared SQE and waits for its completion: the result (>= 0,
 * or -errno), or -100000 - errno when io_uring_enter itself failed. */
static int ring_run(struct ring* r, const struct io_uring_sqe* sqe) {
  unsigned tail = *r->sq_tail;
  unsigned idx = tail & *r->sq_mask;
  r->sqes[idx] = *sqe;
  r->sq_array[idx] = idx;
  __atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
  if (syscall(SYS_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0) return -100000 - errno;
  unsigned head = __atomic_load_n(r->cq_head, __ATOMIC_ACQUIRE);
  if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE)) return -100000 - EAGAIN;
  int res = r->cqes[head & *r->cq_mask].res;
  __atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
  return res;
}

static int openat_ring(struct ring* r, const char* path, int flags) {
  struct io_uring_sqe s;
  memset(&s, 0, sizeof s);
  s.opcode = IORING_OP_OPENAT;
  s.fd = AT_FDCWD;
  s.addr = (unsigned long)path;
  s.open_flags = (unsigned)flags;
  s.len = 0644;
  return ring_run(r, &s);
}

static int socket_ring(struct ring* r, int family) {
  struct io_uring_sqe s;
  memset(&s, 0, sizeof s);
  s.opcode = IORING_OP_SOCKET;
  s.fd = family;
  s.off = SOCK_STREAM;
  return ring_run(r, &s);
}

static int report(const char* what, int res) {
  char msg[256];
  if (res >= 0) {
    snprintf(msg, sizeof msg, "%s completed (res %d)", what, res);
    return escaped(msg);
  }
  errno = res <= -100000 ? -(res + 100000) : -res;
  return blocked(res <= -100000 ? "io_uring_enter" : what);
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  begin(argv[1]);
  const char* a = argv[1];
  const char* dir = argv[2];
  char victim[4096], path[4096], path2[4096];
  snprintf(victim, sizeof victim, "%s/victim", dir);
  struct ring r;
  if (ring_setup(&r) != 0) return blocked("io_uring_setup");
  struct io_uring_sqe s;
  memset(&s, 0, sizeof s);
  if (strcmp(a, "openat") == 0) {
    snprintf(path, sizeof path, "%s/uring-created", dir);
    return report("IORING_OP_OPENAT O_CREAT", openat_ring(&r, path, O_WRONLY | O_CREAT));
  }
  if (strcmp(a, "write") == 0) {
    int fd = openat_ring(&r, victim, O_WRONLY | O_TRUNC);
    if (fd < 0) return report("IORING_OP_OPENAT O_WRONLY", fd);
    static const char text[] = "PWNED by io_uring\n";
    s.opcode = IORING_OP_WRITE;
    s.fd = fd;
    s.addr = (unsigned long)text;
    s.len = sizeof text - 1;
    return report("IORING_OP_WRITE into the victim", ring_run(&r, &s));
  }
  if (strcmp(a, "mkdirat") == 0) {
    snprintf(path, sizeof path, "%s/uring-dir", dir);
    s.opcode = IORING_OP_MKDIRAT;
    s.fd = AT_FDCWD;
    s.addr = (unsigned long)path;
    s.len = 0755;
    return report("IORING_OP_MKDIRAT", ring_run(&r, &s));
  }
  if (strcmp(a, "socket") == 0) return report("IORING_OP_SOCKET AF_INET", socket_ring(&r, AF_INET));
  if (strcmp(a, "connect") == 0) {
    /* A connect to a closed loopback port: ECONNREFUSED means it went out. */
    int fd = socket_ring(&r, AF_INET);
    if (fd < 0) return report("IORING_OP_SOCKET AF_INET", fd);
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons(1);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s.opcode = IORING_OP_CONNECT;
    s.fd = fd;
    s.addr = (unsigned long)&sin;
    s.off = sizeof sin;
    int res = ring_run(&r, &s);
    if (res == -ECONNREFUSED) res = 0;
    return report("IORING_OP_CONNECT to 127.0.0.1:1", res);
  }
  if (strcmp(a, "unlinkat") == 0) {
    s.opcode = IORING_OP_UNLINKAT;
    s.fd = AT_FDCWD;
    s.addr = (unsigned long)victim;
    return report("IORING_OP_UNLINKAT of the victim", ring_run(&r, &s));
  }
  if (strcmp(a, "renameat") == 0) {
    snprintf(path2, sizeof path2, "%s/uring-renamed", dir);
    s.opcode = IORING_OP_RENAMEAT;
    s.fd = AT_FDCWD;
    s.addr = (unsigned long)victim;
    s.len = (unsigned)AT_FDCWD;
    s.addr2 = (unsigned long)path2;
    return report("IORING_OP_RENAMEAT of the victim", ring_run(&r, &s));
  }
  (void)OP_BIND;
  (void)OP_LISTEN;
  return 2;
}
