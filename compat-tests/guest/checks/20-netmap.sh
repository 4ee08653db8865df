# netmap on real netmap.ko (the generic adapter on a veth pair, VALE ports, pipes, monitors): what
# compat-tests/suites/80-netmap.sh checks through the emulation, on our library, with Debian's
# tcpdump, dumpcap, tcpreplay and netmap's pkt-gen around it. va/vb: a veth pair in this namespace
# (frames from vb arrive on va); ta/tb: a pair with tb in namespace ns1 and addresses, for the
# transparent-mode checks where the host stack must keep working.
. /checks/lib.sh
if [ ! -c /dev/netmap ]; then
	fail guest-netmap-module "no /dev/netmap after loading netmap.ko: $(dmesg | grep -i netmap | tail -3)"
	exit 0
fi
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add va type veth peer name vb
# MTU 1500: real netmap refuses a generic adapter whose MTU exceeds its 2048-byte buffers (the
# emulation took 4000); frames over a buffer (NS_MOREFRAG) are checked on VALE ports below.
ip link set va up
ip link set vb up
send_b() { $T/netmap-send vb "$1" "$2"; }
TD="tcpdump -Z root"
FRAME3='02:00:00:00:00:03 > ff:ff:ff:ff:ff:ff, ethertype Unknown (0x88b5), length'

# Debian's libpcap has no netmap module: its tcpdump refuses netmap: names (the baseline).
timeout 20 $TD -i netmap:va -c 1 >/dev/null 2>$W/base.err
rc=$?
check guest-netmap-system-libpcap-refuses-netmap-names '[ $rc != 0 ] && [ $rc != 124 ] && grep -q "netmap:va" $W/base.err' \
	"rc $rc: $(head -c 200 $W/base.err)"

# tcpdump on netmap:va (the generic adapter) prints what tcpdump on Debian's libpcap prints from va,
# small and full-size frames; va is promiscuous while it runs and not after.
timeout 30 $TD -p -i va -nn -e -x -t -c 10 >$W/sys.txt 2>$W/sys.err &
p1=$!
ours timeout 30 $TD -i netmap:va -nn -e -x -t -c 10 >$W/ours.txt 2>$W/ours.err &
p2=$!
listening $W/sys.err
listening $W/ours.err
during=$(ip -d link show va | grep -o 'promiscuity [0-9]*')
send_b 5 100
send_b 5 1514
wait $p1
wait $p2
after=$(ip -d link show va | grep -o 'promiscuity [0-9]*')
check guest-netmap-promisc '[ "$during" = "promiscuity 1" ] && [ "$after" = "promiscuity 0" ]' "during capture $during, after $after"
check guest-netmap-tcpdump-matches-system-libpcap \
	'[ -s $W/ours.txt ] && [ "$(grep -c "length 1514" $W/ours.txt)" = 5 ] && cmp -s $W/sys.txt $W/ours.txt' \
	"$(head -c 300 $W/ours.err) $(diff $W/sys.txt $W/ours.txt | head -5)"

# -c N with a filter stops after N matching frames (the even-numbered ones).
ours timeout 30 $TD -i netmap:va -nn -x -t -c 3 'ether proto 0x88b5 and ether[15] & 1 = 0' >$W/c3.txt 2>$W/c3.err &
p=$!
listening $W/c3.err
send_b 10 60
wait $p
rc=$?
seqs=$(awk '$1 == "0x0000:" {print $2}' $W/c3.txt | tr '\n' ' ')
check guest-netmap-count-with-filter '[ $rc = 0 ] && [ "$seqs" = "0000 0002 0004 " ]' "rc $rc, sequence numbers $seqs, $(tail -3 $W/c3.err | tr '\n' ' ')"

# pcap_inject (NIOCTXSYNC) reaches the peer.
timeout 30 $TD -i vb -nn -e -c 3 ether src 02:00:00:00:00:03 >$W/peer.txt 2>$W/peer.err &
p=$!
listening $W/peer.err
ours timeout 30 $T/netmap-client inject netmap:va 3 1514 >$W/inj.txt
wait $p
check guest-netmap-inject-reaches-peer '[ "$(grep -c "$FRAME3 1514" $W/peer.txt)" = 3 ] && grep -q "^PASS" $W/inj.txt' \
	"$(cat $W/inj.txt) peer saw: $(head -c 300 $W/peer.txt)"

# Frames larger than a netmap buffer cross a VALE switch in NS_MOREFRAG slots: injected in two
# slots, captured whole.
ours timeout 30 $TD -i vale2:b -nn -e -x -c 2 >$W/frag.txt 2>$W/frag.err &
p=$!
listening $W/frag.err
ours timeout 30 $T/netmap-client inject vale2:a 2 3000 >$W/inj.txt
wait $p
check guest-netmap-morefrag '[ "$(grep -c "$FRAME3 3000" $W/frag.txt)" = 2 ] && [ "$(grep -c "0x0ba0:" $W/frag.txt)" = 2 ] && grep -q "^PASS" $W/inj.txt' \
	"$(cat $W/inj.txt) $(head -c 300 $W/frag.err) $(grep -c . $W/frag.txt) lines"

