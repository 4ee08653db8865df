#!/bin/sh
# netmap: the capture module end to end, through the /dev/netmap emulation (compat-tests/netmap-emu;
# results here are emulation results, never netmap figures). Runs in network namespaces and a veth
# pair it creates and removes itself.
cd "$(dirname "$0")/../.." || exit 1
T=$PWD/build/test
EMU=$T/libnetmap-emu.so
LIB=$PWD/build/lib/libpcap.so.1
W=$(mktemp -d /tmp/netmap-test.XXXXXX)
chmod 755 "$W" # tcpdump gives up root for user tcpdump after opening the port
A=nmA$$
B=nmB$$
VA=nma$$
VB=nmb$$
SW=valet$$

skip_all() {
	for t in emulation-check tcpdump-matches-system-libpcap count-with-filter inject-reaches-peer timeouts \
		breakloop filtered-counts inject-full-ring vale-two-processes transparent-mode transparent-direction \
		findalldevs env-mapping promisc nano-precision dumpcap no-such-port host-rings pipe ring-selection sigint inject-morefrag; do
		echo "SKIP netmap-$t: $1"
	done
	rm -rf "$W"
	exit 0
}

[ "$(id -u)" = 0 ] || skip_all "needs root for network namespaces"
[ -x "$T/netmap-client" ] && [ -f "$EMU" ] || skip_all "test programs not built (make)"
command -v tcpdump >/dev/null || skip_all "tcpdump not installed"

