#!/usr/bin/env bash
# Benchmarks of `seccage run` (issue 5, item 6):
#  1. start-up: `seccage run --preset default -- /bin/true` against plain
#     /bin/true (target: under 2 ms extra);
#  2. a syscall-heavy program under seccage (filter + supervisor) against the
#     same filter installed without a supervisor (`--no-notify`), and against
#     no filter at all (target: within 5%).
# Usage: bench/run_bench.sh [path/to/seccage]   (default: build/seccage)
set -euo pipefail
cd "$(dirname "$0")/.."
SECCAGE=${1:-build/seccage}
N=${N:-300}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# N runs of a command (one process for the loop, so shell start-up does not
# count), best of 3 rounds: "WALL CPU", both in ms per run. CPU is user+system
# of the command and everything it waited for (getrusage(RUSAGE_CHILDREN)).
per_run() {
  python3 - "$N" "$@" <<'PY'
import resource, subprocess, sys, time
n = int(sys.argv[1]); cmd = sys.argv[2:]
subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm caches
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
best = None
for _ in range(3):
    t, c = time.perf_counter(), cpu()
    for _ in range(n):
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    v = ((time.perf_counter() - t) * 1000 / n, (cpu() - c) * 1000 / n)
    best = v if best is None or v[0] < best[0] else best
print(f"{best[0]:.3f} {best[1]:.3f}")
PY
}
sub() { python3 -c "print(f'{$1-$2:.3f}')"; }

read -r plain plain_cpu < <(per_run /bin/true)
read -r under under_cpu < <(per_run "$SECCAGE" run -q --preset default -- /bin/true)
printf 'start-up: /bin/true %s ms, under seccage run --preset default %s ms, extra %s ms (CPU: %s, %s, extra %s ms)\n' \
  "$plain" "$under" "$(sub "$under" "$plain")" "$plain_cpu" "$under_cpu" "$(sub "$under_cpu" "$plain_cpu")"

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
