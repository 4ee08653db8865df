#!/bin/sh
# AF_XDP against TPACKET_V3 on the same veth (bench/run.sh runs this): tcpdump -w /dev/null on
# xdp:pcl0 (ours, filter in the XDP program), on pcl0 through our packet socket and through the system
# libpcap, while the peer sends FRAMES 64-byte frames at full rate; without a filter and with one that
# keeps 1% of them. CPU time of the capturing process per frame sent (the work a filter saves is the
# point), frames captured and dropped. Then pcap_inject's rate through the TX ring (fanout workers:
# bench/fanout).
# veth copies every frame into the XDP socket (no zero-copy), so it shows the filter's saving, not
# what a NIC with zero-copy AF_XDP would give.
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
[ "$(id -u)" = 0 ] || { echo "xdp bench: needs root for network namespaces; skipped"; exit 0; }
. compat-tests/live/netns.sh
tmp=$(mktemp -d)
trap 'netns_down; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
netns_up || { echo "xdp bench: cannot create network namespaces; skipped"; exit 0; }
FRAMES=${XDP_BENCH_FRAMES:-1000000}
ROUNDS=${XDP_BENCH_ROUNDS:-3}

cpu_ns() { cat /proc/$1/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%d\n", s}'; }

# run LIB DEVICE FILTER: prints "cpu_ns_per_frame_sent captured dropped".
run() {
	lib=$1 dev=$2
	shift 2
	pre=""
	[ "$lib" = ours ] && pre="$root/build/bin/pcap-run"
	: >"$tmp/err"
	bg_cap $pre tcpdump -Z root -i "$dev" -w /dev/null "$@" >/dev/null 2>"$tmp/err" &
	pid=$!
	i=0
	until grep -q "listening on" "$tmp/err"; do i=$((i + 1)); [ $i -gt 100 ] && { echo "0 0 0"; return; }; sleep 0.1; done
	t0=$(cpu_ns $pid)
	in_peer "$root/build/test/live-sender" pcl1 "$FRAMES" 64 64 >/dev/null
	sleep 1.5
	t1=$(cpu_ns $pid)
	kill -INT $pid
	wait $pid
	awk -v t="$((t1 - t0))" -v n="$FRAMES" '/packets captured/ {c = $1} /dropped by kernel/ {d = $1} END {printf "%.1f %d %d\n", t / n, c, d}' "$tmp/err"
}

echo "AF_XDP vs TPACKET_V3: $FRAMES frames of 64 bytes at full rate, CPU of tcpdump -w /dev/null per frame sent"
for f in none "udp[8:4] % 100 = 0"; do
	: >"$tmp/sums"
	for round in $(seq "$ROUNDS"); do
		if [ "$f" = none ]; then set --; else set -- "$f"; fi
		s=$(run sys pcl0 "$@")
		o=$(run ours pcl0 "$@")
		x=$(run ours xdp:pcl0 "$@")
		echo "$s $o $x" >>"$tmp/sums"
		echo "$s|$o|$x" | awk -F'|' -v r="$round" '{
			split($1, s, " "); split($2, o, " "); split($3, x, " ")
			printf "  round %d: libpcap %5.1f ns (%d captured, %d dropped)  ours TPACKET %5.1f ns (%d, %d)  ours AF_XDP %5.1f ns (%d, %d)\n",
				r, s[1], s[2], s[3], o[1], o[2], o[3], x[1], x[2], x[3] }'
	done
	label="no filter"
	[ "$f" = none ] || label="filter keeping 1% ($f)"
	awk -v l="$label" '{ s += $1; o += $4; x += $7; n++ } END {
		printf "  mean, %s: libpcap %.1f ns  ours TPACKET %.1f ns  ours AF_XDP %.1f ns; AF_XDP/libpcap %.2f, AF_XDP/our TPACKET %.2f\n",
			l, s / n, o / n, x / n, (s > 0 ? x / s : 0), (o > 0 ? x / o : 0) }' "$tmp/sums"
done

# pcap_inject through the AF_XDP socket's TX ring against a packet socket (ours and the system
# libpcap's), bench/live/inject-rate: INJECT 64-byte frames from the capture namespace onto pcl0.
INJECT=${XDP_BENCH_INJECT:-200000}
rate=$root/build/bench/live-inject-rate
if [ -x "$rate" ]; then
	echo "pcap_inject: $INJECT frames of 64 bytes"
	: >"$tmp/inject"
	for round in $(seq "$ROUNDS"); do
		s=$(in_cap "$rate" pcl0 "$INJECT")
		o=$(in_cap "$root/build/bin/pcap-run" "$rate" pcl0 "$INJECT")
		x=$(in_cap "$root/build/bin/pcap-run" "$rate" xdp:pcl0 "$INJECT")
		echo "$s $o $x" >>"$tmp/inject"
		echo "  round $round: libpcap $s frames/s  ours TPACKET $o frames/s  ours AF_XDP $x frames/s"
	done
	awk '{ s += $1; o += $2; x += $3; n++ } END {
		printf "  mean: libpcap %d frames/s  ours TPACKET %d  ours AF_XDP %d; AF_XDP/libpcap %.2f, AF_XDP/our TPACKET %.2f\n",
			s / n, o / n, x / n, (s > 0 ? x / s : 0), (o > 0 ? x / o : 0) }' "$tmp/inject"
else
	echo "pcap_inject: $rate not built (make bench); skipped"
fi