# The client's checks: timeout 0 blocks without spinning, a positive timeout returns 0, non-blocking
# mode, pcap_breakloop from a thread, counting after the filter, pcap_loop's count.
client() {
	mode=$1
	shift
	ours timeout 30 $T/netmap-client "$mode" "$@" | sed 's/^\(PASS\|FAIL\|SKIP\) netmap-/\1 guest-netmap-/'
}
client block netmap:va "$T/netmap-send vb 1 60"
client timeout netmap:va
client nonblock netmap:va "$T/netmap-send vb 3 60"
client breakloop netmap:va
client filtered netmap:va "$T/netmap-send vb 5 60"
client loop-count netmap:va "$T/netmap-send vb 10 60"
# A pipe end nobody reads: its TX ring fills, and pcap_inject then fails instead of dropping silently.
client inject-full "netmap:va}9"

# Two processes over a VALE switch.
ours timeout 30 $TD -i vale1:b -nn -e -c 3 >$W/vale.txt 2>$W/vale.err &
p=$!
listening $W/vale.err
ours timeout 30 $T/netmap-client inject vale1:a 3 >/dev/null
wait $p
check guest-netmap-vale-two-processes '[ "$(grep -c "$FRAME3 100" $W/vale.txt)" = 3 ]' "$(head -c 300 $W/vale.err) $(head -3 $W/vale.txt)"

# A netmap pipe: frames injected on "}1" are captured on "{1".
ours timeout 30 $TD -i "netmap:va{1" -nn -e -c 2 >$W/pipe.txt 2>$W/pipe.err &
p=$!
listening $W/pipe.err
ours timeout 30 $T/netmap-client inject "netmap:va}1" 2 >/dev/null
wait $p
check guest-netmap-pipe '[ "$(grep -c "$FRAME3 100" $W/pipe.txt)" = 2 ]' "$(head -c 300 $W/pipe.err) $(head -2 $W/pipe.txt)"

# A monitor (/r) sees what arrives on a port that another program (pkt-gen) owns.
timeout 60 pkt-gen -i netmap:va -f rx >$W/owner.txt 2>&1 &
owner=$!
sleep 2
ours timeout 30 $TD -i netmap:va/r -nn -e -c 3 >$W/mon.txt 2>$W/mon.err &
p=$!
listening $W/mon.err
send_b 3 100
wait $p
kill -INT $owner
wait $owner
check guest-netmap-monitor-while-pkt-gen-owns-the-port \
	'[ "$(grep -c "ethertype Unknown (0x88b5), length 100" $W/mon.txt)" = 3 ] && grep -q "^Received 3 packets" $W/owner.txt' \
	"$(head -c 300 $W/mon.err) $(head -2 $W/mon.txt) owner: $(grep -E 'Received|nothing' $W/owner.txt)"

# Ring selection and flags: hw ring pair 0, RX rings only.
ours timeout 30 $TD -i "netmap:va-0/R" -nn -c 2 >$W/ring.txt 2>$W/ring.err &
p=$!
listening $W/ring.err
send_b 2 60
wait $p
check guest-netmap-ring-selection '[ "$(grep -c 88b5 $W/ring.txt)" = 2 ]' "$(head -c 300 $W/ring.err)"

# Nanosecond precision: netmap's microseconds times 1000.
ours timeout 30 $TD -i netmap:va -nn -c 2 --time-stamp-precision=nano >$W/nano.txt 2>$W/nano.err &
p=$!
listening $W/nano.err
send_b 2 60
wait $p
check guest-netmap-nano-precision '[ "$(grep -cE "^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}000 " $W/nano.txt)" = 2 ]' \
	"$(head -c 300 $W/nano.err) $(head -2 $W/nano.txt)"

# A port that does not exist: libpcap's "No such device" status, the module's reason after it.
ours timeout 30 $TD -i netmap:nmnone -c 1 >/dev/null 2>$W/none.err
rc=$?
check guest-netmap-no-such-port '[ $rc != 0 ] && grep -q "No such device exists" $W/none.err && grep -q "(netmap: no such port nmnone)" $W/none.err' \
	"rc $rc, $(head -c 300 $W/none.err)"

