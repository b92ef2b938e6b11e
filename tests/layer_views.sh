#!/bin/sh
# The layer views the build compiles each layer against (cmake/Layers.cmake)
# let it reach its own and lower layers' headers and nothing higher: for each
# layer, a private header and a public header of its own layer must be found
# and those of the next layer up must not.
# Usage: layer_views.sh CXX SOURCE_DIR LAYER_INCLUDE_DIR
set -u
cxx=$1 src=$2 views=$3
layers=$(sed 's/#.*//' "$src/cmake/layers.txt" | awk 'NF { print $1 }')
failures=0

reaches() {  # reaches VIEW HEADER: does a file compiled against VIEW find HEADER?
  printf '#include "%s"\n' "$2" | "$cxx" -std=c++20 -E -o /dev/null -I "$1" -x c++ - 2>/dev/null
}
private_header() {  # one header of src/LAYER, as a layer includes it
  h=$(cd "$src/src" && find "$1" -maxdepth 1 \( -name '*.hpp' -o -name '*.inc' \) | sort | head -n 1)
  echo "$h"
}
public_header() {  # one public header LAYER implements, if any
  sed 's/#.*//' "$src/cmake/layers.txt" | awk -v l="$1" '$1 == l && NF > 1 { print "seccage/" $2 }'
}
expect() {  # expect yes|no VIEW HEADER
  [ -n "$3" ] || return 0
  if reaches "$2" "$3"; then got=yes; else got=no; fi
  if [ "$got" != "$1" ]; then
    echo "layer view $(basename "$2"): reaching $3 should be '$1', is '$got'"
    failures=$((failures + 1))
  fi
}

previous=""
checked=0
for layer in $layers; do
  [ -d "$views/$layer" ] || { echo "no view for layer $layer in $views"; failures=$((failures + 1)); continue; }
  expect yes "$views/$layer" "$(private_header "$layer")"
  expect yes "$views/$layer" "$(public_header "$layer")"
  if [ -n "$previous" ]; then
    expect no "$views/$previous" "$(private_header "$layer")"
    expect no "$views/$previous" "$(public_header "$layer")"
  fi
  previous=$layer
  checked=$((checked + 1))
done
if [ "$failures" -ne 0 ]; then
  echo "layer_views: $failures failure(s)"
  exit 1
fi
echo "layer_views: $checked layers, each sees itself and not the layer above"
