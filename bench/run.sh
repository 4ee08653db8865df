#!/bin/sh
# make bench: every area's benchmark (bench/*/run.sh), each printing ours and the system libpcap side by side,
# then the goals of issue 14 they measured, met or not. The test guest's netmap figures are make bench-guest.
cd "$(dirname "$0")/.." || exit 1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for b in bench/*/run.sh; do
	[ "$b" = bench/guest/run.sh ] && continue
	echo "== $b"
	sh "$b"
done | tee "$out"
echo "== goals (ours/libpcap, medians of the rounds above)"
grep '^goal:' "$out"
