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
unactivated_names="lo any netmap:x vale0:p nflog nfqueue:3 dbus-system dbus-session usbmon0 bluetooth0 bluetooth-monitor"
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

# ---- D-Bus: a private dbus-daemon of the test's own ----
# normal FILE: what both libraries must print alike: every line but the packets, and the packets
# that carry the test's own interface "org.test" (the bus's own traffic differs with the unique
# names each capturer gets), unique names ":1.N" masked.
normal() {
	grep -v '^P ' "$1" | grep -v '^stats '
	grep '^P ' "$1" | grep '6f72672e74657374' | sed -E 's/3a312e(3[0-9])+/3a312eXX/g'
}

# same_normal NAME: $tmp/NAME.sys and $tmp/NAME.ours say the same, and the test's messages are there.
same_normal() {
	normal "$tmp/$1.sys" >"$tmp/$1.sys.n"
	normal "$tmp/$1.ours" >"$tmp/$1.ours.n"
	if ! grep -q '^P ' "$tmp/$1.sys.n"; then
		fail "$1" "no test message on the system libpcap: $(head -3 "$tmp/$1.sys" | tr '\n' ' ')"
		return
	fi
	same "$1" "$tmp/$1.sys.n" "$tmp/$1.ours.n"
}

dbus_test() {
	bus=$tmp/bus
	dbus-daemon --session --address="unix:path=$bus" --fork --print-pid=1 >"$tmp/dbus.pid" 2>"$tmp/dbus.err" || {
		skip dbus "dbus-daemon did not start: $(head -1 "$tmp/dbus.err")"
		return
	}
	dbus_pid=$(cat "$tmp/dbus.pid")
	stop_dbus() { kill "$dbus_pid" 2>/dev/null; }
	cleanups="$cleanups stop_dbus"
	export DBUS_SESSION_BUS_ADDRESS="unix:path=$bus" DBUS_SYSTEM_BUS_ADDRESS="unix:path=$bus"
	send_signals() {
		for k in $(seq "$1"); do
			dbus-send --session --type=signal /org/test org.test.Ping "string:hello $k" || return 1
		done
	}
	names() {
		dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.ListNames |
			grep -c '":1\.'
	}

	# dbus_api NAME DEVICE COUNT SIGNALS [API-ARGS]: the system libpcap's reader, then ours, both
	# listening before SIGNALS signals are sent; each stops after COUNT messages or at its -e alarm.
	dbus_api() {
		name=$1 dev=$2 n=$3 sigs=$4
		shift 4
		for lib in sys ours; do
			run=""
			[ $lib = ours ] && run=$ours
			timeout 20 $run "$t/sources-api" "$dev" "$n" "$@" >"$tmp/$name.$lib" 2>"$tmp/$name.$lib.err" &
			eval "${lib}_pid=\$!"
			wait_ready "$tmp/$name.$lib.err" || { fail "$name" "$lib not ready: $(head -1 "$tmp/$name.$lib")"; kill -9 $sys_pid 2>/dev/null; return; }
		done
		send_signals "$sigs"
		wait $sys_pid
		wait $ours_pid
		if [ "$name" = dbus-next-ex ]; then
			if grep '^P ' "$tmp/$name.ours" | grep -qv '^P [0-9]* [0-9]* 6c'; then
				fail "$name" "a message of ours does not begin with D-Bus's byte-order mark"
				return
			fi
			for lib in sys ours; do
				sed -E 's/^(P [0-9]+ [0-9]+ ).{32}/\1/' "$tmp/$name.$lib" >"$tmp/$name.$lib.cut"
				mv "$tmp/$name.$lib.cut" "$tmp/$name.$lib"
			done
		fi
		same_normal "$name"
	}
	wait_ready() {
		i=0
		while ! grep -q ready "$1" 2>/dev/null; do
			i=$((i + 1))
			[ $i -gt 100 ] && return 1
			sleep 0.1
		done
	}

	dbus_api dbus-session dbus-session 1000 4 -e 3
	dbus_api dbus-system dbus-system 1000 4 -e 3
	dbus_api dbus-address "dbus://unix:path=$bus" 1000 4 -e 3
	dbus_api dbus-dispatch dbus-session 1000 4 -m dispatch -e 3
	# libpcap 1.10.3 frees each message before pcap_next_ex returns it (dbus_read's dbus_free), so
	# its first bytes are the allocator's: compared from byte 16 on, and ours must be whole messages.
	dbus_api dbus-next-ex dbus-session 1000 4 -m next -e 3
	dbus_api dbus-breakloop dbus-session 1000 4 -b -e 3

	# pcap_inject: a marshalled signal (taken from a capture of dbus-send's) sent by each library
	# reaches a third listener; a message that does not demarshal gets libdbus' text.
	timeout 10 "$t/sources-api" dbus-session 30 >"$tmp/template" 2>"$tmp/template.err" &
	tpid=$!
	wait_ready "$tmp/template.err"
	dbus-send --session --type=signal /org/test org.test.Injected string:payload
	sleep 1
	kill $tpid 2>/dev/null
	wait $tpid 2>/dev/null
	hex=$(grep '^P ' "$tmp/template" | grep '496e6a6563746564' | head -1 | cut -d' ' -f4)
	if [ -z "$hex" ]; then
		fail dbus-inject "no message to inject was captured"
	else
		timeout 10 dbus-monitor --session "interface='org.test'" >"$tmp/monitor" 2>&1 &
		mpid=$!
		sleep 0.5
		"$t/sources-api" dbus-session 0 -x "$hex" >"$tmp/inject.sys" 2>&1
		$ours "$t/sources-api" dbus-session 0 -x "$hex" >"$tmp/inject.ours" 2>&1
		sleep 0.5
		kill $mpid 2>/dev/null
		wait $mpid 2>/dev/null
		seen=$(grep -c 'member=Injected' "$tmp/monitor")
		if [ "$seen" != 2 ]; then
			fail dbus-inject "a listener saw $seen of the two injected messages"
		else
			same dbus-inject "$tmp/inject.sys" "$tmp/inject.ours"
		fi
		"$t/sources-api" dbus-session 0 -x 6c01 >"$tmp/inject-bad.sys" 2>&1
		$ours "$t/sources-api" dbus-session 0 -x 6c01 >"$tmp/inject-bad.ours" 2>&1
		same dbus-inject-bad "$tmp/inject-bad.sys" "$tmp/inject-bad.ours"
	fi

	# pcap_close ends our connection and so its matches (libpcap's shared connection stays until
	# the process ends); so does SIGKILL, for both.
	before=$(names)
	$ours "$t/sources-api" dbus-session 1000 -e 2 -w >"$tmp/close.ours" 2>"$tmp/close.err" &
	cpid=$!
	wait_ready "$tmp/close.err"
	during=$(names)
	send_signals 1
	i=0
	while ! grep -q closed "$tmp/close.ours" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	after=$(names)
	wait $cpid
	if [ "$during" -gt "$before" ] && [ "$after" = "$before" ]; then
		pass dbus-close-ends-connection
	else
		fail dbus-close-ends-connection "bus names: $before before, $during capturing, $after after pcap_close"
	fi
	for lib in sys ours; do
		run=""
		[ $lib = ours ] && run=$ours
		before=$(names)
		$run "$t/sources-api" dbus-session 100 >"$tmp/kill.$lib" 2>"$tmp/kill.$lib.err" &
		kpid=$!
		wait_ready "$tmp/kill.$lib.err"
		kill -9 $kpid
		wait $kpid 2>/dev/null
		sleep 0.3
		after=$(names)
		if [ "$after" = "$before" ]; then pass "dbus-sigkill-$lib"; else fail "dbus-sigkill-$lib" "bus names: $before before, $after after SIGKILL"; fi
	done

	# A bus that is not there, an address libdbus cannot parse, a name of the module that is no bus.
	for case in "nobus dbus-session" "nosystem dbus-system" "badaddress dbus://nonsense" "noaddress dbus://unix:path=$tmp/none"; do
		set -- $case
		DBUS_SESSION_BUS_ADDRESS="unix:path=$tmp/none" DBUS_SYSTEM_BUS_ADDRESS="unix:path=$tmp/none" \
			"$t/sources-api" "$2" 1 >"$tmp/err-$1.sys" 2>&1
		DBUS_SESSION_BUS_ADDRESS="unix:path=$tmp/none" DBUS_SYSTEM_BUS_ADDRESS="unix:path=$tmp/none" \
			$ours "$t/sources-api" "$2" 1 >"$tmp/err-$1.ours" 2>&1
		if grep -q '^activate -1 ' "$tmp/err-$1.sys"; then
			same "dbus-error-$1" "$tmp/err-$1.sys" "$tmp/err-$1.ours"
		else
			fail "dbus-error-$1" "the system libpcap did not fail: $(head -1 "$tmp/err-$1.sys")"
		fi
	done
}
if command -v dbus-daemon >/dev/null && command -v dbus-send >/dev/null; then
	dbus_test
