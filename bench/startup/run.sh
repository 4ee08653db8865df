#!/bin/sh
# Start-up: the cost of loading the library and opening one handle, per process, on the system libpcap and
# on ours (the same programs, the library chosen by the loader): a C program that opens and closes a
# one-packet savefile, and tcpdump printing it. Rounds alternate the libraries. Per process: the lowest
# wall-clock time over all runs (the machines are shared: the lowest is the run the neighbours disturbed
# least) and the median CPU time (user and kernel). Goal (issue 14): ours at most 5 ms more than libpcap.
cd "$(dirname "$0")/../.." || exit 1
. bench/goal.sh
prog=build/bench/startup
ours="$(pwd)/build/lib/libpcap.so.1"
runs=${STARTUP_RUNS:-100}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
build/bench/offline gen "$dir/one.pcap" 1 60 || exit 1
lowest() { sort -n | head -1; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
printf '%-10s %-22s %10s %10s %12s %10s\n' process measure "libpcap" "ours" "ours-libpcap" goal
for what in open tcpdump; do
	if [ "$what" = open ]; then set -- $prog open "$dir/one.pcap"; else set -- tcpdump -n -r "$dir/one.pcap"; fi
	for f in syswall ourwall syscpu ourcpu; do : >"$dir/$f"; done
	for round in 1 2 3; do
		$prog time "$runs" env LD_PRELOAD= "$@" >"$dir/r" || exit 1
		awk '{ print $2 >> "'"$dir/syswall"'"; print $3 >> "'"$dir/syscpu"'" }' "$dir/r"
		$prog time "$runs" env LD_PRELOAD="$ours" "$@" >"$dir/r" || exit 1
		awk '{ print $2 >> "'"$dir/ourwall"'"; print $3 >> "'"$dir/ourcpu"'" }' "$dir/r"
	done
	sw=$(lowest <"$dir/syswall"); ow=$(lowest <"$dir/ourwall"); sc=$(median <"$dir/syscpu"); oc=$(median <"$dir/ourcpu")
	printf '%-10s %-22s %10s %10s %12s %10s\n' "$what" "wall ms, lowest of $((3 * runs))" "$sw" "$ow" \
		"$(awk -v a="$ow" -v b="$sw" 'BEGIN { printf "%+.2f", a - b }')" "<= +5 ms"
	printf '%-10s %-22s %10s %10s %12s %10s\n' "$what" "CPU ms, median" "$sc" "$oc" \
		"$(awk -v a="$oc" -v b="$sc" 'BEGIN { printf "%+.2f", a - b }')" ""
	goal "start-up, $what: ms more than libpcap (lowest wall time)" "$(awk -v a="$ow" -v b="$sw" 'BEGIN { printf "%.2f", a - b }')" "<= 5"
	goal "start-up, $what: ms more than libpcap (median CPU time)" "$(awk -v a="$oc" -v b="$sc" 'BEGIN { printf "%.2f", a - b }')" "<= 5"
done
