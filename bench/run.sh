#!/bin/sh
# make bench: every area's benchmark (bench/*/run.sh), each printing ours and the system libpcap side by side.
cd "$(dirname "$0")/.." || exit 1
for b in bench/*/run.sh; do
	echo "== $b"
	sh "$b"
done
