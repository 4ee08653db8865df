#!/bin/sh
# AF_XDP (xdp:IF[@QUEUE], beyond libpcap) on a veth pair of the test's own: the same frames captured
# through the XDP socket as a packet socket on the system libpcap captures them, the filter run by the
# XDP program (what it rejects still reaches the host stack), inject, faults, and nothing left attached.
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
if [ "$(id -u)" != 0 ]; then
	echo "SKIP xdp: needs root for network namespaces and XDP"
	exit 0
fi
. compat-tests/live/netns.sh
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'netns_down; [ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
if ! netns_up 2>"$tmp/netns.err"; then
	echo "SKIP xdp: cannot create network namespaces ($(head -1 "$tmp/netns.err"))"
	exit 0
fi
ours=$root/build/bin/pcap-run
t=$root/build/test
send() { in_peer "$t/live-sender" pcl1 "$@"; }

pass() { echo "PASS xdp/$1"; }
fail() { echo "FAIL xdp/$1: $2"; }

attached() { in_cap ip link show pcl0 | grep -q ' xdp\| prog/xdp'; }

# capture NAME DEVICE COUNT [TCPDUMP ARGS]: tcpdump (ours for xdp: names, the system's otherwise) in the
# capture namespace printing what it captures without time stamps; the peer sends 20 frames (ports
# 7000 and 7001 in turn) once it listens.
capture() {
	name=$1 dev=$2 count=$3
	shift 3
	run=""
	case $dev in xdp:*) run=$ours ;; esac
	bg_cap $run tcpdump -i "$dev" -t -nn -e -c "$count" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pid=$!
	if ! wait_for "$tmp/$name.err" "listening on"; then
		wait_pid $pid 0
		return 1
	fi
	send 20
	wait_pid $pid 100
}

# 1. The same frames as a packet socket on the system libpcap, without a filter and with one, with the
#    filter in the XDP program (-Z root keeps CAP_BPF for pcap_setfilter) and in user space (tcpdump
#    gives its privileges up before pcap_setfilter, the kernel then refuses a new program).
for f in none port7001; do
	filter=""
	count=20
	[ $f = port7001 ] && filter="udp dst port 7001" && count=10
	capture "pkt-$f" pcl0 $count $filter
	for mode in kernel user; do
		z=""
		[ $mode = kernel ] && z="-Z root"
		capture "xdp-$f-$mode" xdp:pcl0 $count $z $filter
		if [ -s "$tmp/pkt-$f.out" ] && cmp -s "$tmp/pkt-$f.out" "$tmp/xdp-$f-$mode.out"; then
			pass "same-packets-as-packet-socket-filter-$f-$mode ($(grep -c . "$tmp/xdp-$f-$mode.out") packets)"
		else
			fail "same-packets-as-packet-socket-filter-$f-$mode" "$(diff "$tmp/pkt-$f.out" "$tmp/xdp-$f-$mode.out" | head -3 | tr '\n' ' ') $(grep -v listening "$tmp/xdp-$f-$mode.err" | head -2 | tr '\n' ' ')"
		fi
	done
done

# 2. The filter runs in the XDP program: what it rejects still reaches the host stack, where a packet
#    socket (the system tcpdump) sees it; what it accepts reaches only the XDP socket.
bg_cap "$ours" tcpdump -Z root -i xdp:pcl0 -t -nn -c 10 udp dst port 7001 >"$tmp/split.xdp" 2>"$tmp/split.xdp.err" &
x=$!
bg_cap tcpdump -i pcl0 -t -nn -c 10 udp >"$tmp/split.host" 2>"$tmp/split.host.err" &
h=$!
wait_for "$tmp/split.xdp.err" "listening on" && wait_for "$tmp/split.host.err" "listening on"
send 20
wait_pid $x 100
wait_pid $h 100
if [ "$(grep -c '\.7001:' "$tmp/split.xdp")" = 10 ] && [ "$(grep -c '\.7000:' "$tmp/split.host")" = 10 ] &&
	! grep -q '\.7001:' "$tmp/split.host"; then
	pass "filter-runs-in-xdp-rejected-packets-reach-the-host"
