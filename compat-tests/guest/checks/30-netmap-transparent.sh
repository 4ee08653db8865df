# netmap transparent mode on real netmap.ko: ta in this namespace, tb in namespace ns1, both
# addressed; ping crosses the generic adapter of ta while our library holds netmap:ta*, netmap:ta
# or netmap:ta^.
. /checks/lib.sh
[ -c /dev/netmap ] || exit 0 # 20-netmap.sh reported it
TD="tcpdump -Z root"
ip netns add ns1
# No IPv6 chatter from the new namespace; the counted captures also take ICMP only.
ip netns exec ns1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec ns1 sysctl -q -w net.ipv6.conf.default.disable_ipv6=1
ip link add ta type veth peer name tb
ip link set tb netns ns1
ip addr add 10.201.0.1/24 dev ta
ip link set ta up
ip netns exec ns1 ip link set lo up
ip netns exec ns1 ip addr add 10.201.0.2/24 dev tb
ip netns exec ns1 ip link set tb up
ip neigh replace 10.201.0.2 lladdr "$(ip netns exec ns1 cat /sys/class/net/tb/address)" dev ta nud permanent
ip netns exec ns1 ip neigh replace 10.201.0.1 lladdr "$(cat /sys/class/net/ta/address)" dev tb nud permanent
pinger() { ping -c 3 -W 2 10.201.0.2 >$W/ping.txt 2>&1; }

ours timeout 30 $TD -i "netmap:ta*" -nn -c 6 icmp >$W/tr.txt 2>$W/tr.err &
p=$!
listening $W/tr.err
pinger
ping_rc=$?
wait $p
check guest-netmap-transparent-mode '[ $ping_rc = 0 ] && [ "$(grep -c "echo request" $W/tr.txt)" = 3 ] && [ "$(grep -c "echo reply" $W/tr.txt)" = 3 ]' \
	"ping rc $ping_rc ($(tail -2 $W/ping.txt | tr '\n' ' ')), captured: $(cut -c1-60 $W/tr.txt | tr '\n' '|') $(head -c 200 $W/tr.err)"

# Without '*' real netmap takes ta off the host stack (the generic adapter neither sends what the
# stack transmits nor passes received frames up): ping fails while netmap:ta is held.
ours timeout 30 $TD -i netmap:ta -nn >$W/nt.txt 2>$W/nt.err &
p=$!
listening $W/nt.err
pinger
ping_rc=$?
kill -INT $p
wait $p
check guest-netmap-hw-rings-take-the-host-off '[ $ping_rc != 0 ] && grep -q "listening on" $W/nt.err' \
	"ping rc $ping_rc, captured: $(cut -c1-60 $W/nt.txt | tr '\n' '|') $(tail -2 $W/nt.err | tr '\n' ' ')"

# -Q in shows the replies only, -Q out the requests only, in transparent mode, with ping working.
for dir in in out; do
	ours timeout 30 $TD -Q $dir -i "netmap:ta*" -nn -c 3 icmp >$W/q$dir.txt 2>$W/q$dir.err &
	p=$!
	listening $W/q$dir.err
	pinger
	ping_rc=$?
	wait $p
	want=reply
	other=request
	[ $dir = out ] && want=request && other=reply
	check guest-netmap-transparent-direction-$dir '[ $ping_rc = 0 ] && [ "$(grep -c "echo $want" $W/q$dir.txt)" = 3 ] && ! grep -q "echo $other" $W/q$dir.txt' \
		"ping rc $ping_rc, captured: $(cut -c1-60 $W/q$dir.txt | tr '\n' '|') $(tail -3 $W/q$dir.err | tr '\n' ' ') ping: $(tail -2 $W/ping.txt | tr '\n' ' ')"
done

# '^' binds the host rings only. Real netmap passes the stack's frames to the host RX ring only while
# the hw TX rings are in netmap mode too (netmap_transmit), and received frames to the host ring only
# while the hw RX rings are: with '^' alone the stack keeps its network and nothing is captured.
ours timeout 30 $TD -i "netmap:ta^" -nn >$W/host.txt 2>$W/host.err &
p=$!
listening $W/host.err
pinger
ping_rc=$?
kill -INT $p
wait $p
check guest-netmap-host-rings-alone-leave-the-stack-alone '[ $ping_rc = 0 ] && grep -q "3 packets received" $W/ping.txt && grep -q "^0 packets captured" $W/host.err' \
	"ping rc $ping_rc ($(tail -2 $W/ping.txt | tr '\n' ' ')), captured: $(cut -c1-60 $W/host.txt | tr '\n' '|') $(tail -3 $W/host.err | tr '\n' ' ')"

# PCAP_NETMAP=1 maps ta to netmap:ta* for dumpcap: ping keeps working and both directions are captured.
ours env PCAP_NETMAP=1 timeout 30 dumpcap -q -i ta -f icmp -c 6 -w $W/t.pcapng >$W/t.err 2>&1 &
p=$!
i=0
while [ $i -lt 300 ] && ! [ -s $W/t.pcapng ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.5
pinger
ping_rc=$?
wait $p
timeout 30 tcpdump -Z root -r $W/t.pcapng -nn >$W/t.txt 2>/dev/null
check guest-netmap-pcap-netmap-transparent-dumpcap '[ $ping_rc = 0 ] && [ "$(grep -c "echo request" $W/t.txt)" = 3 ] && [ "$(grep -c "echo reply" $W/t.txt)" = 3 ]' \
	"ping rc $ping_rc ($(tail -2 $W/ping.txt | tr '\n' ' ')), captured: $(cut -c1-60 $W/t.txt | tr '\n' '|') $(tail -3 $W/t.err | tr '\n' ' ')"
