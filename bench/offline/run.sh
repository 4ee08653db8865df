#!/bin/sh
# Offline reading: packets/s through pcap_loop and pcap_next_ex on the system libpcap and on ours (the
# same program, the library chosen by the loader), with a plain large-read walk over the file as the limit.
# Rates are packets per CPU second of the reading process (user and kernel time): the machines are
# shared, and wall-clock rates there measure the neighbours as much as the reader.
cd "$(dirname "$0")/../.." || exit 1
prog=build/bench/offline
ours="$(pwd)/build/lib/libpcap.so.1"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
best() { # best of 3 runs: the first number printed
	b=0
	for _ in 1 2 3; do
		r=$("$@" | awk '{print $1}')
		[ "$r" -gt "$b" ] && b=$r
	done
	echo "$b"
}
printf '%-22s %-8s %14s %14s %8s %14s\n' capture api "system pkt/s" "ours pkt/s" ours/sys "limit pkt/s"
# The limit walks classic pcap records; pcapng rows show it for the pcap file of the same frames.
for spec in "3000000 60 pcap" "300000 1514 pcap" "3000000 60 pcapng" "300000 1514 pcapng"; do
	set -- $spec
	file="$dir/cap-$2.$3"
	if [ "$3" = pcap ]; then
		$prog gen "$file" "$1" "$2" || exit 1
		cat "$file" >/dev/null # cached, as the limit assumes
		eval "limit_$2=\$(best \$prog walk \"\$file\")"
	else
		$prog gen-ng "$file" "$1" "$2" || exit 1
		cat "$file" >/dev/null
	fi
	eval "limit=\$limit_$2"
	for api in loop next_ex; do
		sys=$(best $prog $api "$file")
		our=$(best env LD_PRELOAD="$ours" $prog $api "$file")
		printf '%-22s %-8s %14s %14s %8s %14s\n' "$1 x $2 B $3" "$api" "$sys" "$our" \
			"$(awk -v a="$our" -v b="$sys" 'BEGIN { printf "%.2f", a / b }')" "$limit"
	done
	rm -f "$file"
done