else
	fail "filter-runs-in-xdp-rejected-packets-reach-the-host" "xdp saw $(grep -c . "$tmp/split.xdp"), host saw $(grep -c '\.7000:' "$tmp/split.host") port 7000 and $(grep -c '\.7001:' "$tmp/split.host") port 7001"
fi

# 3. pcap_inject and pcap_sendpacket through the TX ring: the peer receives what libpcap's inject sends.
for lib in sys ours; do
	bg_peer tcpdump -i pcl1 -c 10 -w "$tmp/inj.$lib.pcap" ether proto 0x88b5 >/dev/null 2>"$tmp/inj.$lib.err" &
	p=$!
	wait_for "$tmp/inj.$lib.err" "listening on"
	if [ $lib = sys ]; then in_cap "$t/live-inject" pcl0 10 >"$tmp/inj.$lib.out"; else in_cap "$ours" "$t/live-inject" xdp:pcl0 10 >"$tmp/inj.$lib.out"; fi
	wait_pid $p 50
	tcpdump -r "$tmp/inj.$lib.pcap" -t -nn -e -xx >"$tmp/inj.$lib.txt" 2>/dev/null
done
if [ "$(grep -c '^' "$tmp/inj.ours.out")" = 10 ] && cmp -s "$tmp/inj.sys.out" "$tmp/inj.ours.out" && [ -s "$tmp/inj.sys.txt" ] && cmp -s "$tmp/inj.sys.txt" "$tmp/inj.ours.txt"; then
	pass "inject-arrives-intact"
else
	fail inject-arrives-intact "$(diff "$tmp/inj.sys.out" "$tmp/inj.ours.out" | head -2 | tr '\n' ' ') $(diff "$tmp/inj.sys.txt" "$tmp/inj.ours.txt" | head -2 | tr '\n' ' ')"
fi

# 4. SIGINT (pcap_breakloop from the handler) wakes a blocked read; nothing stays attached after exit,
#    nor after SIGKILL (the bpf link goes with the process).
bg_cap "$ours" tcpdump -i xdp:pcl0 -w /dev/null >/dev/null 2>"$tmp/int.err" &
p=$!
wait_for "$tmp/int.err" "listening on"
if attached; then was=attached; else was=detached; fi
kill -INT $p
if wait_pid $p 30 && grep -q "packets captured" "$tmp/int.err" && [ $was = attached ] && ! attached; then
	pass "sigint-ends-capture-and-detaches"
else
	fail "sigint-ends-capture-and-detaches" "program was $was while capturing; $(tail -1 "$tmp/int.err")"
fi
bg_cap "$ours" tcpdump -i xdp:pcl0 -w /dev/null >/dev/null 2>"$tmp/kill.err" &
p=$!
wait_for "$tmp/kill.err" "listening on"
kill -9 $p
wait $p 2>/dev/null
sleep 0.5
if ! attached && capture after-kill xdp:pcl0 20 && [ "$(grep -c . "$tmp/after-kill.out")" = 20 ]; then
	pass "sigkill-leaves-nothing-attached"
else
	fail "sigkill-leaves-nothing-attached" "$(in_cap ip link show pcl0 | grep -o 'prog/xdp.*' | head -1) $(tail -1 "$tmp/after-kill.err")"
fi

# 5. PCAP_XDP=1 maps an ordinary name onto xdp:NAME.
(PCAP_XDP=1 bg_cap "$ours" tcpdump -i pcl0 -w /dev/null >/dev/null 2>"$tmp/map.err") &
p=$!
wait_for "$tmp/map.err" "listening on"
if attached; then m=attached; else m=detached; fi
kill -INT $p
wait_pid $p 30
[ $m = attached ] && pass "pcap-xdp-maps-ordinary-names" || fail "pcap-xdp-maps-ordinary-names" "no XDP program while capturing: $(head -1 "$tmp/map.err")"

