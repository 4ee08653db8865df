#!/bin/sh
# Capture sources other than network interfaces, on both libraries over the same input: the
# operations every capture module answers before activation; netfilter log groups and queues
# (nftables rules in namespaces of the test's own) through tcpdump, dumpcap and a C program; D-Bus
# on a private dbus-daemon; bad names, missing sources and processes killed while capturing.
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
ours=$root/build/bin/pcap-run
t=$root/build/test
tmp=$(mktemp -d /tmp/sources78.XXXXXX)
cleanup() { for f in $cleanups; do $f; done; [ -n "$KEEP" ] || rm -rf "$tmp"; }
cleanups=""
trap cleanup EXIT
trap 'exit 1' INT TERM

pass() { echo "PASS sources/$1"; }
fail() { echo "FAIL sources/$1: $2"; }
skip() { echo "SKIP sources/$1: $2"; }

# same NAME FILE-SYS FILE-OURS: the two outputs are equal.
same() {
	if cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "$(diff "$2" "$3" | head -5 | tr '\n' ' ')"; fi
}

# Every operation on a handle never activated, for a name of each capture module: libpcap's
# pcap_not_initialized answers (and the few operations that work before activation).
unactivated_names="lo any netmap:x vale0:p nflog nfqueue:3"
"$t/sources-unactivated" $unactivated_names >"$tmp/unact.sys" 2>&1
"$ours" "$t/sources-unactivated" $unactivated_names >"$tmp/unact.ours" 2>&1
for name in $unactivated_names; do
	sed -n "/^== $name\$/,/^== /p" "$tmp/unact.sys" >"$tmp/unact.$name.sys"
	sed -n "/^== $name\$/,/^== /p" "$tmp/unact.ours" >"$tmp/unact.$name.ours"
	if [ ! -s "$tmp/unact.$name.sys" ]; then
		fail "unactivated-$name" "no output"
		continue
	fi
	same "unactivated-$name" "$tmp/unact.$name.sys" "$tmp/unact.$name.ours"
done

# ---- netfilter: nflog and nfqueue in namespaces of our own ----
if [ "$(id -u)" != 0 ]; then
	skip netfilter "needs root for network namespaces"
	exit 0
fi
for tool in ip nft iptables tcpdump ping; do
	command -v $tool >/dev/null || { skip netfilter "$tool is not installed"; exit 0; }
done
. compat-tests/live/netns.sh
cleanups="$cleanups netns_down"
if ! netns_up 2>"$tmp/netns.err"; then
	skip netfilter "cannot create network namespaces ($(head -1 "$tmp/netns.err"))"
	exit 0
fi

# Each packet is logged to groups 5 and 6 and queued to 5 then 6 (an accepted packet goes on to the
# next chain), so the system libpcap on one number and ours on the other see the same packets.
# `queue` is nftables' own expression; kernels built without it (CONFIG_NFT_QUEUE) still queue
# through the xtables NFQUEUE target, which iptables-nft installs in an nftables chain.
in_cap nft -f - <<'RULES' || { fail netfilter-rules "nft refused the log rules"; exit 0; }
table inet pcaptest {
	chain logs { type filter hook input priority 0; policy accept; meta l4proto icmp log group 5; meta l4proto icmp log group 6; }
}
RULES
if in_cap nft -f - 2>/dev/null <<'RULES'
table inet pcapqueue {
	chain q5 { type filter hook input priority -10; policy accept; meta l4proto icmp queue num 5 bypass; }
	chain q6 { type filter hook input priority 10; policy accept; meta l4proto icmp queue num 6 bypass; }
}
RULES
then
	queue_rules=nft
elif in_cap iptables -t mangle -A INPUT -p icmp -j NFQUEUE --queue-num 5 --queue-bypass &&
	in_cap iptables -A INPUT -p icmp -j NFQUEUE --queue-num 6 --queue-bypass; then
	queue_rules=xtables
else
	fail netfilter-rules "neither nft nor iptables could queue packets"
	exit 0
fi

# wait_for FILE PATTERN: at most 10 s.
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
}

# wait_pid PID TENTHS: the process ended by itself in time (killed otherwise).
wait_pid() {
	i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt "$2" ]; then
			kill -9 "$1" 2>/dev/null
			wait "$1" 2>/dev/null
			return 1
		fi
		sleep 0.1
	done
	wait "$1" 2>/dev/null
	return 0
}

ping_peer() { in_peer ping -q -c "$1" -i 0.2 -W 1 -p 5a5a 10.77.0.2 >/dev/null 2>&1; }

# api NAME KIND COUNT [API-ARGS]: the C program on the system libpcap (number 5) and ours (6) at once,
# over the same pings; their outputs must be equal.
api() {
	name=$1 kind=$2 n=$3
	shift 3
	bg_cap "$t/sources-api" "$kind:5" "$n" "$@" >"$tmp/$name.sys" 2>"$tmp/$name.sys.err" &
	sp=$!
	bg_cap "$ours" "$t/sources-api" "$kind:6" "$n" "$@" >"$tmp/$name.ours" 2>"$tmp/$name.ours.err" &
	op=$!
	if ! wait_for "$tmp/$name.sys.err" ready || ! wait_for "$tmp/$name.ours.err" ready; then
		fail "$name" "not ready: $(cat "$tmp/$name.sys" "$tmp/$name.ours" | grep activate | tr '\n' ' ')"
		kill -9 $sp $op 2>/dev/null
		return
	fi
	ping_peer "$n"
	wait_pid $sp 50 || { fail "$name" "the system libpcap's reader did not finish"; kill -9 $op 2>/dev/null; wait $op 2>/dev/null; return; }
	wait_pid $op 50 || { fail "$name" "our reader did not finish"; return; }
	if ! grep -q '^P ' "$tmp/$name.sys"; then
		fail "$name" "no packet on the system libpcap"
		return
	fi
	same "$name" "$tmp/$name.sys" "$tmp/$name.ours"
}

api nflog-loop nflog 4
api nflog-dispatch nflog 4 -m dispatch
api nflog-next-ex nflog 4 -m next
api nflog-breakloop nflog 4 -b
api nflog-snaplen nflog 1 -s 60
api nflog-dlt-ipv4 nflog 3 -d 228 -f "icmp[icmptype] = icmp-echo"
api nflog-inject nflog 2 -x 4500001c000000004001000000000000000000000800f7ff00000000
api nfqueue-loop nfqueue 4
api nfqueue-next-ex nfqueue 4 -m next
api nfqueue-breakloop nfqueue 4 -b
api nfqueue-filter nfqueue 3 -f "icmp[icmptype] = icmp-echo and ip[8] = 64"
api nfqueue-snaplen nfqueue 3 -s 60
