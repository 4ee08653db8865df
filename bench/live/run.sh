#!/bin/sh
# Live capture and injection, ours against the system libpcap in the same run (bench/run.sh runs
# this). A sender at full rate (sendmmsg, 64-byte frames) on a veth pair in namespaces of our own,
# tcpdump -w /dev/null capturing on the other end on each library in turn: the capturing process's
# CPU time per packet (from /proc/PID/task/*/schedstat), split into user and system time, and its
# drops. Then the same with the reader stopped for a moment (drops), a counting pcap_loop (the
# library alone), and pcap_inject frames/s. LIVE_BENCH_ROUNDS rounds of each (3), then the medians.
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
. bench/goal.sh
# med FILE COLUMN: the median of a column of the rounds' figures.
med() { awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v o="$1" -v s="$2" 'BEGIN { printf "%.2f", (s > 0 ? o / s : 0) }'; }
[ "$(id -u)" = 0 ] || { echo "live bench: needs root for network namespaces; skipped"; exit 0; }
. compat-tests/live/netns.sh
tmp=$(mktemp -d)
trap 'netns_down; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
netns_up || { echo "live bench: cannot create network namespaces; skipped"; exit 0; }
FRAMES=${LIVE_BENCH_FRAMES:-3000000}
INJECT=${LIVE_BENCH_INJECT:-1000000}
ROUNDS=${LIVE_BENCH_ROUNDS:-3}
STALL=${LIVE_BENCH_STALL:-0.2} # seconds the reader is stopped in the drop test

# CPU time of every thread of a process, in ns (schedstat is exact where /proc/PID/stat counts ticks).
cpu_ns() { cat /proc/$1/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%d\n", s}'; }
# User and system time of a process, in clock ticks (for the split only).
ticks() { awk '{print $14, $15}' /proc/$1/stat; }

# capture LIB [STALL]: prints "cpu_ns_per_packet captured dropped sender_rate user_share".
# With STALL the reader is stopped (SIGSTOP) for that long once the sender has started.
capture() {
	if [ "$1" = ours ]; then run="$root/build/bin/pcap-run"; else run=""; fi
	stall=${2:-}
	: >"$tmp/err"
	bg_cap $run tcpdump -i pcl0 -w /dev/null >/dev/null 2>"$tmp/err" &
	pid=$!
	i=0
	until grep -q "listening on" "$tmp/err"; do i=$((i + 1)); [ $i -gt 100 ] && return 1; sleep 0.1; done
	t0=$(cpu_ns $pid)
	set -- $(ticks $pid)
	u0=$1 s0=$2
	stopper=
	if [ -n "$stall" ]; then
		(sleep 0.5; kill -STOP $pid; sleep "$STALL"; kill -CONT $pid) &
		stopper=$!
	fi
	rate=$(in_peer "$root/build/test/live-sender" pcl1 "$FRAMES" 64 64 | awk '{print $(NF-1)}')
	[ -n "$stopper" ] && wait $stopper
	sleep 1.5 # the block timeout hands over the last block
	t1=$(cpu_ns $pid)
	set -- $(ticks $pid)
	u1=$1 s1=$2
	kill -INT $pid
	wait $pid
	captured=$(awk '/packets captured/ {print $1}' "$tmp/err")
	dropped=$(awk '/dropped by kernel/ {print $1}' "$tmp/err")
	awk -v t="$((t1 - t0))" -v c="$captured" -v d="$dropped" -v r="$rate" -v u="$((u1 - u0))" -v s="$((s1 - s0))" \
		'BEGIN { printf "%.1f %d %d %d %.2f\n", (c > 0 ? t / c : 0), c, d, r, (u + s > 0 ? u / (u + s) : 0) }'
}

echo "live capture: $FRAMES frames of 64 bytes at full rate, tcpdump -w /dev/null on each library in turn"
sum=0
for round in $(seq "$ROUNDS"); do
	set -- $(capture sys)
	s_cpu=$1 s_cap=$2 s_drop=$3 s_rate=$4 s_user=$5
	set -- $(capture ours)
	o_cpu=$1 o_cap=$2 o_drop=$3 o_rate=$4 o_user=$5
	awk -v sc="$s_cpu" -v oc="$o_cpu" -v sd="$s_drop" -v od="$o_drop" -v scap="$s_cap" -v ocap="$o_cap" -v sr="$s_rate" -v orate="$o_rate" \
		-v su="$s_user" -v ou="$o_user" -v r="$round" 'BEGIN {
		printf "  round %d: CPU per packet  libpcap %6.1f ns  ours %6.1f ns  ratio ours/libpcap %.2f\n", r, sc, oc, (sc > 0 ? oc / sc : 0)
		printf "           user/system     libpcap %4.1f/%4.1f ns  ours %4.1f/%4.1f ns\n", sc * su, sc * (1 - su), oc * ou, oc * (1 - ou)
		printf "           captured        libpcap %8d    ours %8d\n", scap, ocap
		printf "           dropped         libpcap %8d    ours %8d\n", sd, od
		printf "           sender rate     libpcap run %d/s  ours run %d/s\n", sr, orate
	}'
	echo "$s_cpu $o_cpu" >>"$tmp/capture.ratios"