# 6. Faults: libpcap-style errors, nothing left attached.
bad() {
	name=$1 dev=$2 text=$3
	shift 3
	timeout 10 ip netns exec "$NS_CAP" "$@" "$ours" tcpdump -i "$dev" -c 1 >/dev/null 2>"$tmp/bad.err"
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "$text" "$tmp/bad.err" && ! attached; then
		pass "$name"
	else
		fail "$name" "exit $rc: $(head -1 "$tmp/bad.err")"
	fi
}
bad no-such-interface xdp:nosuch0 "xdp: no such interface nosuch0"
bad queue-out-of-range xdp:pcl0@7 "xdp: pcl0 has no RX queue 7"
bad not-root xdp:pcl0 "Operation not permitted" setpriv --reuid=65534 --regid=65534 --clear-groups
bg_cap "$ours" tcpdump -i xdp:pcl0 -w /dev/null >/dev/null 2>"$tmp/first.err" &
p=$!
wait_for "$tmp/first.err" "listening on"
timeout 10 ip netns exec "$NS_CAP" "$ours" tcpdump -i xdp:pcl0 -c 1 >/dev/null 2>"$tmp/second.err"
rc=$?
kill -INT $p
wait_pid $p 30
if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "xdp: queue 0 of pcl0 is in use by another AF_XDP socket" "$tmp/second.err" && ! attached; then
	pass "queue-in-use"
else
	fail "queue-in-use" "exit $rc: $(head -1 "$tmp/second.err")"
fi

