#!/bin/sh
# Live capture and injection on Linux against the system libpcap, for the same traffic: tcpdump,
# dumpcap and ngrep run on both libraries at once on one interface of a namespace pair the test
# makes (compat-tests/live/netns.sh) while our sender puts known frames on the wire.
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
if [ "$(id -u)" != 0 ]; then
	echo "SKIP live: needs root for network namespaces"
	exit 0
fi
for tool in ip tcpdump setpriv; do
	command -v $tool >/dev/null || { echo "SKIP live: $tool is not installed"; exit 0; }
done
. compat-tests/live/netns.sh
tmp=$(mktemp -d)
trap 'netns_down; [ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
if ! netns_up 2>"$tmp/netns.err"; then
	echo "SKIP live: cannot create network namespaces ($(head -1 "$tmp/netns.err"))"
	exit 0
fi
ours=$root/build/bin/pcap-run
t=$root/build/test
send() { in_peer "$t/live-sender" "$@"; }

pass() { echo "PASS live/$1"; }
fail() { echo "FAIL live/$1: $2"; }

# start NAME TCPDUMP-ARGS...: tcpdump on the system libpcap and on ours, side by side in the
# capture namespace, each writing $tmp/NAME.{sys,ours}.pcap; returns once both listen.
start() {
	name=$1
	shift
	bg_cap tcpdump "$@" -w "$tmp/$name.sys.pcap" >"$tmp/$name.sys.out" 2>"$tmp/$name.sys.err" &
	sys_pid=$!
	bg_cap "$ours" tcpdump "$@" -w "$tmp/$name.ours.pcap" >"$tmp/$name.ours.out" 2>"$tmp/$name.ours.err" &
	ours_pid=$!
	wait_for "$tmp/$name.sys.err" "listening on" && wait_for "$tmp/$name.ours.err" "listening on"
}

# finish NAME [EXPECT-PATTERN]: both tcpdumps must end by themselves (-c) and have written the
# same packets: same file header, same records apart from time stamps (each socket stamps its own).
finish() {
	name=$1
	ok=1
	wait_pid $sys_pid 100 || { fail "$name" "tcpdump on the system libpcap did not stop"; ok=0; }
	wait_pid $ours_pid 100 || { fail "$name" "tcpdump on our library did not stop"; ok=0; }
	[ $ok = 1 ] || return
	if ! cmp -s -n 24 "$tmp/$name.sys.pcap" "$tmp/$name.ours.pcap"; then
		fail "$name" "file headers differ: $(od -An -tx1 -N24 "$tmp/$name.ours.pcap")"
		return
	fi
	tcpdump -r "$tmp/$name.sys.pcap" -t -nn -e -xx >"$tmp/$name.sys.txt" 2>/dev/null
	tcpdump -r "$tmp/$name.ours.pcap" -t -nn -e -xx >"$tmp/$name.ours.txt" 2>/dev/null
	if [ ! -s "$tmp/$name.sys.txt" ]; then
		fail "$name" "the system libpcap captured nothing"
	elif ! cmp -s "$tmp/$name.sys.txt" "$tmp/$name.ours.txt"; then
		fail "$name" "packets differ: $(diff "$tmp/$name.sys.txt" "$tmp/$name.ours.txt" | head -3 | tr '\n' ' ')"
	elif [ -n "$2" ] && ! grep -q "$2" "$tmp/$name.ours.txt"; then
		fail "$name" "no packet shows '$2'"
	elif ! grep -q "^$3" "$tmp/$name.ours.err"; then
		fail "$name" "tcpdump on our library: $(grep -v listening "$tmp/$name.ours.err" | head -2 | tr '\n' ' ')"
	else
		pass "$name ($(grep -c '^' "$tmp/$name.ours.txt") lines)"
	fi
}

# The API, in documented and wrong orders, on both libraries.
in_cap "$t/live-api" pcl0 >"$tmp/api.sys" 2>&1
in_cap "$ours" "$t/live-api" pcl0 >"$tmp/api.ours" 2>&1
if ! grep -q '^lookupnet(lo)' "$tmp/api.sys"; then
	fail api-matches-libpcap "the driver did not run through on the system libpcap"
elif cmp -s "$tmp/api.sys" "$tmp/api.ours"; then
	pass "api-matches-libpcap ($(grep -c '^' "$tmp/api.ours") results)"
