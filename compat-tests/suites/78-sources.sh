#!/bin/sh
# Capture sources other than network interfaces, on both libraries over the same input: the
# operations every capture module answers before activation; netfilter log groups and queues
# (nftables rules in namespaces of the test's own) through tcpdump, dumpcap and a C program; D-Bus
# on a private dbus-daemon; bad names, missing sources and processes killed while capturing.
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
ours=$root/build/bin/pcap-run
t=$root/build/test
tmp=$(mktemp -d)
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
