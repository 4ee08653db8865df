#!/bin/sh
# Turns exports/symbols.txt into the linker version script: one anonymous node (Debian's libpcap
# has no symbol versions), every listed symbol global, everything else local.
set -eu
list=$1 out=$2
{
	echo "{"
	echo "  global:"
	sed 's/.*/    &;/' "$list"
	echo "  local: *;"
	echo "};"
} >"$out"
