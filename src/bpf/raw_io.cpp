// Raw programs: arrays of struct sock_filter in host byte order.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <fmt/core.h>

#include "seccage/bpf.hpp"
#include "seccage/bpf.hpp"
#include "seccage/error.hpp"
#include "seccage/atomic_file.hpp"

namespace seccage::bpf {
namespace {

constexpr std::size_t kInsnSize = sizeof(Insn);
constexpr std::size_t kMaxBytes = kMaxInsns * kInsnSize;

// Closes a descriptor on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now so the caller sees close()'s error (NFS reports write errors there).
  int close_now() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

}  // namespace

Program read_raw(std::span<const std::byte> bytes) {
  if (bytes.empty()) throw InputError("empty program (0 bytes; a filter needs at least one instruction)");
  if (bytes.size() % kInsnSize != 0) {
    throw InputError(fmt::format("{} bytes is not a multiple of {} (struct sock_filter)", bytes.size(), kInsnSize));
  }
  const std::size_t count = bytes.size() / kInsnSize;
  if (count > kMaxInsns) {
    throw InputError(fmt::format("{} instructions is more than the kernel's limit of {} (BPF_MAXINSNS)", count, kMaxInsns));
  }
  Program program(count);
  // Insn has the layout of struct sock_filter, so a byte copy is the decoding.
  std::memcpy(program.data(), bytes.data(), bytes.size());
  return program;
}

Program read_raw_fd(int fd, std::string_view name) {
  // Read at most one instruction past the limit: enough to tell a too-long
  // program, without swallowing /dev/zero or a huge file.
  std::vector<std::byte> buffer(kMaxBytes + kInsnSize);
  std::size_t used = 0;
  while (used < buffer.size()) {
    ssize_t n = ::read(fd, buffer.data() + used, buffer.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw InputError(fmt::format("{}: cannot read: {}", name, std::strerror(errno)));
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > kMaxBytes) {
    struct stat st {};
    std::string size = fmt::format("more than {} bytes", kMaxBytes);
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) size = fmt::format("{} bytes", st.st_size);
    throw InputError(fmt::format("{}: {} is more than the kernel's limit of {} instructions (BPF_MAXINSNS, {} bytes)",
                                 name, size, kMaxInsns, kMaxBytes));
  }
  try {
    return read_raw(std::span<const std::byte>(buffer.data(), used));
  } catch (const InputError& e) {
    throw InputError(fmt::format("{}: {}", name, e.what()));
  }
}

Program read_raw_file(const std::filesystem::path& path) {
  const std::string name = "file " + path.string();
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw InputError(fmt::format("{}: cannot open: {}", name, std::strerror(errno)));
  return read_raw_fd(fd.get(), name);
}

Program read_raw_input(std::string_view file) {
  if (file == "-") return read_raw_fd(STDIN_FILENO, "stdin");
  return read_raw_file(std::filesystem::path(file));
}

std::vector<std::byte> to_raw(const Program& program) {
  std::vector<std::byte> bytes(program.size() * kInsnSize);
  if (!program.empty()) std::memcpy(bytes.data(), program.data(), bytes.size());
  return bytes;
}

void write_raw_file(const Program& program, const std::filesystem::path& path) {
  const std::vector<std::byte> bytes = to_raw(program);
  write_file_atomically(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace seccage::bpf