cleanup() {
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -f /dev/shm/netmap-emu."$SW"*
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

ip netns add "$A" && ip netns add "$B" || skip_all "cannot create network namespaces"
ip link add "$VA" type veth peer name "$VB" || skip_all "cannot create a veth pair"
ip link set "$VA" netns "$A"
ip link set "$VB" netns "$B"
for ns in "$A" "$B"; do
	ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
	ip netns exec "$ns" ip link set lo up
done
ip netns exec "$A" ip link set "$VA" mtu 4000 up
ip netns exec "$B" ip link set "$VB" mtu 4000 up

in_a() { ip netns exec "$A" "$@"; }
ours_a() { ip netns exec "$A" env LD_PRELOAD="$EMU $LIB" "$@"; }
send_b() { echo "ip netns exec $B $T/netmap-send $VB $1 $2"; }

# A file the emulation inside tcpdump (no longer root) can append its NETMAP_EMU_STATS lines to.
fresh_stats() {
	rm -f "$W/emu-stats"
	: >"$W/emu-stats"
	chmod 666 "$W/emu-stats"
}

# Waits until a capture has started (tcpdump says "listening on") or gives up after 10 s.
listening() {
	i=0
	while [ $i -lt 100 ] && ! grep -q "listening on" "$1" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
}

# The emulation itself.
LD_PRELOAD=$EMU "$T/netmap-emu-check"

# tcpdump on netmap:VA prints what the peer sends, as tcpdump on the system libpcap prints it from VA;
# the 3000-byte frames span two netmap buffers (NS_MOREFRAG) and must come out whole. While it runs
# the interface is promiscuous (tcpdump's default), and it is not afterwards.
in_a timeout 20 tcpdump -p -i "$VA" -nn -e -x -t -c 10 >"$W/sys.txt" 2>"$W/sys.err" &
p1=$!
ours_a timeout 20 tcpdump -i "netmap:$VA" -nn -e -x -t -c 10 >"$W/ours.txt" 2>"$W/ours.err" &
p2=$!
listening "$W/sys.err"
listening "$W/ours.err"
promisc_during=$(in_a ip -d link show "$VA" | grep -o 'promiscuity [0-9]*')
$(send_b 5 100)
$(send_b 5 3000)
wait $p1
wait $p2
promisc_after=$(in_a ip -d link show "$VA" | grep -o 'promiscuity [0-9]*')
if [ "$promisc_during" = "promiscuity 1" ] && [ "$promisc_after" = "promiscuity 0" ]; then
	echo "PASS netmap-promisc"
else
	echo "FAIL netmap-promisc: PROMISC during capture $promisc_during, after $promisc_after"
fi
if [ -s "$W/ours.txt" ] && [ "$(grep -c 'length 3000' "$W/ours.txt")" = 5 ] && cmp -s "$W/sys.txt" "$W/ours.txt"; then
	echo "PASS netmap-tcpdump-matches-system-libpcap"
else
	echo "FAIL netmap-tcpdump-matches-system-libpcap: $(head -c 300 "$W/ours.err"; diff "$W/sys.txt" "$W/ours.txt" | head -5)"
fi

# -c N with a filter stops after N matching packets (the even-numbered frames).
ours_a timeout 20 tcpdump -i "netmap:$VA" -nn -x -t -c 3 'ether proto 0x88b5 and ether[15] & 1 = 0' >"$W/c3.txt" 2>"$W/c3.err" &
p=$!
listening "$W/c3.err"
if ! grep -q "listening on" "$W/c3.err"; then
	wait $p
	echo "SKIP netmap-count-with-filter: our pcap_compile refuses the expression ($(head -1 "$W/c3.err"))"
else
	$(send_b 10 60)
	wait $p
	rc=$?
	# The first hex line of each frame starts with its sequence number (bytes 14-15).
	seqs=$(awk '$1 == "0x0000:" {print $2}' "$W/c3.txt" | tr '\n' ' ')
	if [ $rc = 0 ] && [ "$seqs" = "0000 0002 0004 " ] && grep -q "^3 packets captured" "$W/c3.err" && ! grep -q WARNING "$W/c3.err"; then
		echo "PASS netmap-count-with-filter"
	else
		echo "FAIL netmap-count-with-filter: rc $rc, sequence numbers $seqs, $(tail -3 "$W/c3.err" | tr '\n' ' ')"
	fi
fi

# pcap_inject frames reach the peer.
ip netns exec "$B" timeout 20 tcpdump -i "$VB" -nn -e -c 5 ether src 02:00:00:00:00:03 >"$W/peer.txt" 2>"$W/peer.err" &
p=$!
listening "$W/peer.err"
ours_a timeout 20 "$T/netmap-client" inject "netmap:$VA" 5
wait $p
if [ "$(grep -c '02:00:00:00:00:03 > ff:ff:ff:ff:ff:ff, ethertype Unknown (0x88b5), length 100' "$W/peer.txt")" = 5 ]; then
	echo "PASS netmap-inject-reaches-peer"
else
	echo "FAIL netmap-inject-reaches-peer: peer saw $(wc -l <"$W/peer.txt") frames: $(head -2 "$W/peer.txt")"
fi

# Runs one check of netmap-client; a client that never returns is killed and reported.
client() {
	mode=$1
	shift
	ours_a timeout 20 "$T/netmap-client" "$mode" "$@"
	rc=$?
	[ $rc = 124 ] && echo "FAIL netmap-$mode: the client did not return within 20 s"
	[ $rc -gt 128 ] && echo "FAIL netmap-$mode: the client died of signal $((rc - 128))"
	return 0
}

# A frame longer than a netmap buffer is injected over NS_MOREFRAG slots and arrives whole.
ip netns exec "$B" timeout 20 tcpdump -i "$VB" -nn -e -c 2 ether src 02:00:00:00:00:03 >"$W/peer3k.txt" 2>"$W/peer3k.err" &
p=$!
listening "$W/peer3k.err"
ours_a timeout 20 "$T/netmap-client" inject "netmap:$VA" 2 3000 >/dev/null
wait $p
if [ "$(grep -c '02:00:00:00:00:03 > ff:ff:ff:ff:ff:ff, ethertype Unknown (0x88b5), length 3000' "$W/peer3k.txt")" = 2 ]; then
	echo "PASS netmap-inject-morefrag"
else
	echo "FAIL netmap-inject-morefrag: peer saw: $(head -c 300 "$W/peer3k.txt")"
fi

# Timeout 0, a positive timeout, non-blocking mode, pcap_breakloop from a thread.
client block "netmap:$VA" "$(send_b 1 60)"
client timeout "netmap:$VA"
client nonblock "netmap:$VA" "$(send_b 3 60)"
client breakloop "netmap:$VA"

# Counting after the filter: pcap_dispatch, pcap_next_ex, pcap_stats, pcap_loop.
client filtered "netmap:$VA" "$(send_b 5 60)"
client loop-count "netmap:$VA" "$(send_b 10 60)"

# A TX ring that cannot drain (link down) makes pcap_inject fail instead of dropping silently.
in_a ip link set "$VA" down
client inject-full "netmap:$VA"
in_a ip link set "$VA" up

# Two processes talk over a VALE switch.
ours_a timeout 20 tcpdump -i "$SW:b" -nn -e -c 3 >"$W/vale.txt" 2>"$W/vale.err" &
p=$!
listening "$W/vale.err"
ours_a timeout 20 "$T/netmap-client" inject "$SW:a" 3 >/dev/null
wait $p
if [ "$(grep -c '02:00:00:00:00:03 > ff:ff:ff:ff:ff:ff, ethertype Unknown (0x88b5), length 100' "$W/vale.txt")" = 3 ]; then
	echo "PASS netmap-vale-two-processes"
else
	echo "FAIL netmap-vale-two-processes: $(head -c 300 "$W/vale.err") $(head -3 "$W/vale.txt")"
fi

# Transparent mode (netmap:IF*): both directions captured, every frame forwarded on, traffic keeps flowing.
in_a ip addr add 10.201.0.1/24 dev "$VA"
ip netns exec "$B" ip addr add 10.201.0.2/24 dev "$VB"
fresh_stats
mac_a=$(in_a cat /sys/class/net/"$VA"/address)
mac_b=$(ip netns exec "$B" cat /sys/class/net/"$VB"/address)
in_a ip neigh replace 10.201.0.2 lladdr "$mac_b" dev "$VA" nud permanent
ip netns exec "$B" ip neigh replace 10.201.0.1 lladdr "$mac_a" dev "$VB" nud permanent
ours_a env NETMAP_EMU_STATS="$W/emu-stats" timeout 20 tcpdump -i "netmap:$VA*" -nn -c 6 >"$W/tr.txt" 2>"$W/tr.err" &
p=$!
listening "$W/tr.err"
in_a ping -c 3 -i 0.2 -W 2 10.201.0.2 >"$W/ping.txt" 2>&1
ping_rc=$?
wait $p
fwd=$(sed -n 's/.*forwarded=\([0-9]*\).*/\1/p' "$W/emu-stats" 2>/dev/null | head -1)
if [ $ping_rc = 0 ] && ! grep -q DUP "$W/ping.txt" && [ "$(grep -c 'echo request' "$W/tr.txt")" = 3 ] &&
	[ "$(grep -c 'echo reply' "$W/tr.txt")" = 3 ] && [ "${fwd:-0}" -ge 6 ]; then
	echo "PASS netmap-transparent-mode"
else
	echo "FAIL netmap-transparent-mode: ping rc $ping_rc, captured $(wc -l <"$W/tr.txt") lines, forwarded ${fwd:-none}: $(head -c 200 "$W/tr.err")"
fi

# Without '*' nothing is forwarded (the module only marks slots in transparent mode).
fresh_stats
ours_a env NETMAP_EMU_STATS="$W/emu-stats" timeout 20 tcpdump -i "netmap:$VA" -nn -c 3 >"$W/nt.txt" 2>"$W/nt.err" &
p=$!
listening "$W/nt.err"
in_a ping -c 3 -i 0.2 -W 2 10.201.0.2 >/dev/null 2>&1
wait $p
fwd=$(sed -n 's/.*forwarded=\([0-9]*\).*/\1/p' "$W/emu-stats" 2>/dev/null | head -1)
if [ "$(grep -c 'echo reply' "$W/nt.txt")" = 3 ] && [ "$fwd" = 0 ]; then
	echo "PASS netmap-hw-rings-only-forward-nothing"
else
	echo "FAIL netmap-hw-rings-only-forward-nothing: forwarded ${fwd:-none}, $(head -c 200 "$W/nt.err")"
fi

# pcap_setdirection in transparent mode: -Q in shows the replies only, -Q out the requests only.
for dir in in out; do
	ours_a timeout 20 tcpdump -Q $dir -i "netmap:$VA*" -nn -c 3 >"$W/q$dir.txt" 2>"$W/q$dir.err" &
	p=$!
	listening "$W/q$dir.err"
	in_a ping -c 3 -i 0.2 -W 2 10.201.0.2 >/dev/null 2>&1
	wait $p
	want=reply
	other=request
	[ $dir = out ] && want=request && other=reply
	if [ "$(grep -c "echo $want" "$W/q$dir.txt")" = 3 ] && ! grep -q "echo $other" "$W/q$dir.txt"; then
		echo "PASS netmap-transparent-direction-$dir"
	else
		echo "FAIL netmap-transparent-direction-$dir: $(head -c 200 "$W/q$dir.err") $(head -3 "$W/q$dir.txt")"
	fi
done

# '^' binds the host rings only: what the host stack sends (the echo requests), nothing from the wire.
ours_a timeout 20 tcpdump -i "netmap:$VA^" -nn -c 3 >"$W/host.txt" 2>"$W/host.err" &
p=$!
listening "$W/host.err"
in_a ping -c 3 -i 0.2 -W 2 10.201.0.2 >/dev/null 2>&1
wait $p
if [ "$(grep -c 'echo request' "$W/host.txt")" = 3 ] && ! grep -q 'echo reply' "$W/host.txt"; then
	echo "PASS netmap-host-rings"
else
	echo "FAIL netmap-host-rings: $(head -c 200 "$W/host.err") $(head -3 "$W/host.txt")"
fi

# pcap_findalldevs lists netmap ports where /dev/netmap exists, and only there, each after its
# interface (so a program taking the first device never lands on netmap by surprise).
ours_a timeout 20 tcpdump -D >"$W/D.txt" 2>&1
with=$(grep -c "netmap:$VA " "$W/D.txt")
plain_at=$(grep -n "\.$VA " "$W/D.txt" | cut -d: -f1)
netmap_at=$(grep -n "\.netmap:$VA " "$W/D.txt" | cut -d: -f1)
without=$(in_a env LD_PRELOAD="$LIB" timeout 20 tcpdump -D 2>&1 | grep -c "netmap:")
if [ "$with" = 1 ] && [ "$without" = 0 ] && [ "${plain_at:-99}" -lt "${netmap_at:-0}" ] && ! head -1 "$W/D.txt" | grep -q netmap; then
	echo "PASS netmap-findalldevs"
else
	echo "FAIL netmap-findalldevs: listed $with times with the emulation (line $netmap_at, $VA on line $plain_at), $without netmap ports without"
fi

# PCAP_NETMAP_DEVICES maps an ordinary name onto a netmap port (the emulation's stats show the binding).
fresh_stats
ours_a env NETMAP_EMU_STATS="$W/emu-stats" PCAP_NETMAP_DEVICES="$VA=netmap:$VA" timeout 20 tcpdump -i "$VA" -nn -c 2 >"$W/map.txt" 2>"$W/map.err" &
p=$!
listening "$W/map.err"
$(send_b 2 60)
wait $p
if grep -q "^$VA rx=2 " "$W/emu-stats" 2>/dev/null && [ "$(grep -c 88b5 "$W/map.txt")" = 2 ]; then
	echo "PASS netmap-env-mapping"
else
	echo "FAIL netmap-env-mapping: $(cat "$W/emu-stats" 2>/dev/null) $(head -c 200 "$W/map.err")"
fi

# Nanosecond precision is offered: the stamps are netmap's microseconds times 1000.
ours_a timeout 20 tcpdump -i "netmap:$VA" -nn -c 2 --time-stamp-precision=nano >"$W/nano.txt" 2>"$W/nano.err" &
p=$!
listening "$W/nano.err"
$(send_b 2 60)
wait $p
if [ "$(grep -cE '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}000 ' "$W/nano.txt")" = 2 ]; then
	echo "PASS netmap-nano-precision"
else
	echo "FAIL netmap-nano-precision: $(head -c 300 "$W/nano.err") $(head -2 "$W/nano.txt")"
fi

# dumpcap (Wireshark's capture engine) on an ordinary name that PCAP_NETMAP=1 maps to netmap:NAME*.
if command -v dumpcap >/dev/null; then
	fresh_stats
	ours_a env PCAP_NETMAP=1 NETMAP_EMU_STATS="$W/emu-stats" timeout 20 dumpcap -q -i "$VA" -c 3 -w "$W/d.pcapng" >"$W/d.err" 2>&1 &
	p=$!
	i=0
	while [ $i -lt 100 ] && ! [ -s "$W/d.pcapng" ]; do sleep 0.1; i=$((i + 1)); done
	sleep 0.5
	$(send_b 3 60)
	wait $p
	if grep -q "^$VA rx=" "$W/emu-stats" && [ "$(tcpdump -r "$W/d.pcapng" -nn 2>/dev/null | grep -c 88b5)" = 3 ]; then
		echo "PASS netmap-dumpcap"
	else
		echo "FAIL netmap-dumpcap: $(cat "$W/emu-stats") $(head -c 300 "$W/d.err")"
	fi
else
	echo "SKIP netmap-dumpcap: dumpcap not installed (Debian package tshark)"
fi

# A port that does not exist: libpcap's "No such device" status, the module's reason after it.
ours_a timeout 20 tcpdump -i netmap:nmnone$$ -c 1 >/dev/null 2>"$W/none.err"
rc=$?
if [ $rc != 0 ] && grep -q "No such device exists" "$W/none.err" && grep -q "(netmap: no such port nmnone$$)" "$W/none.err"; then
	echo "PASS netmap-no-such-port"
else
	echo "FAIL netmap-no-such-port: rc $rc, $(head -c 300 "$W/none.err")"
fi

# A netmap pipe: frames injected on one end ("}1") are captured on the other ("{1").
ours_a timeout 20 tcpdump -i "netmap:$VA{1" -nn -e -c 2 >"$W/pipe.txt" 2>"$W/pipe.err" &
p=$!
listening "$W/pipe.err"
ours_a timeout 20 "$T/netmap-client" inject "netmap:$VA}1" 2 >/dev/null
wait $p
rm -f /dev/shm/netmap-emu.pipe."$VA"*
if [ "$(grep -c '02:00:00:00:00:03 > ff:ff:ff:ff:ff:ff, ethertype Unknown (0x88b5), length 100' "$W/pipe.txt")" = 2 ]; then
	echo "PASS netmap-pipe"
else
	echo "FAIL netmap-pipe: $(head -c 300 "$W/pipe.err") $(head -2 "$W/pipe.txt")"
fi

# Ring selection and flags: hw ring pair 0, RX rings only.
ours_a timeout 20 tcpdump -i "netmap:$VA-0/R" -nn -c 2 >"$W/ring.txt" 2>"$W/ring.err" &
p=$!
listening "$W/ring.err"
$(send_b 2 60)
wait $p
if [ "$(grep -c 88b5 "$W/ring.txt")" = 2 ]; then
	echo "PASS netmap-ring-selection"
else
	echo "FAIL netmap-ring-selection: $(head -c 300 "$W/ring.err")"
fi

# SIGINT stops an idle tcpdump (its handler calls pcap_breakloop, which wakes the poll) with its counts.
ours_a timeout 20 tcpdump -i "netmap:$VA" -nn >"$W/int.txt" 2>"$W/int.err" &
p=$!
listening "$W/int.err"
$(send_b 2 60)
sleep 0.3
kill -INT $p # timeout(1) passes the signal on to tcpdump
wait $p
if grep -q "^2 packets captured" "$W/int.err" && grep -q "^2 packets received" "$W/int.err"; then
	echo "PASS netmap-sigint"
else
	echo "FAIL netmap-sigint: $(tail -3 "$W/int.err" | tr '\n' ' ')"
fi