else
	skip dbus "dbus-daemon is not installed"
fi

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

# tcpdump and dumpcap write the same packets on both libraries (root kept for nfqueue's verdicts,
# as libpcap's pcap-netfilter-linux.c asks: -Z root).
# tool_pair NAME KIND COUNT SYS-CMD OURS-CMD: the commands (DEVICE and OUT replaced) on number 5 on
# the system libpcap and 6 on ours, each printing "listening on" or "Capturing on" once it captures.
tool_pair() {
	name=$1 kind=$2 n=$3
	for lib in sys ours; do
		num=5 run="" cmd=$4
		[ $lib = ours ] && num=6 run=$ours cmd=$5
		cmd=$(echo "$cmd" | sed "s|DEVICE|$kind:$num|; s|OUT|$tmp/$name.$lib.pcap|")
		bg_cap $run $cmd >"$tmp/$name.$lib.out" 2>"$tmp/$name.$lib.err" &
		eval "${lib}_pid=\$!"
	done
	if ! wait_for "$tmp/$name.sys.err" "ing on" || ! wait_for "$tmp/$name.ours.err" "ing on"; then
		fail "$name" "did not start: $(head -2 "$tmp/$name.sys.err" "$tmp/$name.ours.err" | tr '\n' ' ')"
		kill -9 $sys_pid $ours_pid 2>/dev/null
		return
	fi
	ping_peer "$n"
	wait_pid $sys_pid 60 || { fail "$name" "the system libpcap's run did not finish"; kill -9 $ours_pid 2>/dev/null; return; }
	wait_pid $ours_pid 60 || { fail "$name" "our run did not finish"; return; }
	for lib in sys ours; do
		tcpdump -r "$tmp/$name.$lib.pcap" -nn -t -v 2>&1 | grep -v '^reading from' >"$tmp/$name.$lib.txt"
	done
	if [ "$(grep -c 'ICMP echo request' "$tmp/$name.sys.txt")" != "$n" ]; then
		fail "$name" "the system libpcap's file has not $n echo requests: $(head -2 "$tmp/$name.sys.txt" | tr '\n' ' ')"
		return
	fi
	if ! cmp -s -n 24 "$tmp/$name.sys.pcap" "$tmp/$name.ours.pcap"; then
		fail "$name" "file headers differ"
		return
	fi
	same "$name" "$tmp/$name.sys.txt" "$tmp/$name.ours.txt"
}
tool_pair tcpdump-nflog nflog 3 "tcpdump -i DEVICE -c 3 -w OUT" "tcpdump -i DEVICE -c 3 -w OUT"
tool_pair tcpdump-nfqueue nfqueue 3 "tcpdump -Z root -i DEVICE -c 3 -w OUT" "tcpdump -Z root -i DEVICE -c 3 -w OUT"
# dumpcap reads one packet per select() wake-up. On the system libpcap it never gets the rest of an
# nflog batch (libpcap holds them and the socket stays quiet), so ours is compared with tcpdump on
# the system libpcap over the same packets. dumpcap gives up its capabilities after opening, so
# nfqueue's verdicts fail (EPERM) on both libraries and it is not run on nfqueue.
if command -v dumpcap >/dev/null; then
	tool_pair dumpcap-nflog nflog 3 "tcpdump -i DEVICE -c 3 -w OUT" "dumpcap -P -i DEVICE -c 3 -w OUT"
