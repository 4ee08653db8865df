# Live clients in two network namespaces of the suite's own joined by a veth pair (sourced by
# 22-clients.sh; compat-tests/live/netns.sh makes and removes them): capturers that run their own
# poll/select loop on the capture descriptor, injectors and scanners. Scanners and injectors run on
# one library after the other, each while Debian's tcpdump records the wire in the peer namespace;
# passive capturers run on both libraries at once over the same traffic.
. "$root/compat-tests/live/netns.sh"
sender=$root/build/test/live-sender

live_up() {
	netns_up || return 1
	# Fixed addresses, so that frames and printed lines are the same from one run to the next.
	ip -n "$NS_CAP" link set pcl0 address 02:00:00:00:00:02 &&
		ip -n "$NS_PEER" link set pcl1 address 02:00:00:00:00:01 &&
		ip -n "$NS_CAP" link set lo up && ip -n "$NS_PEER" link set lo up
}

# The frames a client puts on the wire: from the capture side's address, less the ARP replies its
# kernel sends on its own (bittwist, which replays a capture's addresses, sets its own).
wire_filter="ether src 02:00:00:00:00:02 and not (arp and arp[6:2] = 2)"

# on_wire NAME LIB CMD...: runs CMD (bounded) in the capture namespace on library LIB (sys or ours)
# while Debian's tcpdump records, on the peer's side of the wire, the frames it puts there; writes $tmp/NAME.LIB.out (stdout and
# stderr, then the exit status) and $tmp/NAME.LIB.wire (the frames, as text without time stamps).
on_wire() {
	wname=$1 wlib=$2
	shift 2
	ip netns exec "$NS_PEER" tcpdump -i pcl1 --immediate-mode -U -w "$tmp/$wname.$wlib.pcap" "$wire_filter" >/dev/null 2>"$tmp/$wname.$wlib.tcpdump" &
	wpid=$!
	wait_for "$tmp/$wname.$wlib.tcpdump" "listening on"
	if [ "$wlib" = ours ]; then env="$OURS LD_DEBUG=libs LD_DEBUG_OUTPUT=$tmp/$wname.ld"; else env=$SYS; fi
	ip netns exec "$NS_CAP" timeout -k 2 "$LIMIT" $env "$@" >"$tmp/$wname.$wlib.out" 2>&1 </dev/null
	echo "exit $?" >>"$tmp/$wname.$wlib.out"
	sleep 0.3
	kill -INT $wpid
	wait $wpid
	tcpdump -r "$tmp/$wname.$wlib.pcap" -t -nn -e -x 2>/dev/null >"$tmp/$wname.$wlib.wire"
}

# both_on_wire NAME SED WIRESED [--as-set] CMD...: on_wire on each library; the outputs (after SED)
# and the frames on the wire (after WIRESED, for what the client draws at random) must be the
# same; --as-set: the same frames, in any order and any number of each (a scanner's order and
# retries are its own draw).
both_on_wire() {
	bname=$1 bsed=$2 bwsed=$3 bset=
	shift 3
	[ "$1" = --as-set ] && { bset=1; shift; }
	on_wire "$bname" sys "$@"
	on_wire "$bname" ours "$@"
	loaded_ours "$bname" "$*"
	for l in sys ours; do
		sed -e "$bsed" "$tmp/$bname.$l.out" >"$tmp/$bname.$l.txt"
		if [ -n "$bset" ]; then
			sed -e "$bwsed" "$tmp/$bname.$l.wire" | sort -u >"$tmp/$bname.$l.frames"
		else
			sed -e "$bwsed" "$tmp/$bname.$l.wire" >"$tmp/$bname.$l.frames"
		fi
	done
	if ! grep -q '^exit 0$' "$tmp/$bname.sys.out" || [ ! -s "$tmp/$bname.sys.wire" ]; then
		fail "$bname" "did not run through on the system libpcap: $(tail -3 "$tmp/$bname.sys.out" | tr '\n' ' ')"
	elif ! cmp -s "$tmp/$bname.sys.txt" "$tmp/$bname.ours.txt"; then
		fail "$bname" "output differs: $(first_diff "$tmp/$bname.sys.txt" "$tmp/$bname.ours.txt")"
	elif ! cmp -s "$tmp/$bname.sys.frames" "$tmp/$bname.ours.frames"; then
		fail "$bname" "frames on the wire differ: $(first_diff "$tmp/$bname.sys.frames" "$tmp/$bname.ours.frames")"
	else
		pass "$bname ($(grep -c . "$tmp/$bname.ours.txt") lines of output, $(grep -c '^[0-9a-f]' "$tmp/$bname.ours.wire") frames on the wire)"
	fi
}

# both_at_once NAME SED READY TRAFFIC CMD...: CMD on both libraries at once in the capture
# namespace; once both printed READY, the shell command TRAFFIC runs; each must end by itself
# (or at its own time limit, as it does on libpcap) with the same output after SED.
both_at_once() {
	aname=$1 ased=$2 aready=$3 atraffic=$4
	shift 4
	ip netns exec "$NS_CAP" timeout -k 2 "$LIMIT" $SYS "$@" >"$tmp/$aname.sys.out" 2>&1 </dev/null &
	apid1=$!
	ip netns exec "$NS_CAP" timeout -k 2 "$LIMIT" $OURS LD_DEBUG=libs LD_DEBUG_OUTPUT="$tmp/$aname.ld" "$@" >"$tmp/$aname.ours.out" 2>&1 </dev/null &
	apid2=$!
	wait_for "$tmp/$aname.sys.out" "$aready" && wait_for "$tmp/$aname.ours.out" "$aready"
	sleep 0.2
	eval "$atraffic"
	wait $apid1
	echo "exit $?" >>"$tmp/$aname.sys.out"
	wait $apid2
	echo "exit $?" >>"$tmp/$aname.ours.out"
	loaded_ours "$aname" "$*"
	for l in sys ours; do sed -e "$ased" "$tmp/$aname.$l.out" >"$tmp/$aname.$l.txt"; done
	if cmp -s "$tmp/$aname.sys.txt" "$tmp/$aname.ours.txt"; then
		pass "$aname ($(grep -c . "$tmp/$aname.ours.txt") lines of output)"
	else
		fail "$aname" "output differs: $(first_diff "$tmp/$aname.sys.txt" "$tmp/$aname.ours.txt")"
	fi
}

in_peer_bg() { ip netns exec "$NS_PEER" "$@"; }
