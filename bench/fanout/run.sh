#!/bin/sh
# Fanout workers (PCAP_FANOUT, hash mode) against one capturing process, beside the system libpcap's
# single tcpdump in the same run (bench/run.sh runs this): N tcpdump -w /dev/null on pcl0 while the
# peer sends FRAMES 64-byte frames over 64 flows at full rate (compat-tests/fanout/flow-sender fast,
# sendmmsg batches). Per configuration: frames captured (summed over the workers) and dropped, frames captured
# per second of sending, and the CPU time of all the workers per frame sent. A 2-core machine runs
# the sender, the softirq and the workers on the same two cores: more workers cannot add cores here.
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
[ "$(id -u)" = 0 ] || { echo "fanout bench: needs root for network namespaces; skipped"; exit 0; }
. compat-tests/live/netns.sh
tmp=$(mktemp -d)
trap 'netns_down; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
netns_up || { echo "fanout bench: cannot create network namespaces; skipped"; exit 0; }
FRAMES=${FANOUT_BENCH_FRAMES:-1000000}
ROUNDS=${FANOUT_BENCH_ROUNDS:-3}
sender=$root/build/test/fanout-flow-sender

cpu_ns() { cat /proc/$1/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%d\n", s}'; }
now_ns() { date +%s%N; }

# run LIB N: N tcpdumps (ours under PCAP_FANOUT=7 when LIB is ours, the system's alone otherwise);
# prints "cpu_ns_per_frame_sent captured dropped captured_per_second".
run() {
	lib=$1 n=$2
	pids=""
	for i in $(seq "$n"); do
		: >"$tmp/err$i"
		if [ "$lib" = ours ]; then
			(PCAP_FANOUT=7 bg_cap "$root/build/bin/pcap-run" tcpdump -i pcl0 -w /dev/null >/dev/null 2>"$tmp/err$i") &
		else
			bg_cap tcpdump -i pcl0 -w /dev/null >/dev/null 2>"$tmp/err$i" &
		fi
		pids="$pids $!"
		wait_for "$tmp/err$i" "listening on" || { echo "0 0 0 0"; return; }
	done
	# pcap-run execs tcpdump, and bg_cap execs ip netns exec: each pid ends up being the tcpdump.
	t0=0
	for p in $pids; do t0=$((t0 + $(cpu_ns $p))); done
	w0=$(now_ns)
	in_peer "$sender" pcl1 "$FRAMES" 64 fast >/dev/null
	w1=$(now_ns)
	sleep 1
	t1=0
	for p in $pids; do t1=$((t1 + $(cpu_ns $p))); done
	for p in $pids; do kill -INT $p; done
	for p in $pids; do wait $p; done
	cat "$tmp"/err* | awk -v t="$((t1 - t0))" -v n="$FRAMES" -v w="$((w1 - w0))" \
		'/packets captured/ {c += $1} /dropped by kernel/ {d += $1} END {printf "%.1f %d %d %d\n", t / n, c, d, c / (w / 1e9)}'
	rm -f "$tmp"/err*
}

echo "Fanout: $FRAMES frames of 64 bytes over 64 flows, tcpdump -w /dev/null; CPU of all workers per frame sent"
: >"$tmp/sums"
for round in $(seq "$ROUNDS"); do
	s=$(run sys 1)
	o1=$(run ours 1)
	o2=$(run ours 2)
	echo "$s $o1 $o2" >>"$tmp/sums"
	echo "$s|$o1|$o2" | awk -F'|' -v r="$round" '{
		split($1, s, " "); split($2, a, " "); split($3, b, " ")
		printf "  round %d: libpcap 1 process %5.1f ns (%d captured, %d dropped, %d/s)  ours 1 worker %5.1f ns (%d, %d, %d/s)  ours 2 workers %5.1f ns (%d, %d, %d/s)\n",
			r, s[1], s[2], s[3], s[4], a[1], a[2], a[3], a[4], b[1], b[2], b[3], b[4] }'
done
awk '{ s += $1; a += $5; b += $9; sc += $4; ac += $8; bc += $12; n++ } END {
	printf "  mean: libpcap 1 process %.1f ns %d/s; ours 1 worker %.1f ns %d/s; ours 2 workers %.1f ns %d/s; ratios to libpcap: CPU %.2f / %.2f, captured/s %.2f / %.2f\n",
		s / n, sc / n, a / n, ac / n, b / n, bc / n, (s > 0 ? a / s : 0), (s > 0 ? b / s : 0), (sc > 0 ? ac / sc : 0), (sc > 0 ? bc / sc : 0) }' "$tmp/sums"
