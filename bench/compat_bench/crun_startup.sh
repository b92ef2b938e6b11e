#!/bin/sh
# crun's container start-up under Docker's default profile, on Debian's
# libseccomp and on the drop-in (LD_LIBRARY_PATH), in one run: `crun run` of
# a busybox container whose program is `true`, RUNS times each, alternating;
# prints the median wall time of each and the ratio. Needs root, crun and
# busybox-static; runs in a private mount and PID namespace with
# /sys/fs/cgroup/unified unmounted (this machine's hybrid cgroup layout).
#   crun_startup.sh BUILD_DIR [RUNS]
set -eu
build=$(cd "$1" && pwd) runs=${2:-31}
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs/bin" "$work/rootfs/proc" "$work/rootfs/dev"
cp /bin/busybox "$work/rootfs/bin/busybox"
ln -s busybox "$work/rootfs/bin/true"
"$build/seccage" compile --format oci "$src/tests/data/profiles/docker-default.json" >"$work/seccomp.json"
cat >"$work/config.json" <<JSON
{"ociVersion": "1.0.2",
 "process": {"terminal": false, "user": {"uid": 0, "gid": 0}, "args": ["/bin/true"], "env": ["PATH=/bin"], "cwd": "/", "noNewPrivileges": true},
 "root": {"path": "rootfs", "readonly": true}, "hostname": "bench",
 "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}],
           "seccomp": $(cat "$work/seccomp.json")}}
JSON
exec unshare --mount --pid --fork --mount-proc --propagation private sh -eu -c '
  work=$1 dropin=$2 runs=$3
  umount /sys/fs/cgroup/unified 2>/dev/null || true
  one() {  # $1: LD_LIBRARY_PATH or empty; prints microseconds
    start=$(date +%s%N)
    env ${1:+LD_LIBRARY_PATH=$1} crun --root "$work/state" run --bundle "$work" bench-$$ >/dev/null
    echo $(( ($(date +%s%N) - start) / 1000 ))
  }
  i=0
  while [ $i -lt $runs ]; do one "" >>"$work/libseccomp.txt"; one "$dropin" >>"$work/dropin.txt"; i=$((i + 1)); done
  a=$(sort -n "$work/libseccomp.txt" | sed -n "$((runs / 2 + 1))p")
  b=$(sort -n "$work/dropin.txt" | sed -n "$((runs / 2 + 1))p")
  echo "crun run (Docker default profile, /bin/true), median of $runs, microseconds"
  echo "libseccomp: $a  drop-in: $b  ratio: $(awk "BEGIN { printf \"%.2f\", $a / $b }")x"
' sh "$work" "$build/compat/dropin" "$runs"
