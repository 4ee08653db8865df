#!/bin/sh
# Fanout (PCAP_FANOUT, beyond libpcap): several unmodified tcpdump processes on one interface share
# its traffic. Each mode's test sends COUNT frames over FLOWS flows from the peer namespace and
# checks that the union of what the processes wrote is exactly what was sent, nothing twice (and,
# in hash mode, each flow on one process). libpcap ignores the variable: its processes each get
# everything, which the baseline test shows on the same traffic.
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
if [ "$(id -u)" != 0 ]; then
	echo "SKIP fanout: needs root for network namespaces"
	exit 0
fi
. compat-tests/live/netns.sh
tmp=$(mktemp -d)
chmod 755 "$tmp" # tcpdump gives up root for user tcpdump before writing
trap 'netns_down; [ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
if ! netns_up 2>"$tmp/netns.err"; then
	echo "SKIP fanout: cannot create network namespaces ($(head -1 "$tmp/netns.err"))"
	exit 0
fi
ours=$root/build/bin/pcap-run
t=$root/build/test
COUNT=3000
FLOWS=64
WORKERS=3

pass() { echo "PASS fanout/$1"; }
fail() { echo "FAIL fanout/$1: $2"; }

emu=$t/libnetmap-emu.so
ourlib=$root/build/lib/libpcap.so.1

# workers NAME LIB VALUE: WORKERS tcpdumps (LIB "ours", "sys", or "netmap": ours with PCAP_NETMAP=1
# under the /dev/netmap emulation) on $IFACE (pcl0) with PCAP_FANOUT=VALUE, each writing
# $tmp/NAME.K.pcap; returns once all listen (1 if one did not).
workers() {
	pids=""
	k=0
	while [ $k -lt $WORKERS ]; do
		case $2 in
		ours) set -- "$1" "$2" "$3" "$ours" ;;
		sys) set -- "$1" "$2" "$3" ;;
		netmap) set -- "$1" "$2" "$3" env PCAP_NETMAP=1 LD_PRELOAD="$emu $ourlib" ;;
		esac
		(
			n=$1 v=$3
			shift 3
			PCAP_FANOUT=$v bg_cap "$@" tcpdump -i "${IFACE:-pcl0}" -nn -U -w "$tmp/$n.$k.pcap" udp dst port 9000 \
				>/dev/null 2>"$tmp/$n.$k.err"
		) &
		pids="$pids $!"
		k=$((k + 1))
	done
	k=0
	while [ $k -lt $WORKERS ]; do
		i=0
		until grep -q "listening on" "$tmp/$1.$k.err" 2>/dev/null; do
			i=$((i + 1))
			[ $i -gt 100 ] && return 1
			sleep 0.1
		done
		k=$((k + 1))
	done
}

# stop_workers: SIGINT, as a user ends tcpdump; at most 10 s.
stop_workers() {
	sleep 2 # past the 1 s read timeout, so the last ring block has been handed over
	for p in $pids; do kill -INT "$p" 2>/dev/null; done
	for p in $pids; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		kill -9 "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
}

# share NAME: lists each worker's frames ("K SPORT SEQ") into $tmp/NAME.all.
share() {
	: >"$tmp/$1.all"
	k=0
	while [ $k -lt $WORKERS ]; do
		"$t/fanout-flow-list" "$tmp/$1.$k.pcap" | sed "s/^/$k /" >>"$tmp/$1.all"
		k=$((k + 1))
	done
}

# check NAME MODE: the union is every frame sent, once; per worker counts in the reason on failure.
check() {
	counts=$(cut -d' ' -f1 "$tmp/$1.all" | sort | uniq -c | awk '{printf "%s%s:%s", s, $2, $1; s=" "}')
	sent=$(seq 0 $((COUNT - 1)) | awk '{printf "%08d\n", $1}')
	got=$(cut -d' ' -f3 "$tmp/$1.all" | sort)
	dups=$(printf '%s\n' "$got" | uniq -d | wc -l)
	if [ "$got" != "$sent" ]; then
		fail "$1" "union of the workers' captures is not the $COUNT frames sent ($(printf '%s\n' "$got" | grep -c .) captured, $dups twice; per worker $counts)"
		return 1
	fi
	busy=$(cut -d' ' -f1 "$tmp/$1.all" | sort -u | wc -l)
	case $2 in
	hash)
		# Each flow (source port) on exactly one worker, and the flows spread over more than one.
		split=$(cut -d' ' -f1,2 "$tmp/$1.all" | sort -u | cut -d' ' -f2 | sort | uniq -d | wc -l)
		[ "$split" -eq 0 ] || { fail "$1" "$split flows were split between workers (per worker $counts)"; return 1; }
		[ "$busy" -gt 1 ] || { fail "$1" "all $FLOWS flows went to one worker ($counts)"; return 1; }
		;;
	lb)
		[ "$busy" -eq $WORKERS ] || { fail "$1" "round robin left a worker idle ($counts)"; return 1; }
		;;
	esac
	pass "$1"
	echo "   $1: per worker $counts of $COUNT"
}

for mode in hash lb; do
	name=ours-$mode
	if workers "$name" ours "4242:$mode"; then
		in_peer "$t/fanout-flow-sender" pcl1 $COUNT $FLOWS
		stop_workers
		share "$name"
		check "$name" "$mode"
	else
		stop_workers
		fail "$name" "a worker did not start: $(cat "$tmp/$name".*.err | grep -v '^tcpdump: listening' | head -2)"
	fi