done
s=$(med "$tmp/capture.ratios" 1) o=$(med "$tmp/capture.ratios" 2)
echo "  median: CPU per packet  libpcap $s ns  ours $o ns  ratio ours/libpcap $(ratio "$o" "$s")"
goal "live tcpdump -w /dev/null, CPU per packet" "$(ratio "$o" "$s")" "<= 0.3"

# A reader that falls behind: tcpdump stopped for STALL seconds while the sender runs. What the ring
# holds meanwhile is kept; the rest is dropped by the kernel.
echo "the same with tcpdump stopped for $STALL s during the burst (drops by the kernel)"
for round in $(seq "$ROUNDS"); do
	set -- $(capture sys stall)
	s_cap=$2 s_drop=$3
	set -- $(capture ours stall)
	o_cap=$2 o_drop=$3
	printf "  round %d: dropped  libpcap %8d of %d    ours %8d of %d\n" "$round" "$s_drop" "$((s_cap + s_drop))" "$o_drop" "$((o_cap + o_drop))"
	echo "$s_drop $o_drop" >>"$tmp/stall.drops"
done
s=$(med "$tmp/stall.drops" 1) o=$(med "$tmp/stall.drops" 2)
echo "  median: dropped  libpcap $s  ours $o"
# (with no drops on libpcap's side, any drop of ours fails the goal)
goal "live tcpdump stopped for $STALL s: drops ours/libpcap" "$(awk -v o="$o" -v s="$s" 'BEGIN { printf "%.2f", (s > 0 ? o / s : o > 0 ? 99 : 0) }')" "<= 1"

# The library alone: pcap_loop with a callback that only counts (getrusage CPU per packet), and
# under it the floor: a bare TPACKET_V3 reader with no library, on libpcap's ring and on ours.
# reader COMMAND...: prints "cpu_ns_per_packet packets drops".
reader() {
	: >"$tmp/loop.err"
	bg_cap "$@" >"$tmp/loop.out" 2>"$tmp/loop.err" &
	pid=$!
	i=0
	until grep -q "listening" "$tmp/loop.err"; do i=$((i + 1)); [ $i -gt 100 ] && return 1; sleep 0.1; done
	in_peer "$root/build/test/live-sender" pcl1 "$FRAMES" 64 64 >/dev/null
	sleep 1.5
	kill -INT $pid
	wait $pid
	cat "$tmp/loop.out"
}
echo "pcap_loop with a counting callback: $FRAMES frames of 64 bytes at full rate"
for round in $(seq "$ROUNDS"); do
	set -- $(reader "$root/build/bench/live-loop-cpu" pcl0)
	s_cpu=$1 s_cap=$2 s_drop=$3
	set -- $(reader "$root/build/bin/pcap-run" "$root/build/bench/live-loop-cpu" pcl0)
	o_cpu=$1 o_cap=$2 o_drop=$3
	set -- $(reader "$root/build/bench/live-bare-reader" pcl0 262144 8)
	b8=$1
	set -- $(reader "$root/build/bench/live-bare-reader" pcl0 1048576 4)
	b4=$1
	awk -v sc="$s_cpu" -v oc="$o_cpu" -v sd="$s_drop" -v od="$o_drop" -v scap="$s_cap" -v ocap="$o_cap" -v r="$round" -v b8="$b8" -v b4="$b4" 'BEGIN {
		printf "  round %d: CPU per packet  libpcap %6.1f ns  ours %6.1f ns  ratio ours/libpcap %.2f\n", r, sc, oc, (sc > 0 ? oc / sc : 0)
		printf "           delivered       libpcap %8d    ours %8d;  dropped libpcap %d  ours %d\n", scap, ocap, sd, od
		printf "           bare ring reader, no library: 8 x 256 KiB (libpcap'"'"'s ring) %.1f ns, 4 x 1 MiB (ours) %.1f ns\n", b8, b4
	}'
	echo "$s_cpu $o_cpu $b8 $b4" >>"$tmp/loop.ratios"
