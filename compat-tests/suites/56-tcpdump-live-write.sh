#!/bin/sh
# tcpdump -i IFACE -w FILE on each library, in a network namespace of its own with a veth pair:
# tcpreplay sends the samples' capture (20 frames) into the peer, SIGUSR2 makes tcpdump call
# pcap_dump_flush from its signal handler (the file must then hold every frame while tcpdump still
# runs), SIGINT ends it; the frames written must be the frames sent.
cd "$(dirname "$0")/../.." || exit 1
for tool in tcpdump tcpreplay unshare; do
	if ! command -v $tool >/dev/null; then
		echo "SKIP tcpdump-live-write: $tool not installed"
		exit 0
	fi
done
if ! unshare --net true 2>/dev/null; then
	echo "SKIP tcpdump-live-write: no network namespace (needs root)"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
if ! build/test/make-capture "$work/in.pcap"; then
	echo "FAIL tcpdump-live-write: build/test/make-capture missing (run make)"
	exit 0
fi
# What was sent, without time stamps: the reference for what tcpdump wrote.
tcpdump -r "$work/in.pcap" -t -n -x 2>/dev/null >"$work/sent.txt"
size_sent=$(stat -c %s "$work/in.pcap")

for library in system ours; do
	if [ $library = ours ]; then libpath=$PWD/build/lib; else libpath=; fi
	out=$work/$library.pcap
	LIBPATH=$libpath OUT=$out IN=$work/in.pcap SIZE=$size_sent unshare --net sh -c '
		sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
		ip link set lo up && ip link add va type veth peer name vb && ip link set va up && ip link set vb up || exit 3
		LD_LIBRARY_PATH=$LIBPATH tcpdump -i va -n -Z root -w "$OUT" "ether src 02:00:00:00:00:0a" 2>"$OUT.err" &
		pid=$!
		for i in $(seq 100); do grep -q "listening on" "$OUT.err" 2>/dev/null && break; sleep 0.1; done
		tcpreplay -q -i vb "$IN" >/dev/null 2>&1 || exit 4
		# Each SIGUSR2 flushes what tcpdump has so far; the same size as the sent capture (same record
		# sizes, same header size) means every frame is on disk.
		flushed=0
		for i in $(seq 100); do
			kill -USR2 $pid
			sleep 0.1
			[ "$(stat -c %s "$OUT")" = "$SIZE" ] && { flushed=1; break; }
		done
		kill -INT $pid
		wait $pid
		[ $flushed = 1 ] || exit 5
	'
	status=$?
	label="tcpdump-live-write/$library"
	case $status in
	0)
		tcpdump -r "$out" -t -n -x 2>/dev/null >"$work/got.txt"
		if cmp -s "$work/sent.txt" "$work/got.txt"; then
			echo "PASS $label"
		else
			echo "FAIL $label: frames written differ from frames sent"
		fi ;;
	3) echo "FAIL $label: cannot make the veth pair" ;;
	4) echo "FAIL $label: tcpreplay failed" ;;
	5) echo "FAIL $label: SIGUSR2 never flushed all frames to disk ($(stat -c %s "$out" 2>/dev/null) of $size_sent bytes; $(head -c 200 "$out.err"))" ;;
	*) echo "FAIL $label: exit $status ($(head -c 200 "$out.err"))" ;;
	esac
done
