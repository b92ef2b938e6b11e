#!/usr/bin/env bash
# Benchmarks of `seccage run`:
#  1. start-up: `seccage run --preset default -- /bin/true` against plain
#     /bin/true and against bwrap with the same filter (issue 10: at most
#     2.5x /bin/true, and faster than bwrap);
#  2. a syscall-heavy program under seccage (filter + supervisor) against the
#     same filter installed without a supervisor (`--no-notify`), and against
#     no filter at all (target: within 5%).
# Usage: bench/run_bench.sh [path/to/seccage]   (default: build/seccage)
set -euo pipefail
cd "$(dirname "$0")/.."
SECCAGE=${1:-build/seccage}
N=${N:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Start-up, issue 10: `seccage run --preset default -- /bin/true` (own user,
# PID and mount namespaces) beside plain /bin/true, beside the same run
# without namespaces, and beside bubblewrap running /bin/true with the same
# filter (`seccage compile --preset default`) and the same isolation (user,
# PID and mount namespaces, its own /proc). Each round runs every command N
# times in a row, the rounds are interleaved, and the medians of the rounds
# are compared, so a change in the machine's load hits all alike. Reported as
# ratios to /bin/true and to bwrap.
"$SECCAGE" compile --preset default -o "$work/default.bpf"
python3 - "$N" "${ROUNDS:-7}" "$SECCAGE" "$work/default.bpf" <<'PY'
import os, shutil, statistics, subprocess, sys, time
n, rounds, seccage, bpf = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
cmds = {
    "/bin/true": ["/bin/true"],
    "seccage run": [seccage, "run", "-q", "--preset", "default", "--", "/bin/true"],
    "seccage run --no-namespaces": [seccage, "run", "-q", "--no-namespaces", "--preset", "default", "--", "/bin/true"],
}
bwrap = shutil.which("bwrap")
if bwrap:
    cmds["bwrap --seccomp"] = [bwrap, "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--unshare-user",
                               "--unshare-pid", "--seccomp", "3", "/bin/true"]
# bwrap reads the filter from fd 3: it is fd 3 here too, rewound before each
# run (no preexec_fn, which would make Python fork the slow way for bwrap only).
os.dup2(os.open(bpf, os.O_RDONLY), 3)
def spawn(cmd):
    is_bwrap = cmd[0] == bwrap
    if is_bwrap:
        os.lseek(3, 0, os.SEEK_SET)
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   pass_fds=(3,) if is_bwrap else ())
for cmd in cmds.values():
    spawn(cmd)  # warm caches
times = {k: [] for k in cmds}
for _ in range(rounds):
    for name, cmd in cmds.items():
        t = time.perf_counter()
        for _ in range(n):
            spawn(cmd)
        times[name].append((time.perf_counter() - t) * 1000 / n)
med = {k: statistics.median(v) for k, v in times.items()}
print(f"start-up, median of {rounds} interleaved rounds of {n} runs each (ms per run; min..max of the rounds):")
for k, v in times.items():
    ratio = med[k] / med["/bin/true"]
    extra = f", {med[k] / med['bwrap --seccomp']:.2f}x bwrap" if "bwrap --seccomp" in med and k != "bwrap --seccomp" else ""
    print(f"  {k:30s} {med[k]:7.3f} ms  ({min(v):.3f}..{max(v):.3f})  {ratio:.2f}x /bin/true{extra}")
if not bwrap:
    print("  (bwrap not installed: scripts/install-deps installs bubblewrap)")
PY

# A syscall-heavy program: 2 million getppid+read-at-EOF calls (allowed, so
# they never leave the kernel), plus a few denied calls the supervisor answers.
cat > "$work/heavy.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(void) {
  int fd = open("/dev/null", O_RDONLY);
  char c;
  for (int i = 0; i < 1000000; ++i) { syscall(SYS_getppid); if (read(fd, &c, 1) < 0) return 1; }
  for (int i = 0; i < 100; ++i) syscall(SYS_kcmp, 0, 0, 0, 0, 0);  /* denied by the default preset: EPERM */
  return 0;
}
C
cc -O2 -o "$work/heavy" "$work/heavy.c"
# The three runs are interleaved (round after round) and the medians compared,
# so a change in the machine's load hits all three alike.
read -r bare nosup sup < <(python3 - "${HEAVY_ROUNDS:-15}" "$work/heavy" "$SECCAGE" <<'PY'
import statistics, subprocess, sys, time
rounds, heavy, seccage = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cmds = [[heavy], [seccage, "run", "-q", "--no-notify", "--preset", "default", "--", heavy],
        [seccage, "run", "-q", "--preset", "default", "--", heavy]]
times = [[] for _ in cmds]
for _ in range(rounds):
    for i, cmd in enumerate(cmds):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[i].append((time.perf_counter() - t) * 1000)
print(" ".join(f"{statistics.median(t):.1f}" for t in times))
PY
)
printf 'syscall-heavy (2M allowed calls + 100 denied, median of %s interleaved rounds): no filter %s ms, filter without supervisor %s ms, with supervisor %s ms (%s%% vs the same filter)\n' \
  "${HEAVY_ROUNDS:-15}" "$bare" "$nosup" "$sup" "$(python3 -c "print(f'{($sup-$nosup)/$nosup*100:+.1f}')")"
