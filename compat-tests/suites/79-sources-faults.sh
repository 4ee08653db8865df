#!/bin/sh
# Capture sources under faults, on both libraries, in network namespaces of the test's own: a
# program that opens nfqueue and never reads must not stall the host's traffic on the queue (ours
# gives each verdict as the packet arrives; Debian's libpcap waits for a read, the baseline); a
# reading process killed with SIGKILL leaves no binding behind, so the next open of the same
# queue or nflog group works and the traffic flows.
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
ours=$root/build/bin/pcap-run
t=$root/build/test
tmp=$(mktemp -d /tmp/faults79.XXXXXX)
cleanup() { for f in $cleanups; do $f; done; [ -n "$KEEP" ] || rm -rf "$tmp"; }
cleanups=""
trap cleanup EXIT
trap 'exit 1' INT TERM

pass() { echo "PASS faults/$1"; }
fail() { echo "FAIL faults/$1: $2"; }
skip() { echo "SKIP faults/$1: $2"; }

if [ "$(id -u)" != 0 ]; then
	skip netfilter "needs root for network namespaces"
	exit 0
fi
for tool in ip nft iptables ping; do
	command -v $tool >/dev/null || { skip netfilter "$tool is not installed"; exit 0; }
done
. compat-tests/live/netns.sh
cleanups="$cleanups netns_down"
if ! netns_up 2>"$tmp/netns.err"; then
	skip netfilter "cannot create network namespaces ($(head -1 "$tmp/netns.err"))"
	exit 0
fi

# Echo requests to the capture namespace are logged to group 7 and queued to queue 7 ("bypass":
# with no program bound the packets pass, so only a bound program that gives no verdict stalls them).
in_cap nft -f - <<'RULES' || { fail netfilter-rules "nft refused the log rule"; exit 0; }
table inet pcapfaults {
	chain logs { type filter hook input priority 0; policy accept; meta l4proto icmp log group 7; }
}
RULES
if ! in_cap nft -f - 2>/dev/null <<'RULES'
table inet pcapfaultsq {
	chain q7 { type filter hook input priority -10; policy accept; meta l4proto icmp queue num 7 bypass; }
}
RULES
then
	in_cap iptables -t mangle -A INPUT -p icmp -j NFQUEUE --queue-num 7 --queue-bypass ||
		{ fail netfilter-rules "neither nft nor iptables could queue packets"; exit 0; }
fi

# replies COUNT: how many of COUNT pings from the peer namespace were answered.
replies() {
	in_peer ping -c "$1" -i 0.2 -W 2 10.77.0.2 2>/dev/null | sed -n 's/.* \([0-9]*\) received.*/\1/p'
}
bound() { in_cap cat /proc/net/netfilter/nfnetlink_log /proc/net/netfilter/nfnetlink_queue 2>/dev/null | awk '{print $1}' | grep -cx "$1"; }
lib_run() { [ "$1" = ours ] && echo "$ours"; }

[ "$(replies 3)" = 3 ] || { fail netfilter-baseline "pings do not pass with nothing bound"; exit 0; }

# A program that opens nfqueue:7 and sleeps without reading.
for lib in sys ours; do
	bg_cap $(lib_run $lib) "$t/faults-hold" nfqueue:7 30 >"$tmp/hold.$lib" 2>"$tmp/hold.$lib.err" &
	hpid=$!
	if ! wait_for "$tmp/hold.$lib.err" ready; then
		fail "nfqueue-not-reading-$lib" "not ready: $(cat "$tmp/hold.$lib")"
		kill -9 $hpid 2>/dev/null
		continue
	fi
	got=$(replies 5)
	kill -9 $hpid 2>/dev/null
	wait $hpid 2>/dev/null
	if [ $lib = ours ]; then
		if [ "$got" = 5 ]; then pass nfqueue-not-reading-traffic-flows-ours; else fail nfqueue-not-reading-traffic-flows-ours "$got of 5 pings answered while the program did not read"; fi
	else
		# The baseline: libpcap's verdict waits for a read, so the queue holds the pings.
		if [ "$got" = 0 ]; then pass nfqueue-not-reading-system-libpcap-stalls; else fail nfqueue-not-reading-system-libpcap-stalls "$got of 5 pings answered on Debian's libpcap"; fi
	fi
	sleep 0.2
	if [ "$(bound 7)" = 0 ]; then pass "nfqueue-not-reading-sigkill-unbinds-$lib"; else fail "nfqueue-not-reading-sigkill-unbinds-$lib" "queue 7 still bound"; fi
done

# The same program closing after a while: pings sent before the close all come back (ours), and
# the queue is unbound after it.
bg_cap "$ours" "$t/faults-hold" nfqueue:7 2 >"$tmp/hold2" 2>"$tmp/hold2.err" &
hpid=$!
wait_for "$tmp/hold2.err" ready
got=$(replies 3)
wait_for "$tmp/hold2.err" closed
wait $hpid
if [ "$got" = 3 ] && [ "$(bound 7)" = 0 ]; then pass nfqueue-not-reading-close-ours; else fail nfqueue-not-reading-close-ours "$got of 3 answered; queue 7 bound $(bound 7) times after the close"; fi

# A reading process killed with SIGKILL: the next open of the same queue or group works, and the
# traffic flows through it (and past it once nothing is bound).
for kind in nfqueue nflog; do
	for lib in sys ours; do
		name=$kind-sigkill-reader-$lib
		bg_cap $(lib_run $lib) "$t/sources-api" $kind:7 1000 >"$tmp/k.$lib" 2>"$tmp/k.$lib.err" &
		kpid=$!
		wait_for "$tmp/k.$lib.err" ready || { fail "$name" "first reader not ready: $(head -2 "$tmp/k.$lib")"; kill -9 $kpid 2>/dev/null; continue; }
		first=$(replies 2)
		kill -9 $kpid
		wait $kpid 2>/dev/null
		sleep 0.2
		left=$(bound 7)
		bg_cap $(lib_run $lib) "$t/sources-api" $kind:7 3 >"$tmp/n.$lib" 2>"$tmp/n.$lib.err" &
		npid=$!
		if ! wait_for "$tmp/n.$lib.err" ready; then
			fail "$name" "the next open failed: $(head -2 "$tmp/n.$lib" | tr '\n' ' ')"
			kill -9 $npid 2>/dev/null
			continue
		fi
		# Right after a SIGKILL the kernel sometimes loses one log message of the next few, on both
		# libraries: more pings until the reader has its 3 packets (or 9 pings went by).
		second=0 sent=0
		for round in 1 2 3; do
			kill -0 $npid 2>/dev/null || break
			second=$((second + $(replies 3)))
			sent=$((sent + 3))
			sleep 0.5
		done
		wait_pid $npid 50 || { fail "$name" "the next reader did not get 3 packets from 9 pings"; continue; }
		packets=$(grep -c '^P ' "$tmp/n.$lib")
		after=$(replies 2)
		if [ "$first" = 2 ] && [ "$left" = 0 ] && [ "$second" = "$sent" ] && [ "$packets" = 3 ] && [ "$after" = 2 ]; then
			pass "$name"
		else
			fail "$name" "answered $first/2 before the kill, $second/$sent through the next reader ($packets packets), $after/2 after; bound $left times after the kill"
		fi
	done
done