# 7. Another tool's XDP program already on the interface, as a bpf link or the legacy netlink attachment
#    (ip link set dev IF xdp obj ...), native or generic: the open fails with libpcap's error and
#    that program stays attached.
prog_id() { in_cap ip link show pcl0 | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p'; }
for how in "link drv" "link skb" "netlink drv" "netlink skb"; do
	set -- $how
	name="other-program-attached-$1-$2"
	: >"$tmp/other.out"
	if [ "$1" = link ]; then
		bg_cap "$t/xdp-other-program" pcl0 "$1" "$2" >"$tmp/other.out" 2>&1 &
		o=$!
		wait_for "$tmp/other.out" "attached id"
	else
		in_cap "$t/xdp-other-program" pcl0 "$1" "$2" >"$tmp/other.out" 2>&1
	fi
	id=$(sed -n 's/^attached id //p' "$tmp/other.out")
	before=$(prog_id)
	timeout 10 ip netns exec "$NS_CAP" "$ours" tcpdump -i xdp:pcl0 -c 1 >/dev/null 2>"$tmp/other.err"
	rc=$?
	after=$(prog_id)
	if [ -n "$id" ] && [ "$before" = "$id" ] && [ "$after" = "$id" ] && [ $rc -ne 0 ] && [ $rc -ne 124 ] &&
		grep -q "xdp: another XDP program is attached to pcl0" "$tmp/other.err"; then
		pass "$name (program $id left in place)"
	else
		fail "$name" "helper: $(head -1 "$tmp/other.out"); attached before $before, after $after; exit $rc: $(head -1 "$tmp/other.err")"
	fi
	if [ "$1" = link ]; then
		kill $o
		wait $o 2>/dev/null
	else
		in_cap ip link set dev pcl0 xdp off
		in_cap ip link set dev pcl0 xdpgeneric off
	fi
done

# 8. The read timeout, non-blocking mode and waiting on the selectable fd (compat-tests/live/poll-read.c)
#    on xdp:pcl0; where libpcap has the behaviour (non-blocking, timeout 0, poll) the system libpcap
#    on a packet socket (pcl0) is run the same way and must agree.
pr() { # pr LIB OUT ARGS...: poll-read in the capture namespace, at most 15 s
	l=$1 out=$2
	shift 2
	if [ "$l" = sys ]; then in_cap timeout -s KILL 15 "$t/live-poll-read" "$@" >"$out" 2>&1; else in_cap timeout -s KILL 15 "$ours" "$t/live-poll-read" "$@" >"$out" 2>&1; fi
}
for mode in idle-next idle-dispatch; do
	pr ours "$tmp/$mode" "$mode" xdp:pcl0 udp 0
	if grep -qx "returned 0" "$tmp/$mode"; then
		pass "timeout-$mode (returns 0 after the 100 ms timeout)"
	else
		fail "timeout-$mode" "$(tr '\n' ' ' <"$tmp/$mode" | cut -c1-200)"
	fi
done
for mode in idle-nonblock idle-block; do
	pr sys "$tmp/$mode.sys" "$mode" pcl0 udp 0
	pr ours "$tmp/$mode.ours" "$mode" xdp:pcl0 udp 0
	if [ -s "$tmp/$mode.sys" ] && cmp -s "$tmp/$mode.sys" "$tmp/$mode.ours"; then
		pass "$mode ($(cat "$tmp/$mode.ours") on both)"
	else
		fail "$mode" "ours: $(tr '\n' ' ' <"$tmp/$mode.ours" | cut -c1-200) libpcap: $(tr '\n' ' ' <"$tmp/$mode.sys" | cut -c1-200)"
	fi
done
for lib in sys ours; do
	dev=pcl0
	[ $lib = ours ] && dev=xdp:pcl0
	pr $lib "$tmp/poll.$lib" poll-next $dev udp 5 &
	p=$!
	wait_for "$tmp/poll.$lib" ready
	send 5
	wait $p
done
if grep -q "^5 of 5, quiet after: [1-9]" "$tmp/poll.sys" && grep -q "^5 of 5, quiet after: [1-9]" "$tmp/poll.ours"; then
	pass "poll-selectable-fd ($(tail -1 "$tmp/poll.ours"))"
else
	fail poll-selectable-fd "ours: $(tr '\n' ' ' <"$tmp/poll.ours" | cut -c1-200) libpcap: $(tr '\n' ' ' <"$tmp/poll.sys" | cut -c1-200)"
fi

# 9. pcap_breakloop from another thread wakes pcap_loop blocked on an idle handle (timeout 0): -2, as
#    on the system libpcap's packet socket.
in_cap timeout -s KILL 15 "$t/live-breakloop-thread" pcl0 >"$tmp/bt.sys" 2>/dev/null
in_cap timeout -s KILL 15 "$ours" "$t/live-breakloop-thread" xdp:pcl0 >"$tmp/bt.ours" 2>"$tmp/bt.err"
if grep -qx "pcap_loop = -2" "$tmp/bt.ours" && cmp -s "$tmp/bt.sys" "$tmp/bt.ours"; then
	pass "breakloop-from-thread ($(cat "$tmp/bt.err"))"
else
	fail breakloop-from-thread "ours: $(cat "$tmp/bt.ours" "$tmp/bt.err" | tr '\n' ' ') libpcap: $(tr '\n' ' ' <"$tmp/bt.sys")"
fi

# 10. pcap_stats: ps_drop comes from XDP_STATISTICS while the program does not read (the RX ring and
#     the fill ring's frames run out); reading what waited adds no drops; every frame the veth passed
#     on was either delivered or counted as dropped.
n=5000
txdrop() { in_peer cat /sys/class/net/pcl1/statistics/tx_dropped; }
d0=$(txdrop)
bg_cap "$ours" "$t/xdp-stats" xdp:pcl0 3 >"$tmp/stats.out" 2>&1 &
p=$!
wait_for "$tmp/stats.out" ready
send $n
wait_pid $p 100
lost=$(($(txdrop) - d0))
set -- $(sed -n 's/^before: recv \([0-9]*\) drop \([0-9]*\)$/\1 \2/p' "$tmp/stats.out") \
	$(sed -n 's/^after: delivered \([0-9]*\) recv \([0-9]*\) drop \([0-9]*\)$/\1 \2 \3/p' "$tmp/stats.out")
if [ $# = 5 ] && [ "$2" -gt 0 ] && [ "$3" -gt 0 ] && [ "$4" = "$3" ] && [ "$5" = "$2" ] && [ $(($3 + $5)) = $((n - lost)) ]; then
	pass "stats-drops-while-not-reading (before reading: dropped $2; then delivered $3; veth lost $lost of $n)"
else
	fail stats-drops-while-not-reading "$(tr '\n' ' ' <"$tmp/stats.out"); veth lost $lost of $n"
fi