else
	skip dumpcap "dumpcap is not installed"
fi

# tcpdump stopped by SIGINT while it waits in a read: both end at once with their packets written.
for lib in sys ours; do
	run=""
	[ $lib = ours ] && run=$ours
	bg_cap $run tcpdump -i nflog:$([ $lib = sys ] && echo 5 || echo 6) -w "$tmp/sigint.$lib.pcap" >/dev/null 2>"$tmp/sigint.$lib.err" &
	eval "${lib}_pid=\$!"
done
wait_for "$tmp/sigint.sys.err" "listening on" && wait_for "$tmp/sigint.ours.err" "listening on"
ping_peer 2
sleep 1.5 # nflog hands its messages over once a second
kill -INT $sys_pid $ours_pid
ok=1
wait_pid $sys_pid 30 || { fail sigint "tcpdump on the system libpcap did not stop"; ok=0; }
wait_pid $ours_pid 30 || { fail sigint "tcpdump on our library did not stop"; ok=0; }
if [ $ok = 1 ]; then
	s=$(tcpdump -r "$tmp/sigint.sys.pcap" 2>/dev/null | grep -c 'ICMP echo request')
	o=$(tcpdump -r "$tmp/sigint.ours.pcap" 2>/dev/null | grep -c 'ICMP echo request')
	if [ "$s" = 2 ] && [ "$o" = 2 ]; then pass sigint; else fail sigint "echo requests written: $s on the system libpcap, $o on ours"; fi