else
	fail api-matches-libpcap "$(diff "$tmp/api.sys" "$tmp/api.ours" | head -4 | tr '\n' ' ')"
fi

# Plain capture: the printed packets (stdout) and the written file.
bg_cap tcpdump -i pcl0 -c 20 -t -nn -e -x >"$tmp/print.sys" 2>"$tmp/print.sys.err" &
p1=$!
bg_cap "$ours" tcpdump -i pcl0 -c 20 -t -nn -e -x >"$tmp/print.ours" 2>"$tmp/print.ours.err" &
p2=$!
wait_for "$tmp/print.sys.err" "listening on" && wait_for "$tmp/print.ours.err" "listening on"
send pcl1 20
if wait_pid $p1 100 && wait_pid $p2 100 && [ -s "$tmp/print.sys" ] && cmp -s "$tmp/print.sys" "$tmp/print.ours"; then
	pass "tcpdump-prints-same"
else
	fail tcpdump-prints-same "$(diff "$tmp/print.sys" "$tmp/print.ours" | head -3 | tr '\n' ' ')"
fi

# pcap_next_ex and pcap_next hand out packets straight from the ring: intact until the next call.
bg_cap "$t/live-next-ex" pcl0 30 >"$tmp/nx.sys" 2>"$tmp/nx.sys.err" &
p1=$!
bg_cap "$ours" "$t/live-next-ex" pcl0 30 >"$tmp/nx.ours" 2>"$tmp/nx.ours.err" &
p2=$!
wait_for "$tmp/nx.sys.err" listening && wait_for "$tmp/nx.ours.err" listening
send pcl1 60 150
wait_pid $p1 200
wait_pid $p2 200
if grep -q "^60 packets" "$tmp/nx.sys" && cmp -s "$tmp/nx.sys" "$tmp/nx.ours"; then
	pass "next-ex-and-next (60 packets)"
else
	fail next-ex-and-next "$(tail -1 "$tmp/nx.ours") $(diff "$tmp/nx.sys" "$tmp/nx.ours" | head -2 | cut -c1-80 | tr '\n' ' ')"
fi

start plain -i pcl0 -c 20 && send pcl1 20
finish plain "10.77.0.1.40000 > 10.77.0.2.7001"

start snaplen -i pcl0 -c 20 -s 64 && send pcl1 20 300
finish snaplen "length 300"

start vlan -i pcl0 -c 10 && send pcl1 10 100 1 10
finish vlan "vlan 10"

start any-sll -i any -y LINUX_SLL -c 20 && send pcl1 20
finish any-sll "P 02:00:00:00:00:01 ethertype IPv4" "tcpdump: data link type LINUX_SLL"

start any-sll2 -i any -y LINUX_SLL2 -c 20 && send pcl1 20
finish any-sll2 "P   ifindex" "tcpdump: data link type LINUX_SLL2"

start any-vlan -i any -c 10 && send pcl1 10 100 1 10
finish any-vlan

# Direction: the peer's frames (100 bytes) come in, our own (200 bytes) go out.
start direction-in -i pcl0 -Q in -c 10 && { in_cap "$t/live-sender" pcl0 10 200; send pcl1 10; }
finish direction-in "length 100"
if grep -q "length 200" "$tmp/direction-in.ours.txt" 2>/dev/null; then fail direction-in-only-in "an outgoing frame was captured"; fi
start direction-out -i pcl0 -Q out -c 10 && { send pcl1 10; in_cap "$t/live-sender" pcl0 10 200; }
finish direction-out "length 200"
if grep -q "length 100" "$tmp/direction-out.ours.txt" 2>/dev/null; then fail direction-out-only-out "an incoming frame was captured"; fi

