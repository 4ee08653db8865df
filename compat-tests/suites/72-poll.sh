#!/bin/sh
# Programs that wait on the capture descriptor themselves, the read timeout on an idle handle,
# how long handed-out pointers stay readable, and pcap_breakloop from inside the callback
# (compat-tests/live/poll-read.c), on the system libpcap and on ours, in a namespace pair of the
# test's own (compat-tests/live/netns.sh). Every run is bounded: a read that hangs is a FAIL.
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
tests="poll-next epoll-next select-next poll-dispatch epoll-dispatch select-dispatch poll-next-immediate poll-dispatch-immediate poll-next-peer
idle-next idle-dispatch idle-block idle-nonblock keep-next keep-callback breakloop netmap-breakloop netmap-poll-next"
skip_all() {
	for t in $tests; do echo "SKIP poll/$t: $1"; done
	exit 0
}
[ "$(id -u)" = 0 ] || skip_all "needs root for network namespaces"
t=$root/build/test
[ -x "$t/live-poll-read" ] && [ -x "$t/live-sender" ] || skip_all "test programs not built (make)"
. compat-tests/live/netns.sh
tmp=$(mktemp -d)
trap 'netns_down; [ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
netns_up 2>"$tmp/netns.err" || skip_all "cannot create network namespaces ($(head -1 "$tmp/netns.err"))"
ours=$root/build/bin/pcap-run
emu=$t/libnetmap-emu.so
ourlib=$root/build/lib/libpcap.so.1

pass() { echo "PASS poll/$1"; }
fail() { echo "FAIL poll/$1: $2"; }

# run LIB OUT ARGS...: poll-read in the capture namespace on LIB (sys, ours or netmap, the last
# ours under the /dev/netmap emulation), at most 15 s; output and exit status in OUT, OUT.rc.
run() {
	lib_=$1
	out=$2
	shift 2
	case $lib_ in
	sys) in_cap timeout -s KILL 15 "$t/live-poll-read" "$@" >"$out" 2>&1 ;;
	ours) in_cap timeout -s KILL 15 "$ours" "$t/live-poll-read" "$@" >"$out" 2>&1 ;;
	netmap) in_cap timeout -s KILL 15 env LD_PRELOAD="$emu $ourlib" "$t/live-poll-read" "$@" >"$out" 2>&1 ;;
	esac
	echo $? >"$out.rc"
}

# run_peer LIB OUT SENDER-ARGS -- ARGS...: as run, in the background; once it says "ready", the
# peer namespace sends (SENDER-ARGS: live-sender's or netmap-send's command line).
run_peer() {
	lib_=$1
	out=$2
	shift 2
	sender=
	while [ "$1" != -- ]; do sender="$sender $1"; shift; done
	shift
	run "$lib_" "$out" "$@" &
	pid=$!
	i=0
	while ! grep -q ready "$out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	# shellcheck disable=SC2086
	in_peer $sender >/dev/null 2>&1
	wait $pid
}

both() { # both NAME ARGS...: run on each library into $tmp/NAME.{sys,ours}
	name=$1
	shift
	run sys "$tmp/$name.sys" "$@"
	run ours "$tmp/$name.ours" "$@"
}

show() { echo "ours: $(tr '\n' ' ' <"$tmp/$1.ours" | cut -c1-200) libpcap: $(tr '\n' ' ' <"$tmp/$1.sys" | cut -c1-200)"; }

# Poll, epoll or select (500 ms) on pcap_get_selectable_fd, then pcap_next_ex or pcap_dispatch
# on a 1 ms-timeout filtered handle, for 2 s: every frame arrives and then the wait times out
# (the descriptor is not readable once everything was consumed) instead of a read blocking.
for mode in poll-next epoll-next select-next poll-dispatch epoll-dispatch select-dispatch; do
	both "$mode" "$mode" pcl0 udp 5 inject
	ok=1
	for lib in sys ours; do
		grep -q "^5 of 5, quiet after: [1-9]" "$tmp/$mode.$lib" && [ "$(cat "$tmp/$mode.$lib.rc")" = 0 ] || ok=0
	done
	if [ $ok = 1 ]; then pass "$mode ($(tail -1 "$tmp/$mode.ours"))"; else fail "$mode" "$(show "$mode")"; fi
done
# The same in immediate mode (TPACKET_V2: a frame at a time).
for mode in poll-next poll-dispatch; do
	both "$mode-immediate" "$mode" pcl0 udp 5 inject immediate
	if grep -q "^5 of 5, quiet after: [1-9]" "$tmp/$mode-immediate.sys" && grep -q "^5 of 5, quiet after: [1-9]" "$tmp/$mode-immediate.ours"; then
		pass "$mode-immediate ($(tail -1 "$tmp/$mode-immediate.ours"))"
	else
		fail "$mode-immediate" "$(show "$mode-immediate")"
	fi
done