# pcap_findalldevs: netmap:va listed after va, the first device not a netmap port; Debian's libpcap lists none.
ours timeout 30 $TD -D >$W/D.txt 2>&1
plain_at=$(grep -n "\.va " $W/D.txt | cut -d: -f1)
netmap_at=$(grep -n "\.netmap:va " $W/D.txt | cut -d: -f1)
without=$(timeout 30 $TD -D 2>&1 | grep -c "netmap:")
check guest-netmap-findalldevs '[ -n "$netmap_at" ] && [ "${plain_at:-99}" -lt "$netmap_at" ] && [ "$without" = 0 ] && ! head -1 $W/D.txt | grep -q netmap' \
	"netmap:va on line ${netmap_at:-none}, va on line ${plain_at:-none}, Debian's libpcap lists $without netmap ports"

# PCAP_NETMAP_DEVICES maps an ordinary name onto a netmap port: "va" opens pipe end {5, so only
# frames injected on }5 (never va's own traffic) can be captured.
ours env PCAP_NETMAP_DEVICES="va=netmap:va{5" timeout 30 $TD -i va -nn -e -c 2 >$W/map.txt 2>$W/map.err &
p=$!
listening $W/map.err
send_b 2 60
ours timeout 30 $T/netmap-client inject "netmap:va}5" 2 >/dev/null
wait $p
check guest-netmap-env-mapping '[ "$(grep -c "$FRAME3 100" $W/map.txt)" = 2 ] && ! grep -q "02:00:00:00:00:02" $W/map.txt' \
	"$(head -c 300 $W/map.err) $(head -3 $W/map.txt)"

# dumpcap (Wireshark's capture engine) on our library, through the same mapping.
ours env PCAP_NETMAP_DEVICES="va=netmap:va{6" timeout 30 dumpcap -q -i va -c 3 -w $W/d.pcapng >$W/d.err 2>&1 &
p=$!
i=0
while [ $i -lt 300 ] && ! [ -s $W/d.pcapng ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.5
ours timeout 30 $T/netmap-client inject "netmap:va}6" 3 >/dev/null
wait $p
check guest-netmap-dumpcap '[ "$(timeout 30 tcpdump -Z root -r $W/d.pcapng -nn -e 2>/dev/null | grep -c "$FRAME3 100")" = 3 ]' "$(head -c 300 $W/d.err)"

# tcpreplay on our library (it reads the capture through it) sends the sample into vb; tcpdump on
# netmap:va prints every frame as tcpdump on Debian's libpcap prints the file.
n=$(tcpdump -Z root -r $T/sample.pcap 2>/dev/null | wc -l)
tcpdump -Z root -r $T/sample.pcap -nn -e -x -t >$W/replay-want.txt 2>/dev/null
ours timeout 60 $TD -i netmap:va -nn -e -x -t -c "$n" >$W/replay.txt 2>$W/replay.err &
p=$!
listening $W/replay.err
ours timeout 60 tcpreplay -q -i vb $T/sample.pcap >$W/tcpreplay.txt 2>&1
rc=$?
wait $p
check guest-netmap-tcpreplay '[ $rc = 0 ] && [ "$n" -gt 0 ] && cmp -s $W/replay-want.txt $W/replay.txt' \
	"tcpreplay rc $rc $(head -c 200 $W/tcpreplay.txt), $n frames in the file: $(diff $W/replay-want.txt $W/replay.txt | head -4)"

# pkt-gen as the peer: its frames (sent through netmap on vb) captured on netmap:va; our injected
# frames received by pkt-gen on netmap:vb.
ours timeout 60 $TD -i netmap:va -nn -c 50 udp >$W/pg.txt 2>$W/pg.err &
p=$!
listening $W/pg.err
timeout 60 pkt-gen -i netmap:vb -f tx -n 50 -l 60 -R 1000 >$W/pgtx.txt 2>&1
wait $p
check guest-netmap-pkt-gen-sender '[ "$(grep -c UDP $W/pg.txt)" = 50 ]' "$(tail -2 $W/pg.err | tr '\n' ' ') pkt-gen: $(grep Sent $W/pgtx.txt)"
timeout 60 pkt-gen -i netmap:vb -f rx >$W/pgrx.txt 2>&1 &
rx=$!
sleep 2
ours timeout 30 $T/netmap-client inject netmap:va 20 >/dev/null
sleep 1
kill -INT $rx
wait $rx
check guest-netmap-pkt-gen-receiver 'grep -q "^Received 20 packets" $W/pgrx.txt' "$(grep -E 'Received|nothing' $W/pgrx.txt)"

# SIGINT stops an idle tcpdump (its handler calls pcap_breakloop, which wakes the poll) with its counts.
ours timeout 30 $TD -i netmap:va -nn >$W/int.txt 2>$W/int.err &
p=$!
listening $W/int.err
send_b 2 60
sleep 0.5
kill -INT $p
wait $p
check guest-netmap-sigint 'grep -q "^2 packets captured" $W/int.err && grep -q "^2 packets received" $W/int.err' "$(tail -3 $W/int.err | tr '\n' ' ')"
