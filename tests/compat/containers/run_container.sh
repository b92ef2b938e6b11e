#!/bin/sh
# Starts a container with an OCI runtime in a PID and mount namespace of its
# own, reads the seccomp filter installed in the container's process back,
# and tears everything down.
#   run_container.sh RUNTIME BUNDLE OUT.bpf READ_FILTER [LIBDIR]
# LIBDIR, when given, holds the drop-in libseccomp.so.2: it is the runtime's
# LD_LIBRARY_PATH. runc starts its `runc init` child (the one that loads the
# filter) with an environment of its own, without it: for runc the drop-in is
# bind-mounted over the system's libseccomp.so.2 instead, inside this private
# mount namespace only (the system's file is never touched). crun is run
# with LD_LIBRARY_PATH alone.
# The machine's cgroup layout is hybrid: crun and runc need
# /sys/fs/cgroup/unified out of the way, in this private mount namespace only.
set -eu
runtime=$1 bundle=$2 out=$3 reader=$4 libdir=${5:-}
exec unshare --mount --pid --fork --mount-proc --propagation private sh -eu -c '
  runtime=$1 bundle=$2 out=$3 reader=$4 libdir=$5
  umount /sys/fs/cgroup/unified 2>/dev/null || true
  if [ -n "$libdir" ] && [ "${runtime##*/}" = runc ]; then
    system_lib=$(ldd "$runtime" | awk "/libseccomp.so.2/ {print \$3}")
    mount --bind "$libdir/libseccomp.so.2" "$system_lib"
  fi
  root=$(mktemp -d)
  name=compat-$$
  run() { if [ -n "$libdir" ]; then LD_LIBRARY_PATH=$libdir "$@"; else "$@"; fi; }
  run "$runtime" --root "$root" run -d --bundle "$bundle" "$name" </dev/null >/dev/null
  pid=$("$runtime" --root "$root" state "$name" | sed -n "s/.*\"pid\": *\([0-9]*\).*/\1/p" | head -n1)
  status=0
  "$reader" "$pid" "$out" || status=$?
  "$runtime" --root "$root" kill "$name" KILL 2>/dev/null || true
  sleep 0.2
  "$runtime" --root "$root" delete -f "$name" 2>/dev/null || true
  rm -rf "$root"
  exit $status
' sh "$runtime" "$bundle" "$out" "$reader" "$libdir"
