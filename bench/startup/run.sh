#!/bin/sh
# Start-up: the cost of loading the library and opening one handle, per process, on the system libpcap and
# on ours (the same programs, the library chosen by the loader): a C program that opens and closes a
# one-packet savefile, and tcpdump reading it. Rounds alternate the libraries; medians over the rounds.
# Goal (issue 14): ours at most 5 ms a process more than libpcap.
cd "$(dirname "$0")/../.." || exit 1
prog=build/bench/startup
ours="$(pwd)/build/lib/libpcap.so.1"
runs=${STARTUP_RUNS:-100}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
build/bench/offline gen "$dir/one.pcap" 1 60 || exit 1
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
printf '%-28s %12s %12s %12s %12s %14s\n' "process" "system ms" "ours ms" "ours-system" "cpu sys/ours" "goal"
for what in open tcpdump; do
	if [ "$what" = open ]; then set -- $prog open "$dir/one.pcap"; else set -- tcpdump -n -r "$dir/one.pcap"; fi
	: >"$dir/sys" ; : >"$dir/our"; : >"$dir/syscpu"; : >"$dir/ourcpu"
	for round in 1 2 3; do
		$prog time "$runs" env LD_PRELOAD= "$@" >"$dir/r" 2>/dev/null </dev/null || exit 1
		awk '{ print $1 >> "'"$dir/sys"'"; print $3 >> "'"$dir/syscpu"'" }' "$dir/r"
		$prog time "$runs" env LD_PRELOAD="$ours" "$@" >"$dir/r" 2>/dev/null </dev/null || exit 1
		awk '{ print $1 >> "'"$dir/our"'"; print $3 >> "'"$dir/ourcpu"'" }' "$dir/r"
	done
	s=$(median <"$dir/sys"); o=$(median <"$dir/our"); sc=$(median <"$dir/syscpu"); oc=$(median <"$dir/ourcpu")
	printf '%-28s %12s %12s %12s %12s %14s\n' "$what (medians of 3x$runs)" "$s" "$o" \
		"$(awk -v a="$o" -v b="$s" 'BEGIN { printf "%+.2f", a - b }')" "$sc/$oc" "<= +5 ms"
done
