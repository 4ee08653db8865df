# netmap rings shared by PCAP_FANOUT processes, on real netmap.ko: a veth pair with 3 queues (the
# generic adapter gives fa one hw ring pair per RX queue; veth puts a frame on the RX queue matching
# the TX queue the sender's flow hashed to). Three tcpdumps on the ordinary name fa under
# PCAP_NETMAP=1 PCAP_FANOUT=7 take rings 0, 1, 2 (NR_REG_ONE_NIC + NR_EXCLUSIVE); a fourth finds them
# all held; the union of their files is exactly what was sent, nothing twice, each flow on one process.
. /checks/lib.sh
[ -c /dev/netmap ] || exit 0 # 20-netmap.sh reports the missing module
N=3
COUNT=600
FLOWS=64
ip link add fa numtxqueues $N numrxqueues $N type veth peer name fb numtxqueues $N numrxqueues $N
ip link set fa up
ip link set fb up
pids=""
k=0
while [ $k -lt $N ]; do
	# env execs tcpdump, so $! is tcpdump itself (SIGINT ends it and writes its file out)
	env LD_PRELOAD=/pcap/lib/libpcap.so.1 PCAP_NETMAP=1 PCAP_FANOUT=7 tcpdump -Z root -i fa -nn -U -w $W/nf.$k.pcap udp dst port 9000 >/dev/null 2>$W/nf.$k.err &
	pids="$pids $!"
	listening $W/nf.$k.err # one at a time: each takes the next ring
	k=$((k + 1))
done
PCAP_NETMAP=1 PCAP_FANOUT=7 ours timeout 60 tcpdump -Z root -i fa -c 1 >/dev/null 2>$W/nf.extra.err
rc=$?
check guest-netmap-fanout-rings-run-out \
	'[ $rc != 0 ] && [ $rc != 124 ] && grep -q "netmap: PCAP_FANOUT: all $N hw rings of fa are held by other processes" $W/nf.extra.err' \
	"rc $rc: $(head -c 200 $W/nf.extra.err)"
$T/fanout-flow-sender fb $COUNT $FLOWS
sleep 3
for p in $pids; do kill -INT $p; done
for p in $pids; do
	i=0
	while kill -0 $p 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	kill -9 $p 2>/dev/null
	wait $p 2>/dev/null
done
: >$W/nf.all
k=0
while [ $k -lt $N ]; do
	$T/fanout-flow-list $W/nf.$k.pcap | sed "s/^/$k /" >>$W/nf.all
	k=$((k + 1))
done
counts=$(cut -d' ' -f1 $W/nf.all | sort | uniq -c | awk '{printf "%s%s:%s", s, $2, $1; s=" "}')
got=$(cut -d' ' -f3 $W/nf.all | sort | tr '\n' ' ')
sent=$(seq 0 $((COUNT - 1)) | awk '{printf "%08d ", $1}')
split=$(cut -d' ' -f1,2 $W/nf.all | sort -u | cut -d' ' -f2 | sort | uniq -d | wc -l)
busy=$(cut -d' ' -f1 $W/nf.all | sort -u | wc -l)
check guest-netmap-fanout-disjoint-shares \
	'[ "$got" = "$sent" ] && [ "$split" = 0 ] && [ "$busy" -gt 1 ]' \
	"$(cut -d' ' -f3 $W/nf.all | grep -c .) captured of $COUNT, $(cut -d' ' -f3 $W/nf.all | sort | uniq -d | wc -l) twice, $split flows split, per worker $counts; $(cat $W/nf.*.err | grep -v listening | head -3 | tr '\n' ' ')"
echo "   guest-netmap-fanout: per worker $counts of $COUNT"
ip link del fa