# A filter attached in the kernel (or in user space where the kernel can't run it).
if in_cap "$ours" tcpdump -d 'udp dst port 7001' >/dev/null 2>"$tmp/compile.err"; then
	# The kernel holds the program (ss shows the socket's classic BPF filter), as with libpcap.
	kernel_filter() { in_cap ss -0 -b -p 2>/dev/null | awk -v pid="pid=$1," 'index($0, pid) { on = 1; next } on && /bpf filter/ { found = 1 } { on = 0 } END { exit !found }'; }
	start filter -i pcl0 -c 10 udp dst port 7001
	if ! command -v ss >/dev/null; then
		echo "SKIP live/filter-in-kernel: ss (iproute2) is not installed"
	elif kernel_filter $ours_pid && kernel_filter $sys_pid; then
		pass filter-in-kernel
	else
		fail filter-in-kernel "no socket filter attached for our tcpdump ($(in_cap ss -0 -b -p 2>&1 | head -4 | tr '\n' ' '))"
	fi
	send pcl1 40
	finish filter "7001"
	if grep -q "\.7000:" "$tmp/filter.ours.txt" 2>/dev/null; then fail filter-rejects "a packet to port 7000 passed"; fi
	start filter-any -i any -c 10 udp dst port 7000
	if command -v ss >/dev/null; then
		if kernel_filter $ours_pid; then pass filter-any-in-kernel; else fail filter-any-in-kernel "the cooked-mode program was not attached"; fi
	fi
	send pcl1 40
	finish filter-any "7000"
	start filter-vlan -i pcl0 -c 5 vlan 10
	# Our compiler tests the tag in the frame, so this program runs in user space, not in the kernel.
	if command -v ss >/dev/null; then
		if kernel_filter $ours_pid; then fail filter-vlan-in-user-space "a kernel filter is attached"; else pass filter-vlan-in-user-space; fi
	fi
	send pcl1 10
	send pcl1 10 100 1 10
	finish filter-vlan "vlan 10"
else
	echo "SKIP live/filter: our pcap_compile refuses the expression ($(head -1 "$tmp/compile.err"))"
fi

start buffer-size -i pcl0 -B 1024 -c 200 && send pcl1 200
finish buffer-size
start immediate -i pcl0 --immediate-mode -c 20 && send pcl1 20
finish immediate
start immediate-any -i any --immediate-mode -c 5 && send pcl1 5 100 1 10
finish immediate-any
start nano -i pcl0 --time-stamp-precision=nano -c 20 && send pcl1 20
finish nano
if [ "$(od -An -tx1 -N4 "$tmp/nano.ours.pcap" | tr -d ' ')" != 4d3cb2a1 ]; then fail nano-magic "not a nanosecond file"; fi

# SIGINT stops tcpdump at once; its statistics lines (and SIGUSR1's, read in a signal handler) match libpcap's.
bg_cap tcpdump -i pcl0 -w "$tmp/int.sys.pcap" >/dev/null 2>"$tmp/int.sys.err" &
p1=$!
bg_cap "$ours" tcpdump -i pcl0 -w "$tmp/int.ours.pcap" >/dev/null 2>"$tmp/int.ours.err" &
p2=$!
wait_for "$tmp/int.sys.err" "listening on" && wait_for "$tmp/int.ours.err" "listening on"
send pcl1 15
sleep 1.2 # the block timeout (1 s) hands the packets over
# SIGUSR1 makes tcpdump print pcap_stats from its signal handler.
kill -USR1 $p1 $p2
sleep 0.3
kill -INT $p1 $p2
if ! wait_pid $p2 30; then
	fail sigint-stops "tcpdump on our library did not stop on SIGINT"
	wait_pid $p1 30
else
	wait_pid $p1 30
	grep packets "$tmp/int.sys.err" >"$tmp/int.sys.stats"
	grep packets "$tmp/int.ours.err" >"$tmp/int.ours.stats"
	if grep -q "^15 packets captured" "$tmp/int.ours.stats" && grep -q "15 packets captured, 15 packets received by filter" "$tmp/int.ours.stats" &&
		cmp -s "$tmp/int.sys.stats" "$tmp/int.ours.stats"; then
		pass "sigint-stops-with-statistics ($(tr '\n' ',' <"$tmp/int.ours.stats"))"
	else
		fail sigint-stops-with-statistics "ours: $(tr '\n' ',' <"$tmp/int.ours.stats") libpcap: $(tr '\n' ',' <"$tmp/int.sys.stats")"
	fi
fi