done
s=$(med "$tmp/loop.ratios" 1) o=$(med "$tmp/loop.ratios" 2)
echo "  median: CPU per packet  libpcap $s ns  ours $o ns  ratio ours/libpcap $(ratio "$o" "$s")"
echo "          bare ring reader: 8 x 256 KiB $(med "$tmp/loop.ratios" 3) ns, 4 x 1 MiB $(med "$tmp/loop.ratios" 4) ns (the floor / libpcap: $(ratio "$(med "$tmp/loop.ratios" 4)" "$s"))"
goal "live pcap_loop (counting callback), CPU per packet" "$(ratio "$o" "$s")" "<= 0.3"

# pcap_next_ex in a loop: a packet a call; the last packet of each block is copied before the block
# goes back to the kernel (libpcap copies every packet).
echo "pcap_next_ex in a loop: $FRAMES frames of 64 bytes at full rate"
for round in $(seq "$ROUNDS"); do
	set -- $(reader "$root/build/bench/live-loop-cpu" pcl0 next-ex)
	s_cpu=$1 s_cap=$2 s_drop=$3
	set -- $(reader "$root/build/bin/pcap-run" "$root/build/bench/live-loop-cpu" pcl0 next-ex)
	o_cpu=$1 o_cap=$2 o_drop=$3
	awk -v sc="$s_cpu" -v oc="$o_cpu" -v sd="$s_drop" -v od="$o_drop" -v scap="$s_cap" -v ocap="$o_cap" -v r="$round" 'BEGIN {
		printf "  round %d: CPU per packet  libpcap %6.1f ns  ours %6.1f ns  ratio ours/libpcap %.2f\n", r, sc, oc, (sc > 0 ? oc / sc : 0)
		printf "           delivered       libpcap %8d    ours %8d;  dropped libpcap %d  ours %d\n", scap, ocap, sd, od
	}'
	echo "$s_cpu $o_cpu" >>"$tmp/nextex.ratios"
done
s=$(med "$tmp/nextex.ratios" 1) o=$(med "$tmp/nextex.ratios" 2)
echo "  median: CPU per packet  libpcap $s ns  ours $o ns  ratio ours/libpcap $(ratio "$o" "$s")"

echo "pcap_inject: $INJECT frames of 64 bytes"
for round in $(seq "$ROUNDS"); do
	s=$(in_cap "$root/build/bench/live-inject-rate" pcl0 "$INJECT")
	o=$(in_cap "$root/build/bin/pcap-run" "$root/build/bench/live-inject-rate" pcl0 "$INJECT")
	awk -v s="$s" -v o="$o" -v r="$round" 'BEGIN { printf "  round %d: libpcap %d frames/s  ours %d frames/s  ratio ours/libpcap %.2f\n", r, s, o, (s > 0 ? o / s : 0) }'
	echo "$s $o" >>"$tmp/inject.rates"
done
s=$(med "$tmp/inject.rates" 1) o=$(med "$tmp/inject.rates" 2)
echo "  median: libpcap $s frames/s  ours $o frames/s  ratio ours/libpcap $(ratio "$o" "$s")"