fi

# Bad names and missing permission: the same status and text on both libraries, from the C
# program and from tcpdump.
err_case() {
	name=$1
	shift
	in_cap "$@" "$t/sources-api" $ERR_ARGS >"$tmp/err-$name.sys" 2>&1
	in_cap "$@" "$ours" "$t/sources-api" $ERR_ARGS >"$tmp/err-$name.ours" 2>&1
	if grep -q '^activate -[0-9]' "$tmp/err-$name.sys"; then
		same "error-$name" "$tmp/err-$name.sys" "$tmp/err-$name.ours"
	else
		fail "error-$name" "the system libpcap did not fail: $(head -1 "$tmp/err-$name.sys")"
	fi
}
ERR_ARGS="nflog:abc 1" err_case group-not-a-number env
ERR_ARGS="nfqueue:70000 1" err_case group-out-of-range env
ERR_ARGS="nflog:1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33 1" err_case too-many-groups env
ERR_ARGS="nflog:5,x 1" err_case group-list-trailing env
ERR_ARGS="x/nflog 1" err_case path-prefix env
ERR_ARGS="nflogx 1" err_case name-suffix env
ERR_ARGS="nflog:7 1" err_case no-permission setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all
ERR_ARGS="nfqueue:7 1" err_case no-permission-queue setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all
# A group another socket holds.
bg_cap "$ours" "$t/sources-api" nflog:8 1000 -e 4 >"$tmp/holder.out" 2>"$tmp/holder.err" &
holder=$!
wait_for "$tmp/holder.err" ready
ERR_ARGS="nflog:8 1" err_case group-taken env
kill -9 $holder 2>/dev/null
wait $holder 2>/dev/null
for lib in sys ours; do
	run=""
	[ $lib = ours ] && run=$ours
	in_cap $run tcpdump -i nflog:99999 -c 1 >/dev/null 2>"$tmp/tcpdump-err.$lib"
done
same error-tcpdump "$tmp/tcpdump-err.sys" "$tmp/tcpdump-err.ours"

# Nothing stays bound after pcap_close or after SIGKILL: the namespace's netfilter instances
# (/proc/net/netfilter/nfnetlink_log and _queue list one line per bound group).
bound() { in_cap cat /proc/net/netfilter/nfnetlink_log /proc/net/netfilter/nfnetlink_queue 2>/dev/null | awk '{print $1}' | grep -cx "$1"; }
for kind in nflog nfqueue; do
	for lib in sys ours; do
		run=""
		[ $lib = ours ] && run=$ours
		bg_cap $run "$t/sources-api" $kind:9 1000 -e 1 -w >"$tmp/close-$kind.$lib" 2>"$tmp/close-$kind.$lib.err" &
		cpid=$!
		wait_for "$tmp/close-$kind.$lib.err" ready
		during=$(bound 9)
		wait_for "$tmp/close-$kind.$lib" closed
		after=$(bound 9)
		wait $cpid
		if [ "$during" = 1 ] && [ "$after" = 0 ]; then pass "close-unbinds-$kind-$lib"; else fail "close-unbinds-$kind-$lib" "group 9 bound $during times while capturing, $after after pcap_close"; fi
		bg_cap $run "$t/sources-api" $kind:9 1000 >"$tmp/kill-$kind.$lib" 2>"$tmp/kill-$kind.$lib.err" &
		kpid=$!
		wait_for "$tmp/kill-$kind.$lib.err" ready
		kill -9 $kpid
		wait $kpid 2>/dev/null
		sleep 0.2
		if [ "$(bound 9)" = 0 ]; then pass "sigkill-unbinds-$kind-$lib"; else fail "sigkill-unbinds-$kind-$lib" "group 9 still bound after SIGKILL"; fi
	done
