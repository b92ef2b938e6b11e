#!/usr/bin/env bash
# Builds tests/consumer/main.cpp against an installed seccage (PREFIX) twice,
# as a user would: with CMake's find_package and with pkg-config, then runs
# both. Used by CTest after the install fixture; exits non-zero on failure.
set -euo pipefail
prefix=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
here=$(cd "$(dirname "$0")" && pwd)

cmake -S "$here" -B "$work/cmake" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/cmake" >/dev/null
"$work/cmake/consumer"

pcdir=$(dirname "$(find "$prefix" -name seccage.pc | head -n1)")
# The .pc file must name where it was installed, not where it was configured.
PKG_CONFIG_PATH="$pcdir" pkg-config --variable=prefix seccage
test "$(realpath "$(PKG_CONFIG_PATH="$pcdir" pkg-config --variable=prefix seccage)")" = "$(realpath "$prefix")"
# shellcheck disable=SC2046
g++ "$here/main.cpp" -o "$work/pc-consumer" $(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs seccage)
"$work/pc-consumer"