done

# libpcap has no fanout: with the same variable each of its processes captures every frame.
if workers sys sys "4243:hash"; then
	in_peer "$t/fanout-flow-sender" pcl1 $COUNT $FLOWS
	stop_workers
	share sys
	each=$(cut -d' ' -f1 "$tmp/sys.all" | sort | uniq -c | awk -v n=$COUNT '$1 == n' | wc -l)
	if [ "$each" -eq $WORKERS ]; then
		pass "libpcap-baseline-each-process-gets-all"
	else
		fail "libpcap-baseline-each-process-gets-all" "expected $WORKERS workers with $COUNT frames each"
	fi
else
	stop_workers
	fail "libpcap-baseline-each-process-gets-all" "a libpcap worker did not start"
fi

# Bad values: an activation error with the text, tcpdump exits at once.
for bad in "1:bogus|unknown fanout mode" "70000|fanout group id" "5:hash,fast|unknown fanout flag"; do
	value=${bad%%|*}
	text=${bad#*|}
	PCAP_FANOUT=$value timeout 10 ip netns exec "$NS_CAP" "$ours" tcpdump -i pcl0 -c 1 >/dev/null 2>"$tmp/bad.err"
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "PCAP_FANOUT: $text" "$tmp/bad.err"; then
		pass "bad-value-$value"
	else
		fail "bad-value-$value" "exit $rc: $(head -1 "$tmp/bad.err")"
	fi
done

# One group joined with two modes: the kernel refuses the second, as a libpcap error.
(PCAP_FANOUT=4244:hash bg_cap "$ours" tcpdump -i pcl0 -w /dev/null >/dev/null 2>"$tmp/first.err") &
first=$!
i=0
until grep -q "listening on" "$tmp/first.err" 2>/dev/null || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
PCAP_FANOUT=4244:lb timeout 10 ip netns exec "$NS_CAP" "$ours" tcpdump -i pcl0 -c 1 >/dev/null 2>"$tmp/second.err"
rc=$?
kill -INT $first 2>/dev/null
wait $first 2>/dev/null
if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "setsockopt (PACKET_FANOUT PCAP_FANOUT group 4244): Invalid argument" "$tmp/second.err"; then
	pass "group-mode-mismatch"
else
	fail "group-mode-mismatch" "exit $rc: $(head -1 "$tmp/second.err")"
fi

# netmap: with PCAP_NETMAP mapping the name and PCAP_FANOUT set, each process takes the next hw ring
# pair no other process holds (NR_REG_ONE_NIC + NR_EXCLUSIVE), under the /dev/netmap emulation on a veth
# with WORKERS RX queues (WORKERS rings; the emulation shares the interface's frames between the bound
# rings by flow, as a NIC's RSS would). The union is what was sent, nothing twice, each flow on one
# process; one process more finds every ring held, an activation error.
if [ -f "$emu" ] && ip link add pcm0 netns "$NS_CAP" numtxqueues $WORKERS numrxqueues $WORKERS type veth \
	peer name pcm1 netns "$NS_PEER" numtxqueues $WORKERS numrxqueues $WORKERS 2>"$tmp/pcm.err"; then
	ip -n "$NS_CAP" link set pcm0 up
	ip -n "$NS_PEER" link set pcm1 up
	if IFACE=pcm0 workers netmap-rings netmap 7; then
		PCAP_FANOUT=7 timeout 10 ip netns exec "$NS_CAP" env PCAP_NETMAP=1 LD_PRELOAD="$emu $ourlib" tcpdump -i pcm0 -c 1 \
			>/dev/null 2>"$tmp/netmap-extra.err"
		rc=$?
		in_peer "$t/fanout-flow-sender" pcm1 $COUNT $FLOWS
		stop_workers
		share netmap-rings
		check netmap-rings hash
		if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "netmap: PCAP_FANOUT: all $WORKERS hw rings of pcm0 are held by other processes" "$tmp/netmap-extra.err"; then
			pass "netmap-rings-run-out"
		else
			fail "netmap-rings-run-out" "exit $rc: $(head -1 "$tmp/netmap-extra.err")"
		fi
		# A bad value is the same activation error on netmap as on a packet socket.
		PCAP_FANOUT=1:bogus timeout 10 ip netns exec "$NS_CAP" env PCAP_NETMAP=1 LD_PRELOAD="$emu $ourlib" tcpdump -i pcm0 -c 1 \
			>/dev/null 2>"$tmp/netmap-bad.err"
		rc=$?
		if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "PCAP_FANOUT: unknown fanout mode" "$tmp/netmap-bad.err"; then
			pass "netmap-bad-value"
		else
			fail "netmap-bad-value" "exit $rc: $(head -1 "$tmp/netmap-bad.err")"
		fi
	else
		stop_workers
		fail netmap-rings "a worker did not start: $(cat "$tmp"/netmap-rings.*.err | grep -v '^tcpdump: listening' | head -2)"
		echo "FAIL fanout/netmap-rings-run-out: the workers did not start"
		echo "FAIL fanout/netmap-bad-value: the workers did not start"
	fi
else
	echo "SKIP fanout/netmap-rings: no emulation or no multi-queue veth ($(head -1 "$tmp/pcm.err" 2>/dev/null))"
	echo "SKIP fanout/netmap-rings-run-out: as above"
	echo "SKIP fanout/netmap-bad-value: as above"
fi
