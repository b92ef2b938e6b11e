#!/bin/sh
# The seed's recipe for syscall-names.h: every __NR_ of <sys/syscall.h>.
# $1: the header to write.
file=$1
echo "static const char *syscall_names[] = {" > "$file"
echo "#include <sys/syscall.h>" | cpp -dM | grep '^#define __NR_' | LC_ALL=C sed -r -n -e 's/^\#define[ \t]+__NR_([a-z0-9_]+)[ \t]+([0-9]+)(.*)/ [\2] = "\1",/p' >> "$file"
echo "};" >> "$file"