# pcap_breakloop from another thread wakes a capture blocked on an idle interface.
for mode in "" immediate; do
	label=breakloop-thread${mode:+-$mode}
	if in_cap "$ours" "$t/live-breakloop-thread" pcl0 $mode >"$tmp/bl.out" 2>"$tmp/bl.err" && grep -q "pcap_loop = -2" "$tmp/bl.out"; then
		pass "$label ($(cat "$tmp/bl.err"))"
	else
		fail "$label" "$(cat "$tmp/bl.out" "$tmp/bl.err" | tr '\n' ' ')"
	fi
done

# pcap_get_selectable_fd in an epoll loop, non-blocking, on both libraries at once over the same traffic.
bg_cap "$t/live-selectable-epoll" pcl0 30 >"$tmp/ep.sys" 2>&1 &
p1=$!
bg_cap "$ours" "$t/live-selectable-epoll" pcl0 30 >"$tmp/ep.ours" 2>&1 &
p2=$!
wait_for "$tmp/ep.sys" ready && wait_for "$tmp/ep.ours" ready
send pcl1 30
wait_pid $p1 30
wait_pid $p2 30
if grep -q "^30 of 30 packets" "$tmp/ep.ours" && cmp -s "$tmp/ep.sys" "$tmp/ep.ours"; then
	pass "selectable-fd-epoll ($(grep -c '^frame' "$tmp/ep.ours") packets)"
else
	fail selectable-fd-epoll "ours: $(tail -1 "$tmp/ep.ours") libpcap: $(tail -1 "$tmp/ep.sys") $(diff "$tmp/ep.sys" "$tmp/ep.ours" | head -2 | tr '\n' ' ')"
fi

# pcap_inject and pcap_sendpacket: the peer receives the frames intact, as with libpcap.
for lib in sys ours; do
	bg_peer tcpdump -i pcl1 -c 10 -w "$tmp/inj.$lib.pcap" ether proto 0x88b5 >/dev/null 2>"$tmp/inj.$lib.err" &
	p=$!
	wait_for "$tmp/inj.$lib.err" "listening on"
	if [ $lib = sys ]; then in_cap "$t/live-inject" pcl0 10 >"$tmp/inj.$lib.out"; else in_cap "$ours" "$t/live-inject" pcl0 10 >"$tmp/inj.$lib.out"; fi
	wait_pid $p 50
	tcpdump -r "$tmp/inj.$lib.pcap" -t -nn -e -xx >"$tmp/inj.$lib.txt" 2>/dev/null
done
if [ "$(grep -c '^' "$tmp/inj.ours.out")" = 10 ] && cmp -s "$tmp/inj.sys.out" "$tmp/inj.ours.out" && [ -s "$tmp/inj.sys.txt" ] && cmp -s "$tmp/inj.sys.txt" "$tmp/inj.ours.txt"; then
	pass "inject-arrives-intact ($(grep -c ' > ' "$tmp/inj.ours.txt") frames)"
else
	fail inject-arrives-intact "$(diff "$tmp/inj.sys.out" "$tmp/inj.ours.out" | head -2 | tr '\n' ' ') $(diff "$tmp/inj.sys.txt" "$tmp/inj.ours.txt" | head -2 | tr '\n' ' ')"
fi

# Device lists.
in_cap tcpdump -D >"$tmp/D.sys" 2>&1
in_cap "$ours" tcpdump -D >"$tmp/D.ours" 2>&1
if cmp -s "$tmp/D.sys" "$tmp/D.ours"; then pass "tcpdump-D ($(grep -c '^' "$tmp/D.ours") devices)"; else fail tcpdump-D "$(diff "$tmp/D.sys" "$tmp/D.ours" | head -4 | tr '\n' ' ')"; fi
in_cap "$t/live-devices" >"$tmp/dev.sys" 2>&1
in_cap "$ours" "$t/live-devices" >"$tmp/dev.ours" 2>&1
if cmp -s "$tmp/dev.sys" "$tmp/dev.ours"; then pass "findalldevs-addresses-flags"; else fail findalldevs-addresses-flags "$(diff "$tmp/dev.sys" "$tmp/dev.ours" | head -4 | tr '\n' ' ')"; fi
in_peer tcpdump -D >"$tmp/Dp.sys" 2>&1
in_peer "$ours" tcpdump -D >"$tmp/Dp.ours" 2>&1
if cmp -s "$tmp/Dp.sys" "$tmp/Dp.ours"; then pass "tcpdump-D-with-vlan"; else fail tcpdump-D-with-vlan "$(diff "$tmp/Dp.sys" "$tmp/Dp.ours" | head -4 | tr '\n' ' ')"; fi

