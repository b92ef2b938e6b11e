#!/usr/bin/env bash
# Benchmark of `seccage learn` (issue 14, item 7): learning a syscall-heavy
# workload against `strace -f -c -o /dev/null` on the same workload (target:
# at most half of strace's time) and against the workload run plainly.
# Two workloads: a C loop of getppid and 1-byte reads of /dev/zero (every
# call notifies: the worst case for a recorder), and tar archiving
# /usr/include to /dev/null (a real program: files, metadata, reads).
# Each round runs every command once, the rounds are interleaved, and the
# medians are compared, so a change in the machine's load hits all alike.
# Usage: bench/learn_bench.sh [path/to/seccage]   (default: build/seccage)
#        ROUNDS=7 CALLS=200000 bench/learn_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SECCAGE=${1:-build/seccage}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v strace >/dev/null || { echo "learn_bench: strace is not installed" >&2; exit 1; }

cat > "$work/loop.c" <<'C'
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 100000;
  int fd = open("/dev/zero", O_RDONLY);
  char c;
  for (long i = 0; i < n; ++i) {
    if (i % 2) getppid(); else if (read(fd, &c, 1) != 1) return 1;
  }
  return 0;
}
C
cc -O2 -o "$work/loop" "$work/loop.c"

python3 - "${ROUNDS:-7}" "$SECCAGE" "$work/loop" "${CALLS:-200000}" <<'PY'
import statistics, subprocess, sys, time
rounds, seccage, loop, calls = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
workloads = {
    f"C loop, {calls} calls": [loop, calls],
    "tar -cf /dev/null /usr/include": ["tar", "-cf", "/dev/null", "/usr/include"],
}
def variants(cmd):
    return {
        "plain": cmd,
        "strace -f -c -o /dev/null": ["strace", "-f", "-c", "-o", "/dev/null"] + cmd,
        "seccage learn": [seccage, "learn", "-q", "-o", "/dev/null", "--"] + cmd,
    }
for title, cmd in workloads.items():
    runs = variants(cmd)
    for c in runs.values():
        subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)  # warm caches
    times = {k: [] for k in runs}
    for _ in range(rounds):
        for name, c in runs.items():
            t = time.perf_counter()
            subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times[name].append((time.perf_counter() - t) * 1000)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{title}: median of {rounds} interleaved rounds (ms; min..max)")
    for k, v in times.items():
        print(f"  {k:28s} {med[k]:9.1f} ({min(v):.1f}..{max(v):.1f})  {med[k] / med['plain']:6.2f}x plain"
              f"  {med[k] / med['strace -f -c -o /dev/null']:5.2f}x strace")
PY