done

# ---- usbmon and Bluetooth on this host (captures on them are checked in the test guest,
# compat-tests/guest/checks/6x-*.sh): what each library answers when the kernel lacks the module,
# the device or the permission, and names libpcap's modules do not claim. Only the activation's
# line is compared (a host that has the source would capture, and libpcap's reads there ignore the
# timeout).
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
usb_bt_case() { # NAME DEVICE [RUNNER...]
	name=$1
	dev=$2
	shift 2
	timeout 10 "$@" "$t/sources-api" "$dev" 1 -t 100 2>&1 | head -1 >"$tmp/usbbt-$name.sys"
	timeout 10 "$@" "$ours" "$t/sources-api" "$dev" 1 -t 100 2>&1 | head -1 >"$tmp/usbbt-$name.ours"
	if grep -q '^activate ' "$tmp/usbbt-$name.sys"; then
		same "usb-bt-$name" "$tmp/usbbt-$name.sys" "$tmp/usbbt-$name.ours"
	else
		fail "usb-bt-$name" "the system libpcap printed: $(cat "$tmp/usbbt-$name.sys")"
	fi
}
for case in "usbmon0 usbmon0" "usbmon-bus usbmon7" "usbmon-path /dev/usbmon0" "usbmon-suffix usbmon1x" \
	"usbmon-sign usbmon+1" "usbmon-negative usbmon-1" "usbmon-blank usbmon 1" "bluetooth0 bluetooth0" \
	"bluetooth-path /x/bluetooth2" "bluetooth-sign bluetooth+1" "bluetooth-bare bluetooth" "bluetooth-monitor bluetooth-monitor" \
	"bluetooth-monitor-path /dev/bluetooth-monitor"; do
	set -- $case
	usb_bt_case "$1" "${case#* }" env
done
usb_bt_case usbmon-no-permission usbmon0 $nobody
usb_bt_case bluetooth-no-permission bluetooth0 $nobody
usb_bt_case bluetooth-monitor-no-permission bluetooth-monitor $nobody
for lib in sys ours; do
	run=""
	[ $lib = ours ] && run=$ours
	timeout 10 $run tcpdump -i usbmon0 -c 1 >/dev/null 2>"$tmp/tcpdump-usbmon.$lib"
	timeout 10 $run tcpdump -i bluetooth-monitor -c 1 >/dev/null 2>"$tmp/tcpdump-btmon.$lib"
	timeout 10 $run tcpdump -D 2>/dev/null | grep -E 'usbmon|bluetooth' >"$tmp/tcpdump-D-usbbt.$lib"
done
if [ -e /dev/usbmon0 ]; then
	skip usb-bt-tcpdump-usbmon0 "this host has usbmon: tcpdump captures there (checked in the guest)"
else
	same usb-bt-tcpdump-usbmon0 "$tmp/tcpdump-usbmon.sys" "$tmp/tcpdump-usbmon.ours"
fi
same usb-bt-tcpdump-bluetooth-monitor "$tmp/tcpdump-btmon.sys" "$tmp/tcpdump-btmon.ours"
if [ -s "$tmp/tcpdump-D-usbbt.sys" ]; then
	same usb-bt-findalldevs "$tmp/tcpdump-D-usbbt.sys" "$tmp/tcpdump-D-usbbt.ours"
else
	fail usb-bt-findalldevs "tcpdump -D on the system libpcap lists no usbmon or Bluetooth device"
fi