# Loopback: a frame sent on lo is seen going out and coming in; libpcap keeps only the incoming copy.
in_cap ip link set lo up
start loopback -i lo -c 10 && in_cap "$t/live-sender" lo 10
finish loopback "10.77.0.1.40000"
start loopback-any -i any -c 10 && in_cap "$t/live-sender" lo 10
finish loopback-any "10.77.0.1.40000"
in_cap ip link set lo down

# Link types and time-stamp types offered, and a time-stamp type the device lacks.
for args in "-L -i pcl0" "-L -i any" "-J -i pcl0" "-J -i any" "-j adapter -i pcl0 -c 1 -w /dev/null" "-i any -y EN10MB -c 1"; do
	label=$(echo "$args" | tr -d ' /' | cut -c1-24)
	in_cap timeout 5 tcpdump $args </dev/null >"$tmp/o.sys" 2>&1 &
	p1=$!
	in_cap timeout 5 "$ours" tcpdump $args </dev/null >"$tmp/o.ours" 2>&1 &
	p2=$!
	sleep 0.5
	send pcl1 2
	wait $p1 $p2
	if cmp -s "$tmp/o.sys" "$tmp/o.ours"; then pass "tcpdump$label ($(head -1 "$tmp/o.ours"))"; else fail "tcpdump$label" "$(diff "$tmp/o.sys" "$tmp/o.ours" | head -3 | tr '\n' ' ')"; fi
done

# Addresses of every family, in a namespace with IPv6 on: IPv4 with broadcast, IPv6, link-layer.
if ip netns add "$NS_DEV" && ip -n "$NS_DEV" link add pcl2 type veth peer name pcl3; then
	ip -n "$NS_DEV" link set lo up
	ip -n "$NS_DEV" addr add 10.78.0.1/24 brd + dev pcl2
	ip -n "$NS_DEV" addr add 10.79.0.1/16 dev pcl2
	ip -n "$NS_DEV" addr add fd00:78::1/64 dev pcl2 nodad
	ip -n "$NS_DEV" link set pcl2 up
	ip -n "$NS_DEV" link set pcl3 up
	ip netns exec "$NS_DEV" "$t/live-devices" >"$tmp/dev6.sys" 2>&1
	ip netns exec "$NS_DEV" "$ours" "$t/live-devices" >"$tmp/dev6.ours" 2>&1
	if grep -q "family 10:" "$tmp/dev6.sys" && grep -q "family 17:" "$tmp/dev6.sys" && cmp -s "$tmp/dev6.sys" "$tmp/dev6.ours"; then
		pass "findalldevs-ipv4-ipv6-link-layer ($(grep -c address "$tmp/dev6.ours") addresses)"
	else
		fail findalldevs-ipv4-ipv6-link-layer "$(diff "$tmp/dev6.sys" "$tmp/dev6.ours" | head -4 | tr '\n' ' ')"
	fi
	ip netns del "$NS_DEV"
else
	fail findalldevs-ipv4-ipv6-link-layer "cannot make the namespace"
fi

# Errors: an unprivileged user, a missing device, a device that is down.
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
for dev in pcl0 any; do
	in_cap $nobody tcpdump -i $dev -c 1 >"$tmp/np.sys" 2>&1
	echo "rc=$?" >>"$tmp/np.sys"
	in_cap "$ours" $nobody tcpdump -i $dev -c 1 >"$tmp/np.ours" 2>&1
	echo "rc=$?" >>"$tmp/np.ours"
	if cmp -s "$tmp/np.sys" "$tmp/np.ours"; then pass "unprivileged-$dev ($(head -1 "$tmp/np.ours"))"; else fail "unprivileged-$dev" "$(diff "$tmp/np.sys" "$tmp/np.ours" | tr '\n' ' ')"; fi