# The same with the frames coming in from the peer namespace.
for lib in sys ours; do
	run_peer $lib "$tmp/peer.$lib" "$t/live-sender" pcl1 5 -- poll-next pcl0 udp 5
done
if grep -q "^5 of 5, quiet after: [1-9]" "$tmp/peer.sys" && grep -q "^5 of 5, quiet after: [1-9]" "$tmp/peer.ours"; then
	pass "poll-next-peer ($(tail -1 "$tmp/peer.ours"))"
else
	fail poll-next-peer "$(show peer)"
fi

# The read timeout on an idle interface (100 ms): ours returns 0, on purpose unlike libpcap,
# whose TPACKET_V3 reader waits for a packet however long it takes (it is reported, not asserted).
for mode in idle-next idle-dispatch; do
	both "$mode" "$mode" pcl0 udp 0
	if grep -qx "returned 0" "$tmp/$mode.ours"; then
		pass "$mode (ours: $(cat "$tmp/$mode.ours"); libpcap: $(cat "$tmp/$mode.sys"))"
	else
		fail "$mode" "$(show "$mode")"
	fi
done

# Timeout 0 still blocks until a packet arrives; non-blocking mode returns at once: both libraries.
both idle-block idle-block pcl0 udp 0
if grep -qx blocked "$tmp/idle-block.sys" && grep -qx blocked "$tmp/idle-block.ours"; then
	pass "idle-block (timeout 0 blocks on both)"
else
	fail idle-block "$(show idle-block)"
fi
both idle-nonblock idle-nonblock pcl0 udp 0
if grep -qx "returned 0" "$tmp/idle-nonblock.sys" && cmp -s "$tmp/idle-nonblock.sys" "$tmp/idle-nonblock.ours"; then
	pass "idle-nonblock"
else
	fail idle-nonblock "$(show idle-nonblock)"
fi

# pcap_next_ex's header and data stay readable until the next read, also when the block they came
# from went back to the kernel and the ring wrapped over it; a callback's last header and data
# stay readable after pcap_dispatch returned.
both keep-next keep-next pcl0 udp 1
if grep -qx "kept 4 of 4" "$tmp/keep-next.sys" && grep -qx "kept 4 of 4" "$tmp/keep-next.ours"; then
	pass "keep-next (pcap_next_ex's packet intact after the ring wrapped, 4 rounds)"
else
	fail keep-next "$(show keep-next)"
fi
both keep-callback keep-callback pcl0 udp 8 inject
if grep -qx "kept 8 of 8" "$tmp/keep-callback.sys" && grep -qx "kept 8 of 8" "$tmp/keep-callback.ours"; then
	pass "keep-callback (8 callbacks)"
else
	fail keep-callback "$(show keep-callback)"
fi

# pcap_breakloop from inside the callback ends pcap_loop at once (-2 after the second packet) and
# the packets after it come with the next reads, none lost: same frames on both libraries.
both breakloop breakloop pcl0 udp 10 inject
if grep -qx "pcap_loop returned -2 after 2" "$tmp/breakloop.ours" && grep -qx "10 of 10" "$tmp/breakloop.ours" &&
	cmp -s "$tmp/breakloop.sys" "$tmp/breakloop.ours"; then
	pass "breakloop (pcap_loop returned -2 after 2, then 8 more)"
else
	fail breakloop "$(show breakloop)"
fi

# The netmap module under the /dev/netmap emulation (ours only: Debian's libpcap has no netmap).
if [ -f "$emu" ] && [ -x "$t/netmap-send" ]; then
	run_peer netmap "$tmp/nm-break" "$t/netmap-send" pcl1 10 60 -- breakloop netmap:pcl0 "ether proto 0x88b5" 10
	expect=$(printf 'ready\nframe 0\nframe 1\npcap_loop returned -2 after 2\n'; i=2; while [ $i -lt 10 ]; do echo "frame $i"; i=$((i + 1)); done; echo "10 of 10")
	if [ "$(cat "$tmp/nm-break")" = "$expect" ]; then
		pass "netmap-breakloop (pcap_loop returned -2 after 2, then 8 more)"
	else
		fail netmap-breakloop "$(tr '\n' ' ' <"$tmp/nm-break" | cut -c1-300)"
	fi
	run_peer netmap "$tmp/nm-poll" "$t/netmap-send" pcl1 5 60 -- poll-next netmap:pcl0 "ether proto 0x88b5" 5
	if grep -q "^5 of 5, quiet after: [1-9]" "$tmp/nm-poll"; then
		pass "netmap-poll-next ($(tail -1 "$tmp/nm-poll"))"
	else
		fail netmap-poll-next "$(tr '\n' ' ' <"$tmp/nm-poll" | cut -c1-300)"
	fi
else
	echo "SKIP poll/netmap-breakloop: the netmap emulation is not built (make)"
	echo "SKIP poll/netmap-poll-next: the netmap emulation is not built (make)"
fi
