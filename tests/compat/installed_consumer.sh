#!/bin/sh
# The first way in, from an installed tree: the seed's program builds,
# unchanged, with `pkg-config --cflags --libs seccage-compat`, takes the
# compat header (not /usr/include/seccomp.h), links the installed library and
# behaves as the seed says. The drop-in directory holds libseccomp.so.2 and
# nothing a linker would take for -lseccomp.
#   installed_consumer.sh PREFIX SOURCE_DIR
set -eu
prefix=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pc=$(find "$prefix" -name seccage-compat.pc | head -n1)
[ -n "$pc" ] || { echo "seccage-compat.pc is not installed under $prefix"; exit 1; }
export PKG_CONFIG_PATH=$(dirname "$pc")
libdir=$(pkg-config --variable=libdir seccage-compat)

printf '#include <seccomp.h>\n#ifndef SECCAGE_COMPAT_SECCOMP_H\n#error the system header was taken\n#endif\n' >"$work/which.c"
gcc -fsyntax-only $(pkg-config --cflags seccage-compat) "$work/which.c"

gcc -w "$src/tests/compat/seed/seed_main.c" $(pkg-config --cflags --libs seccage-compat) -o "$work/seed"
ldd "$work/seed" | grep -q "$libdir/libseccage-compat.so" || { echo "the seed does not load the installed library"; ldd "$work/seed"; exit 1; }

# On a terminal, as the seed ran it: stdout is written, stderr's write kills.
# script runs the program through $SHELL; dash (Debian's sh, and what script
# takes when SHELL is unset, as on CI) reports the death as "Bad system call"
# on the terminal, bash does not, so that one line is the shell's and dropped.
if script -qec "$work/seed" /dev/null >"$work/out"; then echo "the seed was not killed"; exit 1; fi
out=$(tr -d '\r' <"$work/out" | grep -v '^Bad system call' || true)
[ "$out" = "something to stdout" ] || { echo "unexpected output: $out"; exit 1; }

[ -e "$libdir/seccage-compat/libseccomp.so.2" ] || { echo "no drop-in in $libdir/seccage-compat"; exit 1; }
[ ! -e "$libdir/seccage-compat/libseccomp.so" ] || { echo "the drop-in directory has a libseccomp.so"; exit 1; }
echo "installed consumer: ok"