done
in_cap $nobody tcpdump -D >"$tmp/npD.sys" 2>&1
in_cap "$ours" $nobody tcpdump -D >"$tmp/npD.ours" 2>&1
if cmp -s "$tmp/npD.sys" "$tmp/npD.ours"; then pass "unprivileged-D"; else fail unprivileged-D "$(diff "$tmp/npD.sys" "$tmp/npD.ours" | head -3 | tr '\n' ' ')"; fi
in_cap ip link add pcld0 type veth peer name pcld1
for dev in nosuch0 pcld0; do
	in_cap tcpdump -i $dev -c 1 >"$tmp/e.sys" 2>&1
	in_cap "$ours" tcpdump -i $dev -c 1 >"$tmp/e.ours" 2>&1
	if cmp -s "$tmp/e.sys" "$tmp/e.ours"; then pass "error-$dev ($(head -1 "$tmp/e.ours"))"; else fail "error-$dev" "$(diff "$tmp/e.sys" "$tmp/e.ours" | tr '\n' ' ')"; fi
done

# dumpcap (Wireshark's capture engine) over the same traffic.
if command -v dumpcap >/dev/null; then
	bg_cap dumpcap -i pcl0 -c 20 -P -w "$tmp/dc.sys.pcap" >/dev/null 2>"$tmp/dc.sys.err" &
	p1=$!
	bg_cap "$ours" dumpcap -i pcl0 -c 20 -P -w "$tmp/dc.ours.pcap" >/dev/null 2>"$tmp/dc.ours.err" &
	p2=$!
	wait_for "$tmp/dc.sys.err" "Capturing on" && wait_for "$tmp/dc.ours.err" "Capturing on"
	sleep 0.5
	send pcl1 20
	wait_pid $p1 100
	wait_pid $p2 100
	tcpdump -r "$tmp/dc.sys.pcap" -t -nn -e -xx >"$tmp/dc.sys.txt" 2>/dev/null
	tcpdump -r "$tmp/dc.ours.pcap" -t -nn -e -xx >"$tmp/dc.ours.txt" 2>/dev/null
	if [ -s "$tmp/dc.sys.txt" ] && cmp -s "$tmp/dc.sys.txt" "$tmp/dc.ours.txt"; then
		pass "dumpcap ($(grep -c ' > ' "$tmp/dc.ours.txt") packets)"
	else
		fail dumpcap "$(tail -2 "$tmp/dc.ours.err" | tr '\n' ' ') $(diff "$tmp/dc.sys.txt" "$tmp/dc.ours.txt" | head -2 | tr '\n' ' ')"
	fi
	in_cap dumpcap -D >"$tmp/dcD.sys" 2>&1
	in_cap "$ours" dumpcap -D >"$tmp/dcD.ours" 2>&1
	if cmp -s "$tmp/dcD.sys" "$tmp/dcD.ours"; then pass "dumpcap-D"; else fail dumpcap-D "$(diff "$tmp/dcD.sys" "$tmp/dcD.ours" | head -3 | tr '\n' ' ')"; fi
else
	echo "SKIP live/dumpcap: dumpcap (Debian package tshark) is not installed"
fi

# ngrep over the same traffic.
if command -v ngrep >/dev/null; then
	bg_cap ngrep -d pcl0 -n 10 -x -t '' udp >"$tmp/ng.sys" 2>&1 &
	p1=$!
	bg_cap "$ours" ngrep -d pcl0 -n 10 -x -t '' udp >"$tmp/ng.ours" 2>&1 &
	p2=$!
	wait_for "$tmp/ng.sys" "interface:" && wait_for "$tmp/ng.ours" "interface:"
	sleep 0.3
	send pcl1 10
	wait_pid $p1 100
	wait_pid $p2 100
	# Time stamps aside (each socket stamps its own), the output must be the same.
	sed 's/^U [0-9/: .]*/U /' "$tmp/ng.sys" >"$tmp/ng.sys.txt"
	sed 's/^U [0-9/: .]*/U /' "$tmp/ng.ours" >"$tmp/ng.ours.txt"
	if grep -q "10.77.0.1:40000" "$tmp/ng.sys" && cmp -s "$tmp/ng.sys.txt" "$tmp/ng.ours.txt"; then
		pass "ngrep ($(grep -c '^U ' "$tmp/ng.ours.txt") packets)"
	else
		fail ngrep "$(diff "$tmp/ng.sys.txt" "$tmp/ng.ours.txt" | head -3 | tr '\n' ' ')"
	fi
else
	echo "SKIP live/ngrep: ngrep is not installed"
fi
